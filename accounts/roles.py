"""The staff roles and what each may do in the admin.

Each role is a group; its permissions are every model permission of the listed
apps (``"blog"``) or models (``"blog.post"``) whose action is listed. Later work adds
apps and actions here, and ``sync_role_permissions`` (run after every migrate) brings
the groups in line.
"""

from django.apps import apps as global_apps
from django.db.models import Q

EDITORS = "Editors"
MODERATORS = "Moderators"
CONTRIBUTORS = "Contributors"

ROLE_PERMISSIONS: dict[str, dict[str, set[str]]] = {
    # Editors write and publish: everything about posts, images, categories, tags.
    EDITORS: {"blog": {"add", "change", "delete", "view", "publish"}},
    # Moderators act on comments but never delete them, and only read posts.
    MODERATORS: {"comments": {"add", "change", "view"}, "blog": {"view"}},
    # Contributors write posts and submit them for review; they never publish, and
    # ``blog.rules.post_may_edit`` keeps them to their own drafts. They may upload a
    # picture for their article and pick categories and tags, but not make new ones.
    CONTRIBUTORS: {
        "blog.post": {"add", "change", "view"},
        "blog.image": {"add", "view"},
        "blog.category": {"view"},
        "blog.tag": {"view"},
    },
}


def sync_role_permissions(*, apps=global_apps, using: str = "default") -> None:
    """Create the role groups if missing and set each one's permissions exactly."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = Q(pk__in=[])
        for target, actions in grants.items():
            app_label, _dot, model = target.partition(".")
            where = Q(content_type__app_label=app_label)
            if model:
                where &= Q(content_type__model=model)
            for action in actions:
                wanted |= where & Q(codename__startswith=f"{action}_")
        group.permissions.set(Permission.objects.using(using).filter(wanted))

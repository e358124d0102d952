"""Demo people for development: one of each role, with known passwords."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import EDITORS, MODERATORS


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


DEMO_LOGINS = (
    DemoLogin("editor", "editor", "tribune-editor"),
    DemoLogin("moderator", "moderator", "tribune-moderator"),
    DemoLogin("reader", "reader", "tribune-reader"),
)

_PROFILES = {
    "editor": {
        "display_name": "Jane Doe",
        "byline_title": "Senior Researcher",
        "bio": "Jane covers public policy and the people it touches.",
        "groups": (EDITORS,),
        "is_staff": True,
    },
    "moderator": {
        "display_name": "Sam Moderator",
        "byline_title": "Community Editor",
        "bio": "Sam looks after the discussion under our articles.",
        "groups": (MODERATORS,),
        "is_staff": True,
    },
    "reader": {
        "display_name": "Riley Reader",
        "byline_title": "",
        "bio": "",
        "groups": (),
        "is_staff": False,
    },
}


@transaction.atomic
def seed_demo_users() -> list[DemoLogin]:
    """Create or refresh the demo editor, moderator and reader; return their logins.

    Running it again resets their passwords and groups, so the printed logins
    always work.
    """
    for login in DEMO_LOGINS:
        profile = _PROFILES[login.role]
        user, _ = User.objects.update_or_create(
            username=login.username,
            defaults={
                "email": f"{login.username}@example.com",
                "display_name": profile["display_name"],
                "byline_title": profile["byline_title"],
                "bio": profile["bio"],
                "is_staff": profile["is_staff"],
                "is_active": True,
            },
        )
        user.set_password(login.password)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=profile["groups"]))
    return list(DEMO_LOGINS)

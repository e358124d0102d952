import pytest
from django.contrib.auth.models import Group, Permission

from accounts import roles

pytestmark = pytest.mark.django_db


def test_migrations_create_the_editors_and_moderators_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Moderators"}


def test_sync_gives_each_role_exactly_its_permissions(monkeypatch):
    editors = Group.objects.get(name="Editors")
    stale = Permission.objects.get(codename="delete_user")
    editors.permissions.add(stale)
    monkeypatch.setattr(
        roles,
        "ROLE_PERMISSIONS",
        {"Editors": {"accounts": {"view"}}, "Moderators": {"auth": {"view", "change"}}},
    )

    roles.sync_role_permissions()

    assert set(editors.permissions.values_list("codename", flat=True)) == {"view_user"}
    moderator_codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )
    assert moderator_codenames == {
        "view_group",
        "change_group",
        "view_permission",
        "change_permission",
    }


def test_sync_recreates_a_deleted_role_group():
    Group.objects.filter(name="Moderators").delete()

    roles.sync_role_permissions()

    assert Group.objects.filter(name="Moderators").exists()


def test_moderators_may_never_delete():
    assert all("delete" not in actions for actions in roles.ROLE_PERMISSIONS["Moderators"].values())


def test_after_migrate_editors_may_do_everything_with_blog_content():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )

    for model in ("post", "image", "category", "tag"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= codenames
    assert "publish_post" in codenames


def test_after_migrate_moderators_may_only_read_posts():
    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )

    assert "view_post" in codenames
    assert not {"add_post", "change_post", "delete_post", "publish_post"} & codenames


def test_sync_can_grant_one_model_of_an_app(monkeypatch):
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", {"Editors": {"blog.tag": {"view", "add"}}})

    roles.sync_role_permissions()

    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert codenames == {"view_tag", "add_tag"}


def test_after_migrate_contributors_may_write_posts_but_never_publish_or_delete():
    codenames = set(
        Group.objects.get(name="Contributors").permissions.values_list("codename", flat=True)
    )

    assert codenames == {
        "add_post",
        "change_post",
        "view_post",
        "add_image",
        "view_image",
        "view_category",
        "view_tag",
    }

"""The demo people: three logins and a few verified members with drawn avatars."""

from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from accounts.demo import (
    AVATAR_SIZE,
    DEMO_LOGINS,
    DEMO_MEMBERS,
    DEMO_WRITER,
    DemoMember,
    draw_avatar,
    seed_demo_users,
)
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_three_logins_are_verified():
    seed_demo_users()

    for login in DEMO_LOGINS:
        assert User.objects.get(username=login.username).email_verified_at is not None


def test_staff_status_follows_the_demo_roles():
    seed_demo_users()

    staff = dict(User.objects.values_list("username", "is_staff"))
    assert (staff["editor"], staff["moderator"], staff["reader"]) == (True, True, False)
    assert not any(staff[member.username] for member in DEMO_MEMBERS)


def test_the_demo_writer_is_an_editor_nobody_can_sign_in_as():
    seed_demo_users()

    writer = User.objects.get(username=DEMO_WRITER["username"])
    assert (writer.public_name, writer.is_staff, writer.is_active) == ("Tomás Reyes", True, True)
    assert list(writer.groups.values_list("name", flat=True)) == ["Editors"]
    assert not writer.has_usable_password()


def test_members_are_verified_with_a_square_png_avatar_in_media_root(media_root):
    seed_demo_users()

    for member in DEMO_MEMBERS:
        user = User.objects.get(username=member.username)
        assert user.display_name == member.display_name
        assert user.email_verified_at is not None
        assert user.is_active
        assert not user.groups.exists()
        path = Path(user.avatar.path)
        assert path.is_relative_to(media_root)
        with PILImage.open(path) as picture:
            assert picture.format == "PNG"
            assert picture.size == (AVATAR_SIZE, AVATAR_SIZE) == (256, 256)
            assert picture.convert("RGB").getpixel((2, 2)) == member.colour


def test_members_have_realistic_distinct_names_and_avatars():
    names = [member.display_name for member in DEMO_MEMBERS]
    avatars = {draw_avatar(member) for member in DEMO_MEMBERS}

    assert len(DEMO_MEMBERS) == 4
    assert all(len(name.split()) == 2 for name in names)
    assert len(set(names)) == len(avatars) == 4


def test_an_avatar_shows_the_initials_of_the_first_two_names():
    assert DemoMember("ada", "ada Byron Lovelace", (0, 0, 0)).initials == "AB"


def test_nobody_can_sign_in_as_a_member(client):
    seed_demo_users()

    for member in DEMO_MEMBERS:
        assert not User.objects.get(username=member.username).has_usable_password()


def test_running_twice_adds_nobody_and_no_file(stored_files):
    seed_demo_users()
    before_users = dict(User.objects.values_list("username", "email_verified_at"))
    before_avatars = dict(User.objects.values_list("username", "avatar"))
    before_files = stored_files()

    seed_demo_users()

    assert dict(User.objects.values_list("username", "email_verified_at")) == before_users
    assert dict(User.objects.values_list("username", "avatar")) == before_avatars
    assert stored_files() == before_files
    assert len(before_files) == len(DEMO_MEMBERS)
    # The logins, the members and the writer who shares a demo byline.
    assert User.objects.count() == len(DEMO_LOGINS) + len(DEMO_MEMBERS) + 1


def test_a_lost_avatar_file_is_drawn_again():
    seed_demo_users()
    user = User.objects.get(username=DEMO_MEMBERS[0].username)
    Path(user.avatar.path).unlink()

    seed_demo_users()

    user.refresh_from_db()
    assert Path(user.avatar.path).is_file()


def test_seed_demo_prints_only_the_three_logins(capsys):
    call_command("seed_demo", allow_without_debug=True)

    out = capsys.readouterr().out
    for login in DEMO_LOGINS:
        assert f"{login.username} / {login.password}" in out
    for member in DEMO_MEMBERS:
        assert member.username not in out
        assert member.display_name not in out

"""People, roles and sign-in lockouts in the admin, which only superusers may touch."""

import io

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from accounts.models import User
from accounts.roles import CONTRIBUTORS, EDITORS, MODERATORS
from accounts.services.roles import user_role_grant, user_role_revoke, user_staff_flag_sync
from comments.services import post_comments_bump
from tests.factories import DEFAULT_PASSWORD, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST_MAX_QUERIES = 10


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def is_in(user: User, role: str) -> bool:
    return user.groups.filter(name=role).exists()


def run_action(client, action: str, users: list[User]):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [u.pk for u in users]},
    )


def shown_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- The role services ---------------------------------------------------------------


def test_granting_a_role_adds_the_group_and_makes_staff():
    user = UserFactory()

    user_role_grant(user=user, role=MODERATORS)

    user.refresh_from_db()
    assert is_in(user, MODERATORS)
    assert user.is_staff


def test_revoking_the_last_role_ends_staff_status():
    user = UserFactory(is_staff=True, roles=[EDITORS, MODERATORS])

    user_role_revoke(user=user, role=EDITORS)
    user.refresh_from_db()
    assert user.is_staff

    user_role_revoke(user=user, role=MODERATORS)
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.groups.exists()


def test_a_superuser_stays_staff_without_any_role():
    user = UserFactory(is_superuser=True, is_staff=True, editor=True)

    user_role_revoke(user=user, role=EDITORS)

    user.refresh_from_db()
    assert user.is_staff


def test_staff_sync_clears_a_flag_that_no_role_explains():
    user = UserFactory(is_staff=True)

    user_staff_flag_sync(user=user)

    user.refresh_from_db()
    assert not user.is_staff


def test_granting_a_role_to_a_deleted_account_is_refused():
    user = UserFactory(deleted_at=timezone.now(), is_active=False)

    with pytest.raises(ValidationError, match="deleted their account"):
        user_role_grant(user=user, role=EDITORS)

    assert not user.groups.exists()


def test_only_the_staff_roles_can_be_granted():
    Group.objects.create(name="Friends")

    with pytest.raises(ValueError, match="Unknown role"):
        user_role_grant(user=UserFactory(), role="Friends")


# --- Role actions on the user list ----------------------------------------------------


def test_make_editor_adds_everyone_selected_and_says_how_many(superuser_client):
    people = [UserFactory(), UserFactory()]

    response = run_action(superuser_client, "make_editor", people)

    assert response.status_code == 302
    assert shown_messages(response) == ["2 people are now editors."]
    for person in people:
        person.refresh_from_db()
        assert is_in(person, EDITORS)
        assert person.is_staff


def test_make_moderator_says_one_person_in_the_singular(superuser_client):
    person = UserFactory()

    response = run_action(superuser_client, "make_moderator", [person])

    assert shown_messages(response) == ["1 person is now a moderator."]
    person.refresh_from_db()
    assert is_in(person, MODERATORS)
    assert person.is_staff


def test_make_contributor_and_remove_from_contributors_keep_the_staff_flag_in_step(
    superuser_client,
):
    writer = UserFactory()

    made = run_action(superuser_client, "make_contributor", [writer])
    writer.refresh_from_db()
    staff_while_contributor = writer.is_staff
    removed = run_action(superuser_client, "remove_from_contributors", [writer])
    writer.refresh_from_db()

    assert shown_messages(made) == ["1 person is now a contributor."]
    assert staff_while_contributor
    assert shown_messages(removed)[-1] == "1 person is no longer a contributor."
    assert not is_in(writer, CONTRIBUTORS)
    assert not writer.is_staff


def test_remove_from_editors_keeps_staff_while_another_role_remains(superuser_client):
    both = UserFactory(is_staff=True, roles=[EDITORS, MODERATORS])
    editor_only = UserFactory(editor=True)

    response = run_action(superuser_client, "remove_from_editors", [both, editor_only])

    assert shown_messages(response) == ["2 people are no longer editors."]
    both.refresh_from_db()
    editor_only.refresh_from_db()
    assert (is_in(both, EDITORS), is_in(both, MODERATORS), both.is_staff) == (False, True, True)
    assert (is_in(editor_only, EDITORS), editor_only.is_staff) == (False, False)


def test_remove_from_moderators_ends_staff_status(superuser_client):
    person = UserFactory(moderator=True)

    response = run_action(superuser_client, "remove_from_moderators", [person])

    assert shown_messages(response) == ["1 person is no longer a moderator."]
    person.refresh_from_db()
    assert not is_in(person, MODERATORS)
    assert not person.is_staff


def test_a_refused_person_is_named_and_the_others_still_get_the_role(superuser_client):
    gone = UserFactory(username="gone", deleted_at=timezone.now(), is_active=False)
    person = UserFactory()

    response = run_action(superuser_client, "make_editor", [gone, person])

    assert shown_messages(response) == [
        "gone deleted their account and can’t be given a role.",
        "1 person is now an editor.",
    ]
    assert not is_in(gone, EDITORS)
    assert is_in(person, EDITORS)


# --- The user change form --------------------------------------------------------------


def change_form_data(user: User, **overrides) -> dict:
    """What the change form sends back for ``user`` unchanged; override fields as a browser
    would."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "display_name": user.display_name,
        "byline_title": user.byline_title,
        "bio": user.bio,
        "email_verified_at_0": "",
        "email_verified_at_1": "",
        "notify_on_post_comments": "on",
        "notify_replies_default": "on",
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:30:00",
        "_save": "Save",
    }
    return data | overrides


@pytest.mark.parametrize("role", [EDITORS, CONTRIBUTORS])
def test_adding_a_role_in_the_change_form_makes_staff(superuser_client, role):
    person = UserFactory()
    group = Group.objects.get(name=role)

    response = superuser_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        change_form_data(person, groups=[group.pk]),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert is_in(person, role)
    assert person.is_staff


def test_removing_the_last_role_in_the_change_form_ends_staff(superuser_client):
    person = UserFactory(moderator=True)

    superuser_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        change_form_data(person, groups=[]),
    )

    person.refresh_from_db()
    assert not person.groups.exists()
    assert not person.is_staff


def test_the_staff_flag_cannot_be_ticked_by_hand(superuser_client):
    person = UserFactory()
    url = reverse("admin:accounts_user_change", args=[person.pk])

    page = superuser_client.get(url)
    superuser_client.post(url, change_form_data(person, is_staff="on"))

    assert "is_staff" not in page.context["adminform"].form.fields
    assert "Staff status follows the roles" in page.text
    person.refresh_from_db()
    assert not person.is_staff


def test_making_someone_superuser_in_the_change_form_makes_staff(superuser_client):
    person = UserFactory()

    superuser_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        change_form_data(person, is_superuser="on"),
    )

    person.refresh_from_db()
    assert person.is_superuser
    assert person.is_staff


def test_change_form_shows_profile_email_preferences_and_deletion(superuser_client):
    person = UserFactory(deleted_at=timezone.now())

    response = superuser_client.get(reverse("admin:accounts_user_change", args=[person.pk]))

    fields = response.context["adminform"].form.fields
    for name in (
        "display_name",
        "byline_title",
        "bio",
        "avatar",
        "email_verified_at",
        "notify_on_post_comments",
        "notify_replies_default",
        "groups",
    ):
        assert name in fields, name
    assert "deleted_at" not in fields
    assert "Account deleted" in response.text


def test_a_superuser_can_confirm_an_email_address_by_hand(superuser_client):
    person = UserFactory(unverified=True)

    superuser_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        change_form_data(person, email_verified_at_0="2026-03-01", email_verified_at_1="12:00"),
    )

    person.refresh_from_db()
    assert person.email_verified_at is not None


# --- The public profile goes through the profile service --------------------------------


def commenter_on_a_post() -> tuple[User, str]:
    """A member with a published comment, and the address of the post it is on."""
    member = UserFactory(username="sam", display_name="Sam Reader")
    comment = CommentFactory(user=member, guest_name="", guest_email="")
    post_comments_bump(comment.post_id)
    return member, comment.post.get_absolute_url()


def large_jpeg_with_gps() -> SimpleUploadedFile:
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    buffer = io.BytesIO()
    PILImage.new("RGB", (3000, 2000), (200, 60, 40)).save(
        buffer, format="JPEG", exif=exif.tobytes()
    )
    return SimpleUploadedFile("holiday.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_display_name_changed_in_the_admin_shows_on_the_cached_thread_at_once(
    superuser_client,
):
    member, post_url = commenter_on_a_post()
    assert "Sam Reader" in Client().get(post_url).text  # the thread is cached now

    response = superuser_client.post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        change_form_data(member, display_name="Samira Q"),
    )

    assert response.status_code == 302
    html = Client().get(post_url).text
    assert "Samira Q" in html
    assert "Sam Reader" not in html


def test_avatar_uploaded_in_the_admin_is_a_square_webp_without_metadata(
    superuser_client, media_root, stored_files
):
    member, post_url = commenter_on_a_post()
    Client().get(post_url)  # the thread is cached now, without an avatar

    response = superuser_client.post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        change_form_data(member, avatar=large_jpeg_with_gps()),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar.name.endswith(".webp")
    with PILImage.open(media_root / member.avatar.name) as stored:
        assert (stored.format, stored.size) == ("WEBP", (256, 256))
        assert "exif" not in stored.info
        assert len(stored.getexif()) == 0
    assert b"PhoneMaker" not in (media_root / member.avatar.name).read_bytes()
    assert stored_files() == [member.avatar.name]
    assert f'src="/media/{member.avatar.name}"' in Client().get(post_url).text


def test_avatar_removed_in_the_admin_leaves_storage(
    superuser_client, stored_files, django_capture_on_commit_callbacks
):
    member, _post_url = commenter_on_a_post()
    url = reverse("admin:accounts_user_change", args=[member.pk])
    superuser_client.post(url, change_form_data(member, avatar=large_jpeg_with_gps()))
    member.refresh_from_db()
    assert stored_files() == [member.avatar.name]

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(url, change_form_data(member, remove_avatar="on"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.avatar
    assert stored_files() == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"avatar": SimpleUploadedFile("me.jpg", b"just some words\n" * 20)},
            "avatar",
            "This file is not a picture we can read. Please upload a JPEG, PNG or WebP picture.",
        ),
        (
            {"avatar": SimpleUploadedFile("me.gif", b"GIF89a" + b"\0" * 40)},
            "avatar",
            "Please upload a JPEG, PNG or WebP picture.",
        ),
        ({"display_name": "Former Member"}, "display_name", "marks deleted accounts"),
        ({"display_name": "Sam\u200bQ"}, "display_name", "a character we can’t show"),
    ],
    ids=["text-as-jpeg", "broken-gif", "reserved-name", "invisible-character"],
)
def test_bad_profile_input_in_the_admin_is_a_form_error_and_changes_nothing(
    superuser_client, stored_files, overrides, field, message
):
    member, post_url = commenter_on_a_post()
    url = reverse("admin:accounts_user_change", args=[member.pk])
    superuser_client.post(url, change_form_data(member, avatar=large_jpeg_with_gps()))
    member.refresh_from_db()
    before = (member.display_name, member.bio, member.avatar.name, stored_files())
    version = member.comments.get().post.comment_version

    response = superuser_client.post(
        url, change_form_data(member, **({"bio": "Changed"} | overrides))
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert any(message in error for error in errors), errors
    member.refresh_from_db()
    after = (member.display_name, member.bio, member.avatar.name, stored_files())
    assert after == before
    assert member.comments.get().post.comment_version == version
    assert "Sam Reader" in Client().get(post_url).text


# --- The user list ---------------------------------------------------------------------


def test_user_list_shows_each_persons_roles(superuser_client):
    UserFactory(username="both", is_staff=True, roles=[EDITORS, MODERATORS])
    UserFactory(username="plain")

    response = superuser_client.get(reverse("admin:accounts_user_changelist"))

    rows = {
        row.split("</a>")[0].rsplit(">", 1)[-1]: row
        for row in response.text.split('class="field-username"')[1:]
    }
    assert '<td class="field-roles">Editors, Moderators</td>' in rows["both"]
    assert '<td class="field-roles">-</td>' in rows["plain"]


@pytest.mark.parametrize("count", [3, 30])
def test_user_list_runs_a_fixed_number_of_queries(
    superuser_client, django_assert_max_num_queries, count
):
    for _ in range(count):
        UserFactory(is_staff=True, roles=[EDITORS, MODERATORS])

    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = superuser_client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200


def test_user_list_filters_by_role(superuser_client):
    UserFactory(username="ed", editor=True)
    UserFactory(username="mo", moderator=True)
    editors = Group.objects.get(name=EDITORS)

    response = superuser_client.get(
        reverse("admin:accounts_user_changelist"), {"groups__id__exact": editors.pk}
    )

    assert [u.username for u in response.context["cl"].result_list] == ["ed"]


# --- Only superusers ------------------------------------------------------------------


@pytest.mark.parametrize("role", [EDITORS, MODERATORS])
def test_the_role_groups_hold_no_permission_over_people_or_groups(role):
    codenames = set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label__in=["accounts", "auth", "axes"])
        .values_list("codename", flat=True)
    )

    assert codenames == set()


def test_staff_given_user_and_group_permissions_still_cannot_open_them(client):
    # Whoever can edit people can make themselves a superuser: superusers only,
    # whatever a group is given by mistake.
    staff = UserFactory(editor=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["accounts", "auth"],
            codename__regex=r"^(view|change|add|delete)_(user|group)$",
        )
    )
    client.force_login(staff)
    member = UserFactory()

    for url in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[member.pk]),
        reverse("admin:auth_group_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("admin:accounts_user_change", args=[staff.pk]),
        change_form_data(staff, is_superuser="on"),
    )
    assert response.status_code == 403
    staff.refresh_from_db()
    assert not staff.is_superuser


# --- Sign-in lockouts (django-axes) ----------------------------------------------------


@pytest.fixture
def attempt():
    return AccessAttempt.objects.create(
        username="someone",
        ip_address="203.0.113.9",
        user_agent="test",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
    )


def test_superusers_see_and_delete_access_attempts(superuser_client, attempt):
    listed = superuser_client.get(reverse("admin:axes_accessattempt_changelist"))
    deleted = superuser_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert listed.status_code == 200
    assert "203.0.113.9" in listed.text
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_cleaning_up_expired_attempts_removes_only_the_expired(superuser_client, attempt, settings):
    # The action django-axes ships failed with an AttributeError on every click (a 500).
    recent = AccessAttempt.objects.create(
        username="recent", ip_address="203.0.113.10", user_agent="test", failures_since_start=1
    )
    expired_at = timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(minutes=1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=expired_at)

    response = superuser_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "cleanup_expired_attempts", ACTION_CHECKBOX_NAME: [recent.pk]},
    )

    assert response.status_code == 302
    assert list(AccessAttempt.objects.all()) == [recent]
    assert "Cleaned up 1 expired access attempts." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


@pytest.mark.parametrize("trait", ["editor", "moderator"])
def test_editors_and_moderators_cannot_see_or_delete_access_attempts(client, attempt, trait):
    client.force_login(UserFactory(**{trait: True}))

    listed = client.get(reverse("admin:axes_accessattempt_changelist"))
    deleted = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert listed.status_code == 403
    assert deleted.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_deleting_the_access_attempt_unlocks_a_locked_out_admin_sign_in(
    client, superuser, settings
):
    editor = UserFactory(username="ed", editor=True)
    login = reverse("admin:login")
    wrong = {"username": "ed", "password": "not the password", "next": "/admin/"}
    right = {"username": "ed", "password": DEFAULT_PASSWORD, "next": "/admin/"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, wrong)
    assert client.post(login, right).status_code == 429

    admin = type(client)()
    admin.force_login(superuser)
    attempt = AccessAttempt.objects.get(username="ed")
    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    response = client.post(login, right)
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_superusers_close_accounts_instead_of_deleting_them(admin_client):
    from comments.models import Comment
    from tests.factories import CommentFactory

    member = UserFactory(username="leaving", display_name="Leaving Soon")
    comment = CommentFactory(user=member, guest_name="", guest_email="")
    changelist = reverse("admin:accounts_user_changelist")
    assert "delete_selected" not in admin_client.get(changelist).content.decode()
    delete_url = reverse("admin:accounts_user_delete", args=[member.pk])
    assert admin_client.get(delete_url).status_code == 403

    response = admin_client.post(
        changelist, {"action": "close_accounts", "_selected_action": [member.pk]}, follow=True
    )
    assert "1 account closed." in response.content.decode()
    member.refresh_from_db()
    assert (member.is_active, member.deleted_at is not None) == (False, True)
    assert member.public_name == "Former member"
    assert Comment.objects.get(pk=comment.pk).user is None

"""Leaving: deleting an account removes the person and keeps the discussions whole."""

import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from accounts.avatars import avatar_process
from accounts.models import User
from accounts.roles import MODERATORS
from accounts.services.profile import account_delete, profile_update
from blog.models import Post
from comments.models import Comment
from comments.services import comment_create, post_comments_bump
from tests.factories import DEFAULT_PASSWORD, CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

DELETE_URL = reverse("accounts:delete")


@pytest.fixture
def member():
    return UserFactory(
        username="sam",
        email="sam@example.com",
        display_name="Sam Reader",
        first_name="Samira",
        last_name="Reader",
        bio="Reads everything.",
        byline_title="Volunteer",
        email_verified_at=timezone.now(),
    )


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def with_avatar(member: User) -> User:
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 300), (10, 120, 60)).save(buffer, format="PNG")
    return profile_update(
        user=member,
        display_name=member.display_name,
        byline_title=member.byline_title,
        bio=member.bio,
        notify_replies_default=True,
        notify_on_post_comments=True,
        avatar=avatar_process(SimpleUploadedFile("me.png", buffer.getvalue())),
    )


def member_comment(member, **kwargs) -> Comment:
    defaults = {
        "user": member,
        "guest_name": "",
        "guest_email": "",
        "ip_hash": "abc123",
        "user_agent": "Firefox",
        "notify_on_reply": True,
    }
    comment = CommentFactory(**(defaults | kwargs))
    post_comments_bump(comment.post_id)
    return comment


# --- The page --------------------------------------------------------------------


def test_delete_page_explains_what_happens_and_links_to_the_export(signed_in):
    response = signed_in.get(DELETE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "accounts/delete.html" in [t.name for t in response.templates]
    assert "“Former member”" in html
    assert "This cannot be undone." in html
    assert f'href="{reverse("accounts:export")}"' in html
    assert 'type="password"' in html
    assert 'autocomplete="current-password"' in html


def test_anonymous_post_to_delete_is_sent_to_sign_in(client, member):
    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    member.refresh_from_db()
    assert member.is_active


def test_delete_without_csrf_token_is_refused(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.deleted_at is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("not my password", "That password isn’t right, so your account was not deleted."),
        ("", "This field is required."),
    ],
)
def test_wrong_password_is_refused_and_nothing_changes(signed_in, member, password, message):
    comment = member_comment(member)
    response = signed_in.post(DELETE_URL, {"password": password})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    member.refresh_from_db()
    assert (member.username, member.is_active, member.deleted_at) == ("sam", True, None)
    comment.refresh_from_db()
    assert comment.user == member
    assert signed_in.get(reverse("accounts:profile")).status_code == 200


# --- What deleting does ------------------------------------------------------------


def test_deleting_signs_out_and_says_so(signed_in, member):
    response = signed_in.post(DELETE_URL, {"password": DEFAULT_PASSWORD}, follow=True)
    assert response.redirect_chain == [(reverse("blog:home"), 302)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your account has been deleted."
    ]
    assert not response.wsgi_request.user.is_authenticated
    assert signed_in.get(reverse("accounts:profile")).status_code == 302


def test_deleting_scrubs_the_account(
    signed_in, member, stored_files, django_capture_on_commit_callbacks
):
    with_avatar(member)
    member.groups.add(Group.objects.get(name=MODERATORS))
    assert stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    member.refresh_from_db()
    pk = member.pk
    assert member.username == f"deleted-{pk}"
    assert member.email == f"deleted-{pk}@invalid"
    assert (member.first_name, member.last_name, member.display_name) == ("", "", "")
    assert (member.byline_title, member.bio) == ("", "")
    assert not member.avatar
    assert stored_files() == []
    assert not member.has_usable_password()
    assert not member.check_password(DEFAULT_PASSWORD)
    assert (member.is_active, member.is_staff, member.is_superuser) == (False, False, False)
    assert not member.groups.exists()
    assert member.deleted_at is not None
    assert member.email_verified_at is None
    for username in ("sam", f"deleted-{pk}"):
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=DEFAULT_PASSWORD) is None


def test_other_sessions_of_the_account_end(member):
    laptop, phone = Client(), Client()
    laptop.force_login(member)
    phone.force_login(member)
    laptop.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert phone.get(reverse("accounts:profile")).status_code == 302


def test_username_and_address_are_free_again(signed_in, member):
    signed_in.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    newcomer = User.objects.create_user(username="sam", email="SAM@example.com", password="x")
    assert newcomer.pk != member.pk


def test_comments_stay_as_former_member_with_nothing_personal(signed_in, member):
    post = PostFactory()
    published = member_comment(member, post=post, body="Visible words.")
    pending = member_comment(member, post=post, status="pending", body="Waiting words.")
    elsewhere = member_comment(member, body="On another article.")

    signed_in.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    for comment in (published, pending, elsewhere):
        comment.refresh_from_db()
        assert comment.user is None
        assert (comment.guest_name, comment.guest_email) == ("", "")
        assert (comment.ip_hash, comment.user_agent) == ("", "")
        assert comment.notify_on_reply is False
        assert comment.author_name == "Former member"
    assert (published.body, published.status) == ("Visible words.", "published")
    assert pending.status == "pending"


def test_thread_keeps_its_shape_and_shows_former_member(signed_in, member, client):
    post = PostFactory()
    root = CommentFactory(post=post, guest_name="Mira Osei", body="Opening question.")
    theirs = member_comment(member, parent=root, body="My answer.")
    reply = CommentFactory(parent=theirs, guest_name="Tom Hale", body="Thanks for that.")
    post_comments_bump(post.pk)
    page = Client()
    assert "Sam Reader" in page.get(post.get_absolute_url()).content.decode()  # cached
    version = Post.objects.get(pk=post.pk).comment_version

    signed_in.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    theirs.refresh_from_db()
    reply.refresh_from_db()
    assert (theirs.parent_id, theirs.thread_id, theirs.depth) == (root.pk, root.pk, 1)
    assert (reply.parent_id, reply.thread_id, reply.depth) == (theirs.pk, root.pk, 2)
    post.refresh_from_db()
    assert post.comment_version == version + 1
    assert post.comment_count == 3

    html = page.get(post.get_absolute_url()).content.decode()
    assert "Sam Reader" not in html
    assert "3 thoughts on" in html
    theirs_html = html[html.index(f'id="comment-{theirs.pk}"') :]
    assert theirs_html.index("Former member") < theirs_html.index("My answer.")
    # Tom's reply is still nested inside the former member's comment.
    nested = theirs_html[: theirs_html.index("</li>")]
    assert f'id="comment-{reply.pk}"' in nested
    assert "Thanks for that." in nested
    assert "sam@example.com" not in html


def test_replies_no_longer_e_mail_the_deleted_member(
    signed_in, member, django_capture_on_commit_callbacks
):
    post = PostFactory(author__notify_on_post_comments=False)
    theirs = member_comment(member, post=post)

    def reply(name: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            comment_create(
                post=post, body=f"A reply from {name}.", user=UserFactory(), parent_id=theirs.pk
            )

    reply("before")
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    mail.outbox.clear()

    signed_in.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    reply("after")

    assert mail.outbox == []


def test_deleted_author_gets_no_e_mails_about_comments_on_their_articles(
    django_capture_on_commit_callbacks,
):
    editor = UserFactory(editor=True, email="ed@example.com")
    post = PostFactory(author=editor)
    account_delete(user=editor, password=DEFAULT_PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(post=post, body="A new comment.", user=UserFactory())
    assert mail.outbox == []


# --- Refusals -------------------------------------------------------------------------


def test_last_active_superuser_cannot_delete_their_account(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    UserFactory(is_superuser=True, is_staff=True, is_active=False)
    client.force_login(admin)
    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "You are the last active administrator" in response.content.decode()
    admin.refresh_from_db()
    assert (admin.is_active, admin.is_superuser, admin.deleted_at) == (True, True, None)


def test_a_superuser_may_leave_while_another_remains():
    admin = UserFactory(is_superuser=True, is_staff=True)
    UserFactory(is_superuser=True, is_staff=True)
    account_delete(user=admin, password=DEFAULT_PASSWORD)
    admin.refresh_from_db()
    assert admin.deleted_at is not None
    assert not admin.is_superuser


def test_service_refuses_a_wrong_password(member):
    with pytest.raises(ValidationError) as refused:
        account_delete(user=member, password="guess")
    assert refused.value.code == "wrong_password"
    member.refresh_from_db()
    assert member.is_active

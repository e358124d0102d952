"""The post page kept as a shell for readers outside the full-page cache (core.holes,
blog.views.post_detail): every reader gets their own header, messages and form in it,
nothing of one reader is ever kept in it, and every input of what it keeps moves its key."""

import pickle
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.services import post_save
from comments.models import DiscussionSettings
from comments.services.posting import discussion_settings_save, post_comments_bump
from core.holes import Shell
from tests.factories import CommentFactory, PostFactory, UserFactory, build_discussion

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    post = PostFactory(title="Rivers in spring", published_at=timezone.now() - timedelta(days=2))
    build_discussion(post, [2, 1])
    return post


def reader(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(client: Client, post, query: str = "") -> str:
    response = client.get(post.get_absolute_url() + query)
    assert response.status_code == 200
    return response.text


def shells() -> list[Shell]:
    """The post page shells in the tests' local memory cache."""
    found = []
    for stored in cache._cache.values():
        value = pickle.loads(stored)  # noqa: S301 (our own test cache)
        if isinstance(value, Shell):
            found.append(value)
    return found


def without_tokens(html: str) -> str:
    """The page less what is made afresh for each request: CSRF and form tokens."""
    return re.sub(r'name="(csrfmiddlewaretoken|token)" value="[^"]*"', "", html)


def test_members_share_the_shell_and_each_sees_their_own_header_and_form(post):
    # (Made first: making a member moves the page version, and with it every shell's key.)
    alice = UserFactory(display_name="Alice Example")
    bob = UserFactory(display_name="Bob Example")
    assert "Alice Example" in page(reader(alice), post)
    (shell,) = shells()
    bobs = page(reader(bob), post)
    assert shells() == [shell]  # Bob's page came from Alice's shell
    assert "Commenting as <strong>Bob Example</strong>" in bobs
    assert "Alice Example" not in bobs
    assert "Sign out" in bobs
    assert bobs.count('<li id="comment-') == post.comments.count()


def test_the_shell_keeps_nothing_of_the_reader_who_drew_it(post):
    alice = UserFactory(display_name="Alice Example", username="alice", email="al@example.org")
    client = reader(alice)
    html = page(client, post)
    (shell,) = shells()
    kept = b"".join(shell.texts).decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    for personal in ("Alice Example", "alice", "al@example.org", "csrfmiddlewaretoken", token):
        assert personal not in kept
    assert "Sign out" not in kept
    assert "Rivers in spring" in kept  # the article and the thread are kept
    assert '<li id="comment-' in kept


def test_a_page_from_the_shell_is_the_page_drawn_in_full(post):
    client = reader(UserFactory(display_name="Alice Example"))
    drawn = page(client, post)  # the shell rendered for this request
    assert without_tokens(page(client, post)) == without_tokens(drawn)


def test_the_csrf_token_in_a_page_from_the_shell_is_accepted(post, settings):
    settings.COMMENT_FORM_MIN_SECONDS = 0
    page(reader(UserFactory()), post)  # someone else's request stored the shell
    bob = UserFactory(display_name="Bob Example")
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    html = page(client, post)
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|token)" value="([^"]+)"', html))
    response = client.post(
        reverse("comments:post", args=[post.pk]),
        {**fields, "body": "Posted from a shell.", "parent": "", "website": ""},
    )
    assert response.status_code == 302
    assert "Posted from a shell." in page(client, post)


def test_a_warm_member_page_runs_four_queries(post, django_assert_num_queries):
    page(reader(UserFactory()), post)
    client = reader(UserFactory())
    page(client, post)  # the post's commenters cached with this member among the readers
    # The session, the member, the shared pages' version, the discussion settings.
    with django_assert_num_queries(4):
        page(client, post)


# --- What each reader sees in the holes --------------------------------------------------


def test_staff_see_the_admin_link_in_a_shell_drawn_for_a_member(post):
    member, staff = UserFactory(), UserFactory(is_staff=True)
    assert reverse("admin:index") not in page(reader(member), post)
    html = page(reader(staff), post)
    assert reverse("admin:index") in html
    assert len(shells()) == 1


def test_an_unconfirmed_member_is_asked_to_confirm_in_a_shared_shell(post):
    member, unconfirmed = UserFactory(), UserFactory(unverified=True, email="new@example.org")
    assert "Please confirm" not in page(reader(member), post)
    html = page(reader(unconfirmed), post)
    assert "Please confirm your e-mail address to comment." in html
    assert "new@example.org" in html
    assert len(shells()) == 1


def test_a_members_pending_message_shows_on_a_page_from_the_shell(post):
    member, client = UserFactory(), reader(UserFactory())
    page(reader(member), post)
    client.get(reverse("accounts:signup"))  # "You’re already signed in." for the next page
    html = page(client, post)
    assert "You’re already signed in." in html
    assert "You’re already signed in." not in page(client, post)  # shown once
    assert len(shells()) == 1


def test_the_reply_form_is_drawn_for_the_comment_asked(post):
    first = post.comments.filter(parent=None).order_by("pk").first()
    client = reader(UserFactory())
    page(client, post)
    html = page(client, post, f"?replyto={first.pk}")
    assert f"Reply to {first.author_name}" in html
    assert re.search(rf'name="parent"\s+value="{first.pk}"', html)


# --- Every input of the shell moves its key -----------------------------------------------


def test_a_comment_by_someone_else_shows_at_once(post, settings):
    settings.COMMENT_FORM_MIN_SECONDS = 0
    alice = reader(UserFactory())
    page(alice, post)
    bob = reader(UserFactory())
    bob.post(
        reverse("comments:post", args=[post.pk]),
        {"body": "A new point of view.", "parent": "", "website": "", "token": _token(bob, post)},
    )
    assert "A new point of view." in page(alice, post)


def _token(client: Client, post) -> str:
    return re.search(r'name="token" value="([^"]+)"', page(client, post)).group(1)


def test_the_discussion_closing_with_time_shows_at_once(post):
    # It closes 3 days after publication: 30 seconds from now, well within the time a
    # shell is kept, and with no write to move the page version.
    post.published_at = timezone.now() - timedelta(days=3) + timedelta(seconds=30)
    post_save(post=post)
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"close_after_days": 3})
    client = reader(UserFactory())
    html = page(client, post)
    assert "Comments are closed." not in html
    assert "replyto=" in html
    with time_machine.travel(timezone.now() + timedelta(seconds=40), tick=False):
        closed = page(client, post)
    assert "Comments are closed." in closed
    assert "replyto=" not in closed  # the thread itself, kept in the shell, has no Reply links


def test_a_settings_change_shows_at_once(post):
    client = reader(UserFactory())
    assert "replyto=" in page(client, post)
    settings = DiscussionSettings.objects.get_or_create(pk=1)[0]
    settings.max_depth = 1
    discussion_settings_save(settings=settings)
    assert "replyto=" not in page(client, post)


def test_a_post_closed_for_comments_shows_at_once(post):
    client = reader(UserFactory())
    assert "Comments are closed." not in page(client, post)
    post.comments_enabled = False
    post_save(post=post)
    html = page(client, post)
    assert "Comments are closed." in html
    assert "replyto=" not in html


def test_another_comment_page_is_another_shell(post, settings):
    client = reader(UserFactory())
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"comments_per_page": 1})
    first = page(client, post)
    second = page(client, post, "?cpage=2")
    assert first != second
    assert len(shells()) == 2


@pytest.mark.parametrize(
    "setting", [{"SITE_NAME": "Another Tribune"}, {"TIME_ZONE": "America/New_York"}]
)
def test_the_site_name_and_time_zone_are_in_the_key(post, settings, setting):
    client = reader(UserFactory())
    before = page(client, post)
    for name, value in setting.items():
        setattr(settings, name, value)
    after = page(client, post)
    assert after != before
    assert len(shells()) == 2


def test_the_host_is_in_the_key(post, settings):
    settings.ALLOWED_HOSTS = ["testserver", "news.example.org"]
    client = reader(UserFactory())
    page(client, post)
    other = client.get(post.get_absolute_url(), HTTP_HOST="news.example.org").text
    assert "http://news.example.org/" in other


# --- Readers with something of their own are drawn in full -------------------------------


def test_a_member_with_a_comment_of_their_own_sees_it_as_theirs(post):
    page(reader(UserFactory()), post)
    alice = UserFactory(display_name="Alice Example")
    CommentFactory(post=post, user=alice, guest_name="", guest_email="", body="Mine.")
    post_comments_bump(post.pk)
    html = page(reader(alice), post)
    assert "Mine." in html
    assert "Edit" in html

"""The shared thread cache: whatever reaches a cached thread is in its key or moves its
version, so the very next anonymous load after a change shows it.

Each test warms the cache with an anonymous load (and checks the thread is cached), makes
one change through the surface people use (the admin, the profile page, the services the
site calls), and loads the page again as another anonymous reader.
"""

import io
import re
import socket
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.admin.utils import flatten_fieldsets
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from blog.models import Post
from comments import selectors, services
from comments.admin.discussion_settings import DiscussionSettingsAdmin
from comments.caching import thread_cache_key
from comments.forms import new_form_token
from comments.models import Comment, DiscussionSettings, Guideline
from comments.selectors.modes import post_discussion_get
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def thread(post: Post) -> str:
    """The discussion section of the post page, as a new anonymous reader gets it past the
    full-page cache (tests/core/test_pagecache.py), so the thread cache is what is tested."""
    reader = Client()
    reader.cookies[django_settings.PAGE_CACHE_FRESH_COOKIE] = "1"
    response = reader.get(post.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="comments"') :]


def is_cached(post: Post) -> bool:
    post.refresh_from_db()
    settings, mode = post_discussion_get(post=post)
    key = thread_cache_key(
        post=post, settings=settings, page=1, mode=mode, origin="http://testserver"
    )
    return cache.get(key) is not None


def warm(post: Post) -> str:
    """Load the page anonymously so its thread is in the shared cache; return the thread."""
    html = thread(post)
    assert is_cached(post)
    return html


def discuss(post: Post) -> None:
    """Bring the post's comment count and version in line with the comments stored."""
    services.post_comments_bump(post.pk)
    post.refresh_from_db()


def post_form(post: Post, **overrides) -> dict:
    """What the admin's change form sends back for ``post`` unchanged."""
    local = timezone.localtime(post.published_at)
    data = {
        "title": post.title,
        "slug": post.slug,
        "excerpt": post.excerpt,
        "body": post.body,
        "featured_image": "",
        "categories": [],
        "tags": [],
        "comments_enabled": "on" if post.comments_enabled else "",
        "status": post.status,
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
        "discussion_modes-TOTAL_FORMS": "0",
        "discussion_modes-INITIAL_FORMS": "0",
        # Corrections and updates shown to readers (blog.admin.PostNoteInline), none.
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        # Co-authors (blog.admin.coauthors.PostCoauthorInline), none.
        "coauthors-TOTAL_FORMS": "0",
        "coauthors-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def settings_form(**overrides) -> dict:
    """The discussion settings' admin form as it stands, with ``overrides``: every field the
    admin shows, so a field added later is sent too."""
    current = selectors.discussion_settings_get()
    data = {}
    editable = set(flatten_fieldsets(DiscussionSettingsAdmin.fieldsets))
    for name in editable - set(DiscussionSettingsAdmin.readonly_fields):
        value = getattr(current, name)
        if isinstance(value, bool):
            value = "on" if value else ""
        data[name] = "" if value is None else value
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


SETTINGS_CHANGE = reverse("admin:comments_discussionsettings_change", args=[1])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def superuser_client() -> Client:
    return signed_in(UserFactory(is_staff=True, is_superuser=True))


def reply_links(html: str) -> int:
    return len(re.findall(r'href="\?(?:cpage=\d+&amp;)?replyto=\d+#respond">Reply</a>', html))


# --- The post ---------------------------------------------------------------------


def test_renamed_post_shows_its_new_title_in_the_heading():
    post = PostFactory(title="Old title")
    CommentFactory(post=post)
    discuss(post)
    assert "One thought on “Old title”" in warm(post)

    editor = signed_in(UserFactory(editor=True))
    response = editor.post(
        reverse("admin:blog_post_change", args=[post.pk]), post_form(post, title="New title")
    )

    assert response.status_code == 302
    html = thread(post)
    assert "One thought on “New title”" in html
    assert "Old title" not in html


def test_the_author_badge_follows_the_posts_new_author():
    writer = UserFactory(editor=True)
    post = PostFactory()
    CommentFactory(post=post, member=True, user=writer)
    discuss(post)
    assert "comment-by-author" not in warm(post)

    response = superuser_client().post(
        reverse("admin:blog_post_change", args=[post.pk]), post_form(post, author=writer.pk)
    )

    assert response.status_code == 302
    assert "comment-by-author" in thread(post)


def test_turning_comments_off_on_a_post_removes_the_reply_links():
    post = PostFactory()
    CommentFactory(post=post)
    discuss(post)
    assert reply_links(warm(post)) == 1

    editor = signed_in(UserFactory(editor=True))
    response = editor.post(
        reverse("admin:blog_post_change", args=[post.pk]), post_form(post, comments_enabled="")
    )

    assert response.status_code == 302
    html = thread(post)
    assert reply_links(html) == 0
    assert "Comments are closed." in html


# --- Guidelines ------------------------------------------------------------------


def test_changed_guideline_shows_in_the_placeholders_that_cite_it():
    guideline = Guideline.objects.create(number=3, title="Be kind", text="Please.")
    post = PostFactory()
    rude = CommentFactory(post=post, status=Comment.Status.HIDDEN, guideline=guideline)
    CommentFactory(parent=rude)
    discuss(post)
    assert "3: Be kind" in warm(post)

    moderator = signed_in(UserFactory(moderator=True))
    response = moderator.post(
        reverse("admin:comments_guideline_change", args=[guideline.pk]),
        {"number": "4", "title": "Be civil", "text": "Please."},
    )

    assert response.status_code == 302
    html = thread(post)
    assert "4: Be civil" in html
    assert "#guideline-4" in html
    assert "Be kind" not in html


# --- Members -------------------------------------------------------------------


def picture() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 300), (10, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def profile_form(**overrides) -> dict:
    return {"display_name": "Sam Reader", "byline_title": "", "bio": ""} | overrides


@pytest.fixture
def member_comment():
    member = UserFactory(display_name="Sam Reader")
    # Old enough not to be editable, so its author's own page is the shared one too.
    comment = CommentFactory(
        member=True, user=member, created_at=timezone.now() - timedelta(days=1)
    )
    discuss(comment.post)
    return comment


def test_a_members_new_display_name_shows_at_once(member_comment):
    post = member_comment.post
    assert "Sam Reader" in warm(post)

    response = signed_in(member_comment.user).post(
        reverse("accounts:profile"), profile_form(display_name="Samira Q")
    )

    assert response.status_code == 302
    html = thread(post)
    assert "Samira Q" in html
    assert "Sam Reader" not in html


def test_a_members_new_avatar_shows_at_once(member_comment):
    post = member_comment.post
    assert 'src="/media/avatars/' not in warm(post)

    response = signed_in(member_comment.user).post(
        reverse("accounts:profile"), profile_form(avatar=picture())
    )

    assert response.status_code == 302
    member_comment.user.refresh_from_db()
    assert f'src="/media/{member_comment.user.avatar.name}"' in thread(post)


def test_a_closed_account_shows_as_former_member_at_once(member_comment):
    post = member_comment.post
    assert "Former member" not in warm(post)

    response = signed_in(member_comment.user).post(
        reverse("accounts:delete"), {"password": "correct horse battery staple"}
    )

    assert response.status_code == 302
    html = thread(post)
    assert "Former member" in html
    assert "Sam Reader" not in html


# --- Discussion settings ------------------------------------------------------------


def chain(post: Post, length: int) -> None:
    """A top-level comment with a chain of replies under it, one per level."""
    parent = None
    for _ in range(length):
        parent = CommentFactory(post=post, parent=parent)
    discuss(post)


def test_a_lower_maximum_depth_removes_reply_links_at_once():
    post = PostFactory()
    chain(post, 3)  # depths 0, 1 and 2: all take replies under the default depth of 5
    assert reply_links(warm(post)) == 3

    admin = superuser_client()
    response = admin.post(SETTINGS_CHANGE, settings_form(max_depth=2))

    assert response.status_code == 302
    assert reply_links(thread(post)) == 1


def test_a_smaller_page_size_splits_the_comments_at_once():
    post = PostFactory()
    for _ in range(6):
        CommentFactory(post=post)
    discuss(post)
    assert 'aria-label="Comment pages"' not in warm(post)

    response = superuser_client().post(SETTINGS_CHANGE, settings_form(comments_per_page=5))

    assert response.status_code == 302
    assert 'aria-label="Comment pages"' in thread(post)


def test_closing_discussions_after_some_days_applies_at_once():
    post = PostFactory(published_at=timezone.now() - timedelta(days=10))
    CommentFactory(post=post)
    discuss(post)
    assert reply_links(warm(post)) == 1

    response = superuser_client().post(SETTINGS_CHANGE, settings_form(close_after_days=7))

    assert response.status_code == 302
    html = thread(post)
    assert reply_links(html) == 0
    assert "Comments are closed." in html


def test_a_discussion_that_closes_with_time_drops_its_reply_links(discussion_settings):
    discussion_settings.close_after_days = 7
    services.discussion_settings_save(settings=discussion_settings)
    post = PostFactory(published_at=timezone.now() - timedelta(days=6))
    CommentFactory(post=post)
    discuss(post)
    assert reply_links(warm(post)) == 1

    # Nothing is written: the eighth day simply comes.
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        html = thread(post)

    assert reply_links(html) == 0
    assert "Comments are closed." in html


def test_a_settings_write_behind_the_services_back_shows_at_the_next_load(discussion_settings):
    post = PostFactory()
    chain(post, 3)
    assert reply_links(warm(post)) == 3
    # A shell or a data migration: no service called, and updated_at stays as it was.
    DiscussionSettings.objects.filter(pk=1).update(max_depth=2)

    assert reply_links(thread(post)) == 1


# --- When the cache is down --------------------------------------------------------


def test_with_redis_down_the_post_page_renders_its_thread_uncached(redis_server, no_flood):
    post = PostFactory()
    CommentFactory(post=post, body="Said before the outage.")
    discuss(post)
    warm(post)
    redis_server.stop()

    services.comment_create(
        post=post, body="Said during the outage.", guest_name="Ann", guest_email="ann@example.org"
    )

    html = thread(post)
    assert "Said before the outage." in html
    assert "Said during the outage." in html
    assert "2 thoughts on" in html


@pytest.mark.usefixtures("_quick_forms")
def test_with_redis_down_comments_and_settings_are_still_saved(redis_server, no_flood):
    post = PostFactory()
    redis_server.stop()

    response = Client().post(
        reverse("comments:post", args=[post.pk]),
        {
            "body": "Posted while the cache is down.",
            "name": "Ann",
            "email": "ann@example.org",
            "token": new_form_token(),
            "parent": "",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert Comment.objects.filter(body="Posted while the cache is down.").exists()

    response = superuser_client().post(SETTINGS_CHANGE, settings_form(comments_per_page=7))
    assert response.status_code == 302
    assert selectors.discussion_settings_get().comments_per_page == 7


def test_a_cache_that_does_not_answer_in_time_counts_as_down(settings):
    post = PostFactory()
    CommentFactory(post=post, body="Still here.")
    discuss(post)
    # Accepts connections and never answers, like a Redis stuck or behind a dead link.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        html = thread(post)
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert "Still here." in html

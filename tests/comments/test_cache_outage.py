"""Redis down, hung, and back: end to end against a redis-server of the test's own.

While it does not answer, pages render uncached, comments and moderation are stored,
members stay signed in, and the outage is one warning, not one a request. When it returns
with its old entries, none of them is served: every change made meanwhile moved the keys.
"""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from comments.forms import new_form_token
from comments.models import Comment, Guideline, ModeChange
from comments.modes.rules import Mode
from comments.services.modes import post_schedule_save
from comments.services.suspensions import person_of_comment, suspension_create
from tests.comments.test_thread_cache import (
    SETTINGS_CHANGE,
    discuss,
    settings_form,
    signed_in,
    superuser_client,
    thread,
    warm,
)
from tests.factories import CommentFactory, PostFactory, UserFactory, comment_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_quick_forms", "no_flood")]


@pytest.fixture
def discussion():
    post = PostFactory()
    rude = CommentFactory(post=post, body="A rude remark.")
    CommentFactory(post=post, body="A kind remark.")
    discuss(post)
    guideline = Guideline.objects.create(number=1, title="Be civil", text="Argue the point.")
    return post, rude, guideline


def send_comment(post, body: str):
    data = {
        "body": body,
        "name": "Ann",
        "email": "ann@example.org",
        "token": new_form_token(),
        "parent": "",
        "website": "",
    }
    return Client().post(reverse("comments:post", args=[post.pk]), data)


def hide(moderator: Client, comment, guideline):
    data = {"action": "hide", "guideline": guideline.pk, "note": ""}
    return moderator.post(reverse("comments:moderate", args=[comment.pk]), data)


def cache_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "core.cache" and r.levelno == logging.WARNING
    ]


@pytest.mark.parametrize("failure", ["stopped", "hung"])
def test_without_redis_pages_render_and_every_write_is_stored(
    redis_server, discussion, failure, caplog
):
    post, rude, guideline = discussion
    moderator = signed_in(UserFactory(moderator=True))
    warm(post)
    redis_server.stop() if failure == "stopped" else redis_server.pause()

    for _ in range(3):
        assert "A rude remark." in thread(post)
    assert send_comment(post, "Said during the outage.").status_code == 302
    assert hide(moderator, rude, guideline).status_code == 302
    page = moderator.get(post.get_absolute_url())

    assert Comment.objects.filter(body="Said during the outage.").exists()
    rude.refresh_from_db()
    assert rude.status == Comment.Status.HIDDEN
    # The moderator's session is in the database: still signed in, still moderating.
    assert page.status_code == 200
    assert page.wsgi_request.user.is_authenticated
    public = thread(post)
    assert "Said during the outage." in public
    assert "A rude remark." not in public
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("The cache did not answer (")


@pytest.mark.parametrize("outage", ["restarted", "hung then resumed"])
def test_when_redis_returns_with_its_old_entries_none_is_served(
    redis_server, discussion, outage, settings
):
    post, rude, guideline = discussion
    CommentFactory.create_batch(4, post=post)  # six, so a page of five splits them
    discuss(post)
    moderator = signed_in(UserFactory(moderator=True))
    before = warm(post)
    assert "A rude remark." in before
    assert 'aria-label="Comment pages"' not in before
    if outage == "restarted":
        redis_server.stop(keep=True)
    else:
        redis_server.pause()

    assert send_comment(post, "Said during the outage.").status_code == 302
    assert hide(moderator, rude, guideline).status_code == 302
    changed = superuser_client().post(SETTINGS_CHANGE, settings_form(comments_per_page=5))
    assert changed.status_code == 302

    if outage == "restarted":
        redis_server.start()
    else:
        redis_server.resume()
    assert redis_server.client.keys("*comments:thread*"), "the old thread is back in Redis"
    settings.CACHE_RETRY_SECONDS = 0  # ask Redis at once, as a later request would
    after = thread(post)

    assert "A rude remark." not in after
    assert 'aria-label="Comment pages"' in after
    assert len(redis_server.client.keys("*comments:thread*")) == 2, "the new one is cached"


def test_without_redis_a_schedule_and_a_suspension_still_apply(redis_server, discussion):
    post, _rude, guideline = discussion
    post_schedule_save(post=post, saved=[ModeChange(mode=Mode.SLOW, slow_minutes=10)])
    member = UserFactory()
    said = CommentFactory(post=post, user=member, body="Before the suspension.")
    suspension_create(
        person=person_of_comment(said),
        moderator=UserFactory(moderator=True),
        guideline=guideline,
        days=3,
    )
    redis_server.stop()

    assert "one comment every 10 minutes" in Client().get(post.get_absolute_url()).text
    client = signed_in(member)
    page = client.get(post.get_absolute_url()).text
    assert "You can’t comment until" in page
    data = {**comment_form_data(body="During the outage."), "name": "", "email": ""}
    assert client.post(reverse("comments:post", args=[post.pk]), data).status_code == 403
    assert not Comment.objects.filter(body="During the outage.").exists()

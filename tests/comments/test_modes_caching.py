"""Discussion modes and the caches: a scheduled change comes with nothing written, yet the
first request after it, on any app instance, shows the new mode — to an anonymous reader
served whole pages by the page cache (core.pagecache), to a reader past it served the
shared thread (comments.caching), and to a member served the page's shell (core.holes).
An edit of the schedule shows at once. And the post page's queries stay as few."""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client

from comments.models import ModeChange
from comments.modes.rules import Mode
from comments.services.modes import post_schedule_save
from core.models import PageVersion
from tests.comments.conftest import NOON
from tests.factories import PostFactory, UserFactory, build_discussion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

# Within the time every cache keeps a page or a shell (PAGE_CACHE_SECONDS), so the pages
# drawn before it are still kept when it comes.
SOON = NOON + timedelta(seconds=30)
MEMBERS_LINE = "Members only until 12:00, then open to everyone."


@pytest.fixture
def post(post_since_yesterday):
    build_discussion(post_since_yesterday, [1, 1])
    return post_since_yesterday


def schedule(post, *changes: tuple) -> None:
    rows = [ModeChange(starts_at=at, mode=mode) for at, mode in changes]
    post_schedule_save(post=post, saved=rows)
    post.refresh_from_db()


def anonymous(post) -> str:
    response = Client().get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def past_the_page_cache(post) -> str:
    """As an anonymous reader the page cache does not serve (one who just sent a form)."""
    client = Client()
    client.cookies[django_settings.PAGE_CACHE_FRESH_COOKIE] = "1"
    return client.get(post.get_absolute_url()).text


def reply_links(html: str) -> int:
    return len(re.findall(r"replyto=\d+", html))


@pytest.fixture
def member():
    client = Client()
    client.force_login(UserFactory())
    return client


def test_an_anonymous_page_shows_a_scheduled_change_at_the_first_request_after_it(
    post, clock, django_assert_num_queries
):
    schedule(post, (None, Mode.MEMBERS), (SOON, Mode.OPEN))
    assert MEMBERS_LINE in anonymous(post)
    clock.move_to(SOON - timedelta(seconds=1))
    with django_assert_num_queries(1):  # from the page cache: only the version is read
        assert MEMBERS_LINE in anonymous(post)
    version = PageVersion.objects.get().number

    clock.move_to(SOON)
    html = anonymous(post)
    assert MEMBERS_LINE not in html
    assert 'id="comment-form"' in html
    assert PageVersion.objects.get().number == version  # nothing was written


def test_a_closing_on_schedule_reaches_every_kind_of_reader_at_once(post, clock, member):
    schedule(post, (SOON, Mode.CLOSED))

    def pages() -> list[str]:
        as_member = member.get(post.get_absolute_url()).text
        return [anonymous(post), past_the_page_cache(post), as_member]

    for html in pages():  # each kept now: the whole page, the thread, the member's shell
        assert "Comments close at 12:00." in html
        assert reply_links(html) == 4
    clock.move_to(SOON)
    for html in pages():
        assert "Comments are closed." in html
        assert reply_links(html) == 0  # the shared thread itself, kept in every cache
        assert 'id="comment-form"' not in html


def test_the_page_caches_in_front_may_not_keep_a_page_past_its_change(post, clock):
    schedule(post, (None, Mode.MEMBERS), (SOON, Mode.OPEN))
    anonymous(post)
    clock.move_to(SOON - timedelta(seconds=4))
    response = Client().get(post.get_absolute_url())  # the page kept at noon
    assert response["Cache-Control"] == "public, max-age=4, stale-while-revalidate=0"
    # Without a change ahead, the usual lifetime.
    other = PostFactory(published_at=NOON - timedelta(days=1))
    Client().get(other.get_absolute_url())
    response = Client().get(other.get_absolute_url())
    assert f"max-age={django_settings.PAGE_CACHE_MAX_AGE}," in response["Cache-Control"]


def test_the_sites_automatic_closing_shows_at_its_moment_too(post, clock, discussion_settings):
    discussion_settings.close_after_days = 1
    discussion_settings.save()
    closing = post.published_at + timedelta(days=1)  # NOON: move back to half a minute before
    clock.move_to(closing - timedelta(seconds=30))
    assert reply_links(anonymous(post)) == 4
    clock.move_to(closing - timedelta(seconds=1))
    assert reply_links(anonymous(post)) == 4
    clock.move_to(closing)
    assert "Comments are closed." in anonymous(post)


def test_an_edited_schedule_shows_at_the_next_request(post, member):
    assert "Slow mode" not in anonymous(post)
    assert "Slow mode" not in member.get(post.get_absolute_url()).text
    version = post.comment_version
    post_schedule_save(post=post, saved=[ModeChange(mode=Mode.SLOW, slow_minutes=10)])
    post.refresh_from_db()
    assert post.comment_version == version + 1
    assert "Slow mode: one comment every 10 minutes." in anonymous(post)
    assert "Slow mode: one comment every 10 minutes." in member.get(post.get_absolute_url()).text


@pytest.mark.parametrize("sizes", [[1] * 3, [9] * 500], ids=["5 comments", "5000 comments"])
def test_a_post_with_a_schedule_runs_one_query_more_only_until_it_is_cached(
    clock, django_assert_num_queries, sizes
):
    post = PostFactory(published_at=NOON - timedelta(days=1))
    build_discussion(post, sizes)
    slow = ModeChange(mode=Mode.SLOW, slow_minutes=5)
    post_schedule_save(post=post, saved=[slow, ModeChange(starts_at=SOON, mode=Mode.OPEN)])
    # Uncached: the 13 queries of a post without a schedule (tests/comments/test_views.py)
    # and its schedule.
    with django_assert_num_queries(14):
        assert "Slow mode" in anonymous(post)
    with django_assert_num_queries(1):
        anonymous(post)
    # Past the page cache, the schedule comes from the cache like the thread: as many as
    # without one.
    with django_assert_num_queries(2):
        past_the_page_cache(post)
    client = Client()
    client.force_login(UserFactory())
    client.get(post.get_absolute_url())
    with django_assert_num_queries(4):
        assert "Slow mode" in client.get(post.get_absolute_url()).text

"""The shared full-page cache (core.pagecache), through HTTP: who gets a shared page, that
the view does not run for it, that every change shows at the very next request, and what
is sent (encodings, ETag, Cache-Control, Vary)."""

import gzip

import brotli
import pytest
from django.test import Client
from django.urls import reverse

from accounts.services.profile import profile_update
from blog.signals import post_page_context
from comments import services
from comments.discussion import COMMENTER_COOKIE
from comments.models import DiscussionSettings, Guideline
from core.models import PageVersion
from core.pagecache import accepted_encodings
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    PostFactory,
    UserFactory,
    build_discussion,
    comment_form_data,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def views_run():
    """How many times the post page view has run (it sends ``post_page_context``)."""
    calls = []

    def count(sender, **kwargs):
        calls.append(kwargs["request"].path)
        return {}

    post_page_context.connect(count, dispatch_uid="tests.views_run")
    yield calls
    post_page_context.disconnect(dispatch_uid="tests.views_run")


@pytest.fixture
def _quick_forms(settings):
    settings.COMMENT_FORM_MIN_SECONDS = 0


def html(response) -> str:
    """The page as a browser shows it, whatever encoding it came in."""
    body = response.content
    encoding = response.get("Content-Encoding", "")
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    return body.decode()


@pytest.mark.parametrize("sizes", [[1] * 3, [9] * 500], ids=["5 comments", "5000 comments"])
def test_the_second_anonymous_reader_gets_the_page_without_the_view_running(
    views_run, django_assert_num_queries, sizes
):
    post = PostFactory()
    build_discussion(post, sizes)
    services.post_comments_bump(post.pk)
    first = Client().get(post.get_absolute_url())
    assert first.status_code == 200
    assert len(views_run) == 1

    # Only the shared pages' version is read; nothing is rendered.
    with django_assert_num_queries(1):
        second = Client().get(post.get_absolute_url())
    assert second.status_code == 200
    assert len(views_run) == 1
    assert html(second) == html(first)
    assert "csrfmiddlewaretoken" not in html(second)


@pytest.mark.parametrize("sizes", [[1] * 3, [9] * 500], ids=["5 comments", "5000 comments"])
def test_a_member_never_gets_or_fills_the_shared_page(views_run, sizes):
    post = PostFactory()
    build_discussion(post, sizes)
    member = Client()
    member.force_login(UserFactory(display_name="Priya Member"))
    for _ in range(2):
        page = member.get(post.get_absolute_url())
        assert "Priya Member" in html(page)
        assert "csrfmiddlewaretoken" in html(page)
    assert len(views_run) == 2
    assert "private" in page["Cache-Control"]
    assert "public" not in page["Cache-Control"]

    anonymous = Client().get(post.get_absolute_url())
    assert len(views_run) == 3
    assert "Priya Member" not in html(anonymous)


@pytest.mark.parametrize(
    "cookie",
    ["sessionid", "messages", COMMENTER_COOKIE, "tribune_fresh"],
)
def test_a_reader_with_something_personal_gets_their_own_page(views_run, cookie):
    post = PostFactory()
    Client().get(post.get_absolute_url())
    reader = Client()
    reader.cookies[cookie] = "something"
    reader.get(post.get_absolute_url())
    own = reader.get(post.get_absolute_url())
    assert len(views_run) == 3
    assert "private" in own["Cache-Control"]


@pytest.mark.usefixtures("_quick_forms")
def test_no_shared_page_holds_a_token_a_moderator_control_or_a_remembered_name(views_run):
    post = PostFactory()
    CommentFactory(post=post, body="Hello there")
    moderator = Client()
    moderator.force_login(UserFactory(moderator=True))
    assert "Hide" in html(moderator.get(post.get_absolute_url()))
    guest = Client()
    guest.post(
        reverse("comments:post", args=[post.pk]),
        comment_form_data(name="Remembered Rosa", email="rosa@example.org", remember="on"),
    )
    assert COMMENTER_COOKIE in guest.cookies
    del guest.cookies["tribune_fresh"]
    assert 'value="Remembered Rosa"' in html(guest.get(post.get_absolute_url()))

    for _ in range(2):
        shared = Client().get(post.get_absolute_url())
        page = html(shared)
        assert "Hello there" in page
        assert "csrfmiddlewaretoken" not in page
        assert 'value="hide"' not in page
        assert 'value="Remembered Rosa"' not in page
        assert "Set-Cookie" not in shared.serialize_headers().decode()
    # The moderator, the remembered guest, the first anonymous reader after the comment.
    assert len(views_run) == 3


def test_a_page_that_set_a_cookie_is_never_stored(views_run, settings):
    # A page holding the CSRF token sets the CSRF cookie: such a page is personal.
    post = PostFactory()
    for _ in range(2):
        response = Client().get(post.get_absolute_url() + "?replyto=999")
        assert response.status_code == 200
    assert len(views_run) == 1
    settings.PAGE_CACHE_PERSONAL_COOKIES = ()
    member = Client()
    member.force_login(UserFactory())
    member.get(post.get_absolute_url())  # renders the token: set-cookie, so not kept
    own = member.get(post.get_absolute_url())
    assert len(views_run) == 3
    assert "private" in own["Cache-Control"]


def _new_comment(post):
    services.comment_create(
        post=post, body="Brand new remark", guest_name="Ann", guest_email="ann@example.org"
    )
    return "Brand new remark"


def _hidden_comment(post):
    comment = post.comments.get(body="Visible remark")
    guideline = Guideline.objects.create(number=7, title="Stay on topic", text="Please.")
    moderator = UserFactory(moderator=True)
    services.comment_hide(comment=comment, moderator=moderator, guideline=guideline)
    return "Stay on topic"


def _post_edited(post):
    post.title = "A corrected headline"
    post.save()
    return "A corrected headline"


def _guideline_renamed(post):
    comment = post.comments.get(body="Visible remark")
    guideline = Guideline.objects.create(number=7, title="Stay on topic", text="Please.")
    moderator = UserFactory(moderator=True)
    services.comment_hide(comment=comment, moderator=moderator, guideline=guideline)
    Client().get(post.get_absolute_url())
    guideline.title = "Keep to the subject"
    services.guideline_save(guideline=guideline)
    return "Keep to the subject"


def _settings_changed(post):
    settings = DiscussionSettings.objects.get_or_create(pk=1)[0]
    settings.guests_allowed = False
    services.discussion_settings_save(settings=settings)
    return "/accounts/login/?next="


def _profile_changed(post):
    member = post.comments.get(body="Visible remark").user
    profile_update(
        user=member,
        display_name="Renamed Reader",
        byline_title="",
        bio="",
        notify_replies_default=False,
        notify_on_post_comments=False,
    )
    return "Renamed Reader"


def _category_renamed(post):
    category = post.categories.get()
    category.name = "Renamed section"
    category.save()
    return "Renamed section"


@pytest.mark.parametrize(
    "change",
    [
        _new_comment,
        _hidden_comment,
        _post_edited,
        _guideline_renamed,
        _settings_changed,
        _profile_changed,
        _category_renamed,
    ],
)
def test_every_change_shows_at_the_very_next_request(change):
    post = PostFactory(categories=[CategoryFactory(name="Old section")])
    remark = CommentFactory(
        post=post, body="Visible remark", user=UserFactory(display_name="Reader")
    )
    # A reply keeps a hidden remark's place, under a placeholder naming the guideline.
    CommentFactory(post=post, parent=remark, body="A reply")
    services.post_comments_bump(post.pk)
    Client().get(post.get_absolute_url())
    assert "Visible remark" in html(Client().get(post.get_absolute_url()))

    expected = change(post)

    assert expected in html(Client().get(post.get_absolute_url()))


def test_home_and_archives_are_shared_and_follow_changes():
    category = CategoryFactory(name="Transport")
    post = PostFactory(title="Bus lanes", categories=[category])
    for address in ("/", category.get_absolute_url()):
        assert "Bus lanes" in html(Client().get(address))
        assert html(Client().get(address)).count("Bus lanes") >= 1
    post.title = "Cycle lanes"
    post.save()
    for address in ("/", category.get_absolute_url()):
        assert "Cycle lanes" in html(Client().get(address))


def test_the_page_comes_in_the_encoding_the_browser_takes():
    post = PostFactory(title="Encodings")
    plain = Client().get(post.get_absolute_url())
    assert "Content-Encoding" not in plain
    page = plain.content.decode()
    assert "Encodings" in page
    for accept, encoding in [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("identity", None),
    ]:
        response = Client().get(post.get_absolute_url(), headers={"accept-encoding": accept})
        assert response.get("Content-Encoding") == encoding
        assert html(response) == page
        assert int(response["Content-Length"]) == len(response.content)
        assert {"accept-encoding", "cookie"} <= {
            v.strip().lower() for v in response["Vary"].split(",")
        }


def test_headers_etag_and_not_modified():
    post = PostFactory()
    first = Client().get(post.get_absolute_url())
    assert first["ETag"].startswith('W/"')
    assert "public" in first["Cache-Control"]
    assert "max-age=10" in first["Cache-Control"]
    assert "stale-while-revalidate=30" in first["Cache-Control"]
    # What the middleware after the cache added is kept with the page.
    assert "Content-Security-Policy" in first
    assert first["X-Frame-Options"] == "DENY"

    again = Client().get(post.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]

    CommentFactory(post=post, body="Something new")
    services.post_comments_bump(post.pk)
    changed = Client().get(post.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_tracking_parameters_share_the_page_and_others_do_not(views_run):
    post = PostFactory()
    url = post.get_absolute_url()
    Client().get(url)
    Client().get(url + "?utm_source=social&utm_medium=share&fbclid=abc")
    assert len(views_run) == 1
    Client().get(url + "?cpage=1")
    Client().get(url + "?replyto=12")
    assert len(views_run) == 3


@pytest.mark.usefixtures("_quick_forms")
def test_whoever_sent_a_form_sees_fresh_pages(views_run):
    post = PostFactory()
    Client().get(post.get_absolute_url())
    guest = Client()
    sent = guest.post(reverse("comments:post", args=[post.pk]), comment_form_data())
    assert sent.status_code == 302
    assert sent.cookies["tribune_fresh"]["max-age"]
    page = guest.get(post.get_absolute_url())
    assert "A fair point, well made." in html(page)
    assert len(views_run) == 2


def test_pages_are_served_when_the_version_row_is_missing():
    post = PostFactory()
    PageVersion.objects.all().delete()
    assert Client().get(post.get_absolute_url()).status_code == 200
    CommentFactory(post=post, body="After the row came back")
    services.post_comments_bump(post.pk)
    assert "After the row came back" in html(Client().get(post.get_absolute_url()))


def test_without_redis_pages_are_rendered(redis_server, views_run):
    post = PostFactory()
    assert Client().get(post.get_absolute_url()).status_code == 200
    assert Client().get(post.get_absolute_url()).status_code == 200
    assert len(views_run) == 1
    redis_server.stop()
    for _ in range(2):
        response = Client().get(post.get_absolute_url(), headers={"accept-encoding": "br"})
        assert response.status_code == 200
        # Nothing can be kept, so the page is not compressed to be stored either.
        assert "Content-Encoding" not in response
    assert len(views_run) == 3


def test_accepted_encodings():
    assert accepted_encodings("gzip, deflate, br") == {"gzip", "deflate", "br"}
    assert accepted_encodings("br;q=0, gzip;q=0.8") == {"gzip"}
    assert accepted_encodings("gzip;q=nonsense, br") == {"br"}
    assert accepted_encodings("") == set()

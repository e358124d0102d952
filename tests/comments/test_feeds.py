"""The comment feeds: site-wide at /comments/feed/ and per post at /YYYY/MM/DD/slug/feed/."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.services import post_unpublish
from comments.models import Comment
from comments.services import post_comments_bump
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
}
SITE_FEED = "/comments/feed/"


def _post_feed_url(post) -> str:
    local = timezone.localtime(post.published_at)
    return reverse(
        "comments:post_comments_feed",
        kwargs={
            "year": f"{local:%Y}",
            "month": f"{local:%m}",
            "day": f"{local:%d}",
            "slug": post.slug,
        },
    )


def _get_xml(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response, ET.fromstring(response.content)  # noqa: S314 - our own response


def _items(client, url=SITE_FEED):
    _response, rss = _get_xml(client, url)
    return rss.findall("./channel/item")


def _titles(client, url=SITE_FEED):
    return [item.findtext("title") for item in _items(client, url)]


def _comment(post, minutes_ago=0, **kwargs) -> Comment:
    """A comment posted ``minutes_ago``, with the post's count brought up to date."""
    comment = CommentFactory(
        post=post, created_at=timezone.now() - timedelta(minutes=minutes_ago), **kwargs
    )
    post_comments_bump(comment.post_id)
    return comment


# --- Site-wide feed ------------------------------------------------------------


def test_comments_feed_is_rss_2_named_after_the_site(client, settings):
    settings.SITE_NAME = "The Daily Tribune"
    _comment(PostFactory())

    response, rss = _get_xml(client, SITE_FEED)

    assert response["Content-Type"].startswith("application/rss+xml")
    assert rss.get("version") == "2.0"
    assert rss.findtext("./channel/title") == "Comments on The Daily Tribune"
    assert rss.findtext("./channel/link") == "http://testserver/"
    assert rss.find("./channel/atom:link", NS).get("href") == "http://testserver/comments/feed/"


def test_comments_feed_url_is_named():
    assert reverse("comments:feed") == SITE_FEED


def test_comment_item_has_title_permalink_author_and_date(client):
    post = PostFactory(title="Water rates rise again")
    comment = _comment(post, guest_name="Jane Doe", body="Too high.")

    (item,) = _items(client)

    permalink = f"http://testserver/comments/{comment.pk}/"
    assert item.findtext("title") == "Jane Doe on “Water rates rise again”"
    assert item.findtext("link") == permalink
    assert item.findtext("guid") == permalink
    assert item.find("guid").get("isPermaLink") == "true"
    assert item.findtext("dc:creator", namespaces=NS) == "Jane Doe"
    assert item.findtext("pubDate")
    assert item.findtext("description") == "<p>Too high.</p>"


def test_comment_item_link_leads_to_the_comment_on_its_post(client):
    post = PostFactory()
    comment = _comment(post)

    (item,) = _items(client)
    response = client.get(item.findtext("link").removeprefix("http://testserver"))

    assert response.status_code == 302
    assert response["Location"].startswith(post.get_absolute_url())
    assert response["Location"].endswith(f"#comment-{comment.pk}")


def test_member_comment_is_titled_with_the_members_public_name(client):
    member = UserFactory(display_name="Ada Reader")
    _comment(PostFactory(title="Rents"), member=True, user=member)

    (item,) = _items(client)

    assert item.findtext("title") == "Ada Reader on “Rents”"
    assert item.findtext("dc:creator", namespaces=NS) == "Ada Reader"


def test_comments_feed_lists_the_latest_thirty_newest_first(client):
    posts = [PostFactory(), PostFactory()]
    for n in range(32):
        _comment(posts[n % 2], minutes_ago=32 - n, guest_name=f"Reader {n}")

    titles = _titles(client)

    assert [title.split(" on ")[0] for title in titles] == [f"Reader {n}" for n in range(31, 1, -1)]


def test_comment_body_is_escaped_plain_text_with_its_paragraphs(client):
    body = 'Look <script>alert("x")</script> & <b>this</b>\nnext line\n\nSecond paragraph.'
    _comment(PostFactory(), body=body)

    response, rss = _get_xml(client, SITE_FEED)

    description = rss.findtext("./channel/item/description")
    assert description == (
        "<p>Look &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;this&lt;/b&gt;"
        "<br>next line</p>\n\n<p>Second paragraph.</p>"
    )
    assert b"<script" not in response.content
    assert b"<b>" not in response.content


def test_commenter_name_cannot_put_markup_in_the_title(client):
    _comment(PostFactory(title="Rents"), guest_name="<img src=x onerror=alert(1)>")

    response, rss = _get_xml(client, SITE_FEED)

    title = rss.findtext("./channel/item/title")
    assert title == "&lt;img src=x onerror=alert(1)&gt; on “Rents”"
    assert b"<img" not in response.content


def test_hidden_pending_and_spam_comments_are_not_in_the_feed(client):
    post = PostFactory()
    _comment(post, guest_name="Shown")
    _comment(post, guest_name="Hidden", hidden=True)
    _comment(post, guest_name="Pending", pending=True)
    _comment(post, guest_name="Spam", spam=True)

    assert _titles(client) == [f"Shown on “{post.title}”"]
    assert _titles(client, _post_feed_url(post)) == [f"Shown on “{post.title}”"]


def test_published_reply_under_a_hidden_comment_is_in_the_feed(client):
    post = PostFactory()
    hidden = _comment(post, minutes_ago=2, guest_name="Hidden", hidden=True)
    _comment(post, minutes_ago=1, guest_name="Reply", parent=hidden)

    assert _titles(client) == [f"Reply on “{post.title}”"]


def test_comments_on_draft_scheduled_or_withdrawn_posts_are_not_in_the_feed(client):
    live = PostFactory(title="Live")
    _comment(live, guest_name="Reader")
    # Comments stored while the post was live, before it went back to draft or was rescheduled.
    for post in [PostFactory(draft=True), PostFactory(scheduled=True)]:
        _comment(post, guest_name="Too early")
    withdrawn = PostFactory(title="Withdrawn")
    _comment(withdrawn, guest_name="Too late")
    post_unpublish(post=withdrawn)

    assert _titles(client) == ["Reader on “Live”"]


@pytest.mark.parametrize("feed", ["site", "post"])
def test_no_email_address_appears_in_the_feeds(client, feed):
    post = PostFactory()
    _comment(post, minutes_ago=2, guest_name="Guest", guest_email="guest.secret@example.org")
    member = UserFactory(display_name="Member", email="member.secret@example.net")
    _comment(post, minutes_ago=1, member=True, user=member)
    url = SITE_FEED if feed == "site" else _post_feed_url(post)

    response, rss = _get_xml(client, url)

    text = response.content.decode()
    assert "guest.secret" not in text
    assert "member.secret" not in text
    assert "@" not in text
    assert rss.find(".//author") is None
    assert rss.find(".//managingEditor") is None
    assert [c.text for c in rss.findall(".//dc:creator", NS)] == ["Member", "Guest"]


# --- A post's feed -------------------------------------------------------------


def test_post_comments_feed_lists_only_that_posts_comments(client):
    post = PostFactory(title="River clean-up")
    _comment(post, minutes_ago=3, guest_name="First")
    _comment(post, minutes_ago=1, guest_name="Second")
    _comment(PostFactory(), minutes_ago=2, guest_name="Elsewhere")

    _response, rss = _get_xml(client, _post_feed_url(post))

    url = f"http://testserver{post.get_absolute_url()}"
    assert rss.findtext("./channel/title") == "Comments on “River clean-up”"
    assert rss.findtext("./channel/link") == f"{url}#comments"
    assert rss.find("./channel/atom:link", NS).get("href") == f"{url}feed/"
    assert [i.findtext("title") for i in rss.findall("./channel/item")] == [
        "Second on “River clean-up”",
        "First on “River clean-up”",
    ]


def test_post_comments_feed_url_sits_under_the_post():
    post = PostFactory(slug="river")

    assert _post_feed_url(post) == f"{post.get_absolute_url()}feed/"


def test_post_comments_feed_of_a_post_without_comments_is_empty(client):
    post = PostFactory()

    response, rss = _get_xml(client, _post_feed_url(post))

    assert rss.findall("./channel/item") == []
    assert "ETag" in response
    assert "Last-Modified" in response


@pytest.mark.parametrize(
    "url",
    [
        "/2026/01/02/no-such-post/feed/",
        "/1999/01/01/river/feed/",
        "/2026/02/30/river/feed/",
        "/2026/13/01/river/feed/",
    ],
)
def test_post_comments_feed_for_an_unknown_post_is_404(client, url):
    _comment(PostFactory(slug="river"))

    response = client.get(url)

    assert response.status_code == 404
    assert "ETag" not in response
    assert "Last-Modified" not in response


@pytest.mark.parametrize("state", [{"draft": True}, {"scheduled": True}])
def test_post_comments_feed_of_an_unpublished_post_is_404(client, state):
    post = PostFactory(**state)
    if post.published_at is None:
        post.published_at = timezone.now()
    _comment(post)

    assert client.get(post.get_absolute_url()).status_code == 404
    assert client.get(_post_feed_url(post)).status_code == 404


# --- Conditional GET -----------------------------------------------------------


def _feed_urls(post) -> list[str]:
    return [SITE_FEED, _post_feed_url(post)]


@pytest.mark.parametrize("feed", [0, 1])
def test_feed_answers_304_to_if_modified_since_its_last_modified(client, feed):
    post = PostFactory()
    _comment(post)
    url = _feed_urls(post)[feed]
    first = client.get(url)

    again = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("feed", [0, 1])
def test_feed_answers_304_to_if_none_match_its_etag(client, feed):
    post = PostFactory()
    _comment(post)
    url = _feed_urls(post)[feed]
    first = client.get(url)

    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304


def test_feed_last_modified_is_its_newest_comment(client):
    post = PostFactory(published_at=timezone.now() - timedelta(days=3))
    post.refresh_from_db()
    _comment(post, minutes_ago=30)
    newest = _comment(post, minutes_ago=-5)  # later than the post's last edit

    for url in _feed_urls(post):
        assert client.get(url)["Last-Modified"] == _http_date(newest.created_at)


@pytest.mark.parametrize("feed", [0, 1])
def test_new_comment_changes_both_validators(client, feed):
    post = PostFactory()
    _comment(post, minutes_ago=10)
    url = _feed_urls(post)[feed]
    first = client.get(url)

    _comment(post, minutes_ago=-1, guest_name="Newcomer")
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})

    assert by_date.status_code == 200
    assert by_etag.status_code == 200
    assert "Newcomer" in by_etag.content.decode()


@pytest.mark.parametrize("feed", [0, 1])
def test_hiding_a_comment_changes_the_etag(client, feed):
    post = PostFactory()
    _comment(post, minutes_ago=10)
    later = _comment(post, minutes_ago=5, guest_name="Soon hidden")
    url = _feed_urls(post)[feed]
    first = client.get(url)

    Comment.objects.filter(pk=later.pk).update(status=Comment.Status.HIDDEN)
    post_comments_bump(post.pk)
    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert "Soon hidden" not in again.content.decode()


def test_editing_a_comment_changes_both_validators(client):
    post = PostFactory()
    comment = _comment(post, minutes_ago=10, body="Frist!")
    first = client.get(SITE_FEED)

    Comment.objects.filter(pk=comment.pk).update(
        body="First!", edited_at=timezone.now() + timedelta(seconds=5)
    )
    by_date = client.get(SITE_FEED, headers={"if-modified-since": first["Last-Modified"]})
    by_etag = client.get(SITE_FEED, headers={"if-none-match": first["ETag"]})

    assert by_date.status_code == 200
    assert by_etag.status_code == 200
    assert "First!" in by_etag.content.decode()


def test_withdrawing_a_post_changes_the_site_feeds_etag(client):
    kept, withdrawn = PostFactory(), PostFactory()
    _comment(kept, minutes_ago=10)
    _comment(withdrawn, minutes_ago=5, guest_name="Gone")
    first = client.get(SITE_FEED)

    post_unpublish(post=withdrawn)
    again = client.get(SITE_FEED, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert "Gone" not in again.content.decode()


def test_a_post_feed_is_dated_by_its_own_comments(client):
    post, other = PostFactory(), PostFactory()
    _comment(post, minutes_ago=10)
    url = _post_feed_url(post)
    first = client.get(url)
    headers = {"if-modified-since": first["Last-Modified"], "if-none-match": first["ETag"]}

    _comment(other, minutes_ago=-1)
    unchanged = client.get(url, headers=headers)
    _comment(post, minutes_ago=-1)
    changed = client.get(url, headers=headers)

    assert unchanged.status_code == 304
    assert changed.status_code == 200


# --- Queries -------------------------------------------------------------------


def _discussion(size: int):
    posts = [PostFactory() for _ in range(3)]
    for n in range(size):
        if n % 2:
            _comment(posts[n % 3], minutes_ago=n, member=True)
        else:
            _comment(posts[n % 3], minutes_ago=n)
    return posts[0]


@pytest.mark.parametrize("size", [3, 40])
def test_comments_feed_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, size
):
    _discussion(size)

    # The comments shown, with their authors and posts.
    with django_assert_max_num_queries(1):
        response = client.get(SITE_FEED)

    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_post_comments_feed_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, size
):
    post = _discussion(size)

    # The post, then its comments shown with their authors.
    with django_assert_max_num_queries(2):
        response = client.get(_post_feed_url(post))

    assert response.status_code == 200


@pytest.mark.parametrize("feed", [0, 1])
def test_not_modified_answer_runs_no_more_queries_than_the_feed(
    client, django_assert_max_num_queries, feed
):
    post = _discussion(40)
    url = _feed_urls(post)[feed]
    first = client.get(url)

    with django_assert_max_num_queries(2):
        again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304


# --- Helpers -------------------------------------------------------------------


def _http_date(moment) -> str:
    from django.utils.http import http_date

    return http_date(moment.timestamp())


def test_post_page_announces_its_comment_feed(client):
    post = PostFactory(title="Bridges")
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'href="{post.get_absolute_url()}feed/"' in html
    assert client.get(f"{post.get_absolute_url()}feed/").status_code == 200

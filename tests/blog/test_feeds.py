import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from blog.services import post_unpublish
from tests.factories import (
    CategoryFactory,
    ImageFactory,
    PostFactory,
    UserFactory,
    make_picture_bytes,
)

pytestmark = pytest.mark.django_db

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _get_xml(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response, ET.fromstring(response.content)  # noqa: S314 - our own response


def _rss_items(client, url=None):
    _response, rss = _get_xml(client, url or reverse("blog:feed"))
    return rss.findall("./channel/item")


def _rss_titles(client, url=None):
    return [item.findtext("title") for item in _rss_items(client, url)]


# --- RSS ---------------------------------------------------------------------


def test_rss_feed_is_rss_2_with_the_site_name(client, settings):
    settings.SITE_NAME = "The Daily Tribune"
    PostFactory()

    response, rss = _get_xml(client, reverse("blog:feed"))

    assert response["Content-Type"].startswith("application/rss+xml")
    assert rss.tag == "rss"
    assert rss.get("version") == "2.0"
    assert rss.findtext("./channel/title") == "The Daily Tribune"
    assert rss.findtext("./channel/link") == "http://testserver/"
    assert rss.find("./channel/atom:link", NS).get("href") == "http://testserver/feed/"


def test_rss_item_has_title_absolute_link_guid_and_dates(client):
    post = PostFactory(title="Water rates rise again", excerpt="Councils vote on charges.")

    (item,) = _rss_items(client)

    url = f"http://testserver{post.get_absolute_url()}"
    assert item.findtext("title") == "Water rates rise again"
    assert item.findtext("link") == url
    assert item.findtext("guid") == url
    assert item.find("guid").get("isPermaLink") == "true"
    assert item.findtext("description") == "Councils vote on charges."
    assert item.findtext("pubDate")


def test_rss_item_carries_the_full_body_in_content_encoded(client):
    body = "<p>First paragraph.</p><h2>More</h2><p>The <strong>whole</strong> article.</p>"
    PostFactory(body=body, excerpt="Only the excerpt.")

    (item,) = _rss_items(client)

    assert item.findtext("content:encoded", namespaces=NS) == body
    assert item.findtext("description") == "Only the excerpt."


def test_rss_item_names_the_author_and_categories(client):
    author = UserFactory(editor=True, display_name="Ada Reporter")
    PostFactory(
        author=author,
        categories=[CategoryFactory(name="Housing"), CategoryFactory(name="Climate")],
    )

    (item,) = _rss_items(client)

    assert item.findtext("dc:creator", namespaces=NS) == "Ada Reporter"
    assert sorted(c.text for c in item.findall("category")) == ["Climate", "Housing"]


def test_rss_item_encloses_the_featured_image_with_an_absolute_url(client):
    image = ImageFactory(alt_text="Protesters outside the town hall")
    PostFactory(featured_image=image, body="<p>Story.</p>")

    (item,) = _rss_items(client)

    enclosure = item.find("enclosure")
    assert enclosure.get("url").startswith("http://testserver/media/renditions/")
    assert enclosure.get("url").endswith(".jpg")
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) > 0
    content = item.findtext("content:encoded", namespaces=NS)
    assert content.startswith(f'<p><img src="{enclosure.get("url")}"')
    assert 'alt="Protesters outside the town hall"' in content
    assert content.endswith("<p>Story.</p>")


def test_rss_enclosure_type_follows_the_pictures_format(client):
    upload = SimpleUploadedFile(
        "chart.png", make_picture_bytes(image_format="PNG"), content_type="image/png"
    )
    PostFactory(featured_image=ImageFactory(file=upload))

    (item,) = _rss_items(client)

    enclosure = item.find("enclosure")
    assert enclosure.get("type") == "image/png"
    assert enclosure.get("url").endswith(".png")


def test_rss_item_without_image_has_no_enclosure(client):
    PostFactory(body="<p>Words only.</p>")

    (item,) = _rss_items(client)

    assert item.find("enclosure") is None
    assert item.findtext("content:encoded", namespaces=NS) == "<p>Words only.</p>"


def test_feed_lists_the_latest_twenty_posts_newest_first(client):
    now = timezone.now()
    for n in range(22):
        PostFactory(title=f"Post {n}", published_at=now - timedelta(hours=22 - n))

    titles = _rss_titles(client)

    assert titles == [f"Post {n}" for n in range(21, 1, -1)]


def test_drafts_and_scheduled_posts_are_not_in_any_feed(client):
    category = CategoryFactory(slug="politics")
    PostFactory(title="Live", categories=[category])
    PostFactory(draft=True, title="Draft", categories=[category])
    PostFactory(scheduled=True, title="Scheduled", categories=[category])
    withdrawn = PostFactory(title="Withdrawn", categories=[category])
    post_unpublish(post=withdrawn)

    assert _rss_titles(client) == ["Live"]
    assert _rss_titles(client, reverse("blog:category_feed", kwargs={"slug": "politics"})) == [
        "Live"
    ]
    _response, atom = _get_xml(client, reverse("blog:feed_atom"))
    assert [e.findtext("atom:title", namespaces=NS) for e in atom.findall("atom:entry", NS)] == [
        "Live"
    ]


# --- Atom --------------------------------------------------------------------


def test_atom_feed_has_summary_and_full_html_content(client, settings):
    settings.SITE_NAME = "Tribune"
    author = UserFactory(editor=True, display_name="Ada Reporter")
    body = "<p>The <em>whole</em> article.</p>"
    post = PostFactory(author=author, body=body, excerpt="Short.", categories=[CategoryFactory()])

    response, feed = _get_xml(client, reverse("blog:feed_atom"))

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findtext("atom:title", namespaces=NS) == "Tribune"
    assert feed.findtext("atom:updated", namespaces=NS)
    (entry,) = feed.findall("atom:entry", NS)
    url = f"http://testserver{post.get_absolute_url()}"
    assert entry.findtext("atom:id", namespaces=NS) == url
    assert entry.find("atom:link", NS).get("href") == url
    assert entry.findtext("atom:published", namespaces=NS)
    assert entry.findtext("atom:updated", namespaces=NS)
    assert entry.findtext("atom:author/atom:name", namespaces=NS) == "Ada Reporter"
    assert entry.find("atom:category", NS) is not None
    summary = entry.find("atom:summary", NS)
    assert (summary.get("type"), summary.text) == ("html", "Short.")
    content = entry.find("atom:content", NS)
    assert (content.get("type"), content.text) == ("html", body)


def test_atom_entry_links_the_featured_image_as_an_enclosure(client):
    PostFactory(featured_image=ImageFactory())

    _response, feed = _get_xml(client, reverse("blog:feed_atom"))

    (enclosure,) = feed.findall("atom:entry/atom:link[@rel='enclosure']", NS)
    assert enclosure.get("href").startswith("http://testserver/media/")
    assert enclosure.get("type") == "image/jpeg"


# --- Category feed -----------------------------------------------------------


def test_category_feed_lists_only_that_categorys_posts(client):
    housing = CategoryFactory(slug="housing", name="Housing")
    PostFactory(title="Rents", categories=[housing])
    PostFactory(title="Rents and wages", categories=[housing, CategoryFactory()])
    PostFactory(title="Elsewhere", categories=[CategoryFactory()])
    PostFactory(title="Uncategorised")

    url = reverse("blog:category_feed", kwargs={"slug": "housing"})
    _response, rss = _get_xml(client, url)

    assert rss.findtext("./channel/title").endswith("Housing")
    assert rss.findtext("./channel/link") == "http://testserver/category/housing/"
    assert [i.findtext("title") for i in rss.findall("./channel/item")] == [
        "Rents and wages",
        "Rents",
    ]


def test_category_feed_for_an_unknown_slug_is_404(client):
    response = client.get(reverse("blog:category_feed", kwargs={"slug": "no-such-thing"}))

    assert response.status_code == 404
    assert "Last-Modified" not in response
    assert "ETag" not in response


# --- Conditional GET ---------------------------------------------------------


@pytest.mark.parametrize("name", ["blog:feed", "blog:feed_atom"])
def test_feed_answers_304_to_if_modified_since_its_last_modified(client, name):
    PostFactory()
    first = client.get(reverse(name))

    again = client.get(reverse(name), headers={"if-modified-since": first["Last-Modified"]})

    assert again.status_code == 304
    assert again.content == b""


def test_feed_answers_304_to_if_none_match_its_etag(client):
    PostFactory()
    first = client.get(reverse("blog:feed"))

    again = client.get(reverse("blog:feed"), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304


def test_feed_last_modified_is_its_newest_change(client):
    post = PostFactory(published_at=timezone.now() - timedelta(days=3))

    response = client.get(reverse("blog:feed"))

    post.refresh_from_db()
    # The post's row was written after its publication time: the edit counts.
    assert response["Last-Modified"] == _http_date(post.updated_at)


def test_feed_changes_after_a_later_post_is_published(client):
    PostFactory(published_at=timezone.now() - timedelta(days=2))
    first = client.get(reverse("blog:feed"))

    PostFactory(title="Fresh", published_at=timezone.now() + timedelta(seconds=2))
    # Move the clock on rather than sleep: the new post becomes due.
    later = timezone.now() + timedelta(seconds=5)
    with _frozen_now(later):
        again = client.get(
            reverse("blog:feed"),
            headers={"if-modified-since": first["Last-Modified"], "if-none-match": first["ETag"]},
        )

    assert again.status_code == 200
    assert "Fresh" in again.content.decode()
    assert again["Last-Modified"] != first["Last-Modified"]


def test_scheduled_post_becoming_due_changes_last_modified(client):
    PostFactory(published_at=timezone.now() - timedelta(days=2))
    PostFactory(title="Due soon", published_at=timezone.now() + timedelta(hours=1))
    first = client.get(reverse("blog:feed"))
    assert "Due soon" not in first.content.decode()

    with _frozen_now(timezone.now() + timedelta(hours=2)):
        again = client.get(
            reverse("blog:feed"), headers={"if-modified-since": first["Last-Modified"]}
        )

    assert again.status_code == 200
    assert "Due soon" in again.content.decode()


def test_withdrawing_a_post_changes_last_modified(client):
    PostFactory(published_at=timezone.now() - timedelta(days=2))
    withdrawn = PostFactory(title="Oops", published_at=timezone.now() - timedelta(days=1))
    first = client.get(reverse("blog:feed"))

    with _frozen_now(timezone.now() + timedelta(seconds=5)):
        post_unpublish(post=withdrawn)
        again = client.get(
            reverse("blog:feed"), headers={"if-modified-since": first["Last-Modified"]}
        )

    assert again.status_code == 200
    assert "Oops" not in again.content.decode()


def test_category_feed_is_dated_by_its_own_posts(client):
    housing = CategoryFactory(slug="housing")
    PostFactory(categories=[housing], published_at=timezone.now() - timedelta(days=2))
    url = reverse("blog:category_feed", kwargs={"slug": "housing"})
    first = client.get(url)

    with _frozen_now(timezone.now() + timedelta(seconds=5)):
        PostFactory(categories=[CategoryFactory()], published_at=timezone.now())
        unchanged = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        PostFactory(categories=[housing], published_at=timezone.now())
        changed = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert unchanged.status_code == 304
    assert changed.status_code == 200


# --- Queries -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["blog:feed", "blog:feed_atom"])
@pytest.mark.parametrize("count", [3, 25])
def test_feed_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, name, count):
    categories = [CategoryFactory(), CategoryFactory()]
    image = ImageFactory()
    writers = [UserFactory(editor=True) for _ in range(2)]
    for i in range(count):
        PostFactory(
            categories=categories,
            featured_image=image,
            author=UserFactory(editor=True),
            coauthors=writers[: i % 3],
        )

    # Last-Modified, the posts with author and image (for the ETag and the items), their
    # co-authors (3 -> 4 with them), their categories.
    with django_assert_max_num_queries(4):
        response = client.get(reverse(name))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 25])
def test_category_feed_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, count
):
    category = CategoryFactory(slug="housing")
    for _ in range(count):
        PostFactory(categories=[category, CategoryFactory()], featured_image=ImageFactory())

    with django_assert_max_num_queries(5):
        response = client.get(reverse("blog:category_feed", kwargs={"slug": "housing"}))

    assert response.status_code == 200


def test_not_modified_answer_runs_only_the_date_and_etag_queries(client, django_assert_num_queries):
    PostFactory()
    first = client.get(reverse("blog:feed"))

    # Last-Modified; the ETag's posts shown, with their authors, pictures, co-authors
    # (3 -> 4 with them: the ETag covers every byline) and categories.
    with django_assert_num_queries(4):
        again = client.get(
            reverse("blog:feed"), headers={"if-modified-since": first["Last-Modified"]}
        )

    assert again.status_code == 304


# --- Helpers -----------------------------------------------------------------


def _http_date(moment) -> str:
    from django.utils.http import http_date

    return http_date(moment.timestamp())


def _frozen_now(moment):
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)

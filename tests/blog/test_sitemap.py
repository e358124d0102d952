import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Page, Post
from blog.services import page_save, post_unpublish
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _sitemap(client) -> dict[str, str | None]:
    """{location: lastmod} of every URL in /sitemap.xml."""
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def _absolute(path: str) -> str:
    return f"http://testserver{path}"


# --- Sitemap -----------------------------------------------------------------


def test_sitemap_lists_published_posts_with_their_last_change(client):
    post = PostFactory(published_at=timezone.now() - timedelta(days=40))

    urls = _sitemap(client)

    post.refresh_from_db()
    assert (
        urls[_absolute(post.get_absolute_url())] == timezone.localdate(post.updated_at).isoformat()
    )


def test_sitemap_leaves_out_drafts_scheduled_and_withdrawn_posts(client):
    live = PostFactory()
    draft = PostFactory(draft=True)
    scheduled = PostFactory(scheduled=True)
    withdrawn = PostFactory()
    post_unpublish(post=withdrawn)

    urls = _sitemap(client)

    assert _absolute(live.get_absolute_url()) in urls
    for hidden in (draft, scheduled, withdrawn):
        assert _absolute(hidden.get_absolute_url()) not in urls


def test_sitemap_lists_categories_and_tags_that_have_published_posts(client):
    housing, empty_category, draft_category = CategoryFactory.create_batch(3)
    rents, empty_tag, draft_tag = TagFactory.create_batch(3)
    PostFactory(categories=[housing], tags=[rents])
    PostFactory(categories=[housing], tags=[rents])
    PostFactory(draft=True, categories=[draft_category], tags=[draft_tag])
    PostFactory(scheduled=True, categories=[draft_category], tags=[draft_tag])

    urls = _sitemap(client)

    assert _absolute(housing.get_absolute_url()) in urls
    assert _absolute(rents.get_absolute_url()) in urls
    for hidden in (empty_category, draft_category, empty_tag, draft_tag):
        assert _absolute(hidden.get_absolute_url()) not in urls


def test_category_lastmod_ignores_its_unpublished_posts(client):
    housing = CategoryFactory()
    PostFactory(categories=[housing], published_at=timezone.now() - timedelta(days=10))
    with _frozen_now(timezone.now() + timedelta(days=3)):
        PostFactory(categories=[housing], draft=True)

    urls = _sitemap(client)

    assert urls[_absolute(housing.get_absolute_url())] == timezone.localdate().isoformat()


def test_sitemap_lists_the_home_page_and_not_search(client):
    PostFactory()

    urls = _sitemap(client)

    assert _absolute(reverse("blog:home")) in urls
    assert not any("/search/" in url for url in urls)


def test_sitemap_of_an_empty_site_lists_the_home_page_corrections_and_the_guidelines(client):
    assert list(_sitemap(client)) == [
        _absolute(reverse("blog:home")),
        _absolute(reverse("blog:corrections")),
        _absolute(reverse("guidelines")),
    ]


def test_sitemap_lists_the_pages_of_authors_with_published_posts(client):
    author = UserFactory(username="amira", editor=True)
    PostFactory(author=author, published_at=timezone.now() - timedelta(days=3))
    newest = PostFactory(author=author, published_at=timezone.now() - timedelta(days=1))
    only_drafts = UserFactory(username="drafter", editor=True)
    PostFactory(author=only_drafts, draft=True)

    urls = _sitemap(client)

    newest.refresh_from_db()
    address = _absolute(reverse("blog:author", kwargs={"username": "amira"}))
    assert urls[address] == timezone.localdate(newest.updated_at).isoformat()
    assert client.get(reverse("blog:author", kwargs={"username": "amira"})).status_code == 200
    assert _absolute(reverse("blog:author", kwargs={"username": "drafter"})) not in urls


def test_sitemap_uses_the_requests_scheme(client):
    post = PostFactory()

    response = client.get(reverse("sitemap"), secure=True)

    assert f"https://testserver{post.get_absolute_url()}".encode() in response.content


@pytest.mark.parametrize("count", [3, 25])
def test_sitemap_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, count):
    for number in range(count):
        PostFactory(
            categories=[CategoryFactory(), CategoryFactory()], tags=[TagFactory(), TagFactory()]
        )
        page_save(Page(title="A page", slug=f"page-{number}", status=Page.Status.PUBLISHED))

    # Home's and /corrections/'s dates, then a count and a page for posts, pages,
    # categories, tags and authors.
    with django_assert_max_num_queries(12):
        urls = _sitemap(client)

    authors = {post.author_id for post in Post.objects.all()}
    assert len(urls) == 3 + count * 6 + len(authors)


# --- robots.txt --------------------------------------------------------------


def test_robots_txt_disallows_admin_and_search_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_sitemap_line_follows_the_request(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]

    response = client.get("/robots.txt", secure=True, headers={"host": "news.example.org"})

    assert "Sitemap: https://news.example.org/sitemap.xml" in response.content.decode()


# --- Helpers -----------------------------------------------------------------


def _frozen_now(moment):
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_demo_posts_are_dated_by_their_own_last_change_not_the_seeding(client):
    from django.core.management import call_command

    from blog.demo import ARTICLES

    seeded = timezone.now()
    call_command("seed_demo", allow_without_debug=True)

    urls = _sitemap(client)
    published = Post.objects.published()
    assert published.count() == len([a for a in ARTICLES if a.day_offset and a.day_offset < 0])
    dates = {urls[_absolute(post.get_absolute_url())] for post in published}
    assert len(dates) == published.count()  # one lastmod per post, none shared
    assert max(dates) < seeded.date().isoformat()
    for post in published:
        # Last changed when it went out, or when its demo note was added.
        noted = [note.created_at for note in post.notes.all()]
        assert post.updated_at == max([post.published_at, *noted])
    assert sum(post.updated_at > post.published_at for post in published) == 2
    # The home page is as new as its newest post.
    assert urls[_absolute("/")] == max(dates)

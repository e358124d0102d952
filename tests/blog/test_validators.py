"""Conditional GETs never keep a changed page: an archive's or a feed's ETag changes with
everything the page shows, including what belongs to another row than the posts (a
category's name, an author's name, a picture's alt text), whose change leaves the posts'
``updated_at`` alone.

Each test loads the page, checks a second load with its ETag is answered 304, changes one
thing through the surface people use (the admin, the profile page), and checks the same
conditional load now gets the new page.
"""

import pytest
from django.test import Client
from django.urls import reverse

from blog.models import Category, Image, Post
from tests.factories import CategoryFactory, ImageFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def etag_of(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    etag = response.headers["ETag"]
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    return etag


def reload(url: str, etag: str) -> str:
    """The page as a browser holding ``etag`` gets it; fails on a 304."""
    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200, "a changed page was answered 304 Not Modified"
    return response.content.decode()


def staff(**traits) -> Client:
    client = Client()
    client.force_login(UserFactory(**traits))
    return client


ARCHIVES = ["/category/news/", "/tag/rivers/", "/author/writer/"]
FEEDS = ["/feed/", "/feed/atom/", "/category/news/feed/"]


@pytest.fixture
def post() -> Post:
    writer = UserFactory(username="writer", display_name="Wendy Writer", editor=True)
    return PostFactory(
        author=writer,
        categories=[CategoryFactory(slug="news", name="News")],
        tags=[TagFactory(slug="rivers", name="Rivers")],
        featured_image=ImageFactory(alt_text="A grey heron"),
    )


@pytest.mark.parametrize("url", ARCHIVES + FEEDS)
def test_a_renamed_category_shows_at_once(post, url):
    etag = etag_of(url)
    category = Category.objects.get(slug="news")

    response = staff(editor=True).post(
        reverse("admin:blog_category_change", args=[category.pk]),
        {"name": "World news", "slug": "news", "description": ""},
    )

    assert response.status_code == 302
    assert "World news" in reload(url, etag)


@pytest.mark.parametrize("url", ARCHIVES + FEEDS)
def test_an_authors_new_display_name_shows_at_once(post, url):
    etag = etag_of(url)
    writer = Client()
    writer.force_login(post.author)

    response = writer.post(
        reverse("accounts:profile"),
        {"display_name": "Wendy Q. Writer", "byline_title": "", "bio": ""},
    )

    assert response.status_code == 302
    assert "Wendy Q. Writer" in reload(url, etag)


@pytest.mark.parametrize("url", [*ARCHIVES, "/feed/"])
def test_a_pictures_new_alt_text_shows_at_once(post, url):
    etag = etag_of(url)
    image = Image.objects.get()

    response = staff(editor=True).post(
        reverse("admin:blog_image_change", args=[image.pk]),
        {"alt_text": "A heron in the reeds", "caption": "", "credit": ""},
    )

    assert response.status_code == 302
    assert "A heron in the reeds" in reload(url, etag)

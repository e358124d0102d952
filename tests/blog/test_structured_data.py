"""The post page's schema.org ``NewsArticle`` (JSON-LD): parsed as a search engine reads it,
with the types and properties it needs, following the page's changes, and safe whatever
the title says."""

import json
import re
from datetime import datetime

import pytest
from django.test import Client

from comments.services import comment_create, post_comments_bump
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    ImageFactory,
    PostFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(html: str) -> list[dict]:
    return [json.loads(found) for found in SCRIPT.findall(html)]


def article_of(client: Client, post) -> dict:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    (article,) = [data for data in json_ld(response.text) if data.get("@type") == "NewsArticle"]
    return article


def test_a_post_page_describes_its_article_author_dates_image_and_comments(client):
    author = UserFactory(username="amira", display_name="Amira Haddad", editor=True)
    post = PostFactory(
        author=author,
        title="The river report",
        excerpt="What the water samples showed.",
        featured_image=ImageFactory(alt_text="The river at dawn"),
    )
    CommentFactory.create_batch(2, post=post)
    CommentFactory(post=post, status="hidden")
    post_comments_bump(post.pk)  # the count as the services keep it

    article = article_of(client, post)

    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["@id"] == f"http://testserver{post.get_absolute_url()}#article"
    assert article["headline"] == "The river report"
    assert article["description"] == "What the water samples showed."
    assert article["url"] == f"http://testserver{post.get_absolute_url()}"
    assert article["mainEntityOfPage"] == article["url"]
    (person,) = article["author"]
    assert person == {
        "@type": "Person",
        "name": "Amira Haddad",
        "url": "http://testserver/author/amira/",
    }
    assert client.get("/author/amira/").status_code == 200
    assert datetime.fromisoformat(article["datePublished"]) == post.published_at
    assert datetime.fromisoformat(article["dateModified"]) >= post.published_at
    assert article["publisher"]["@type"] == "Organization"
    assert article["commentCount"] == 2
    assert article["discussionUrl"].endswith(f"{post.get_absolute_url()}#comments")
    (image,) = article["image"]
    html = client.get(post.get_absolute_url()).text
    assert f'<meta property="og:image" content="{image}">' in html
    assert image.startswith("http://testserver/")


def test_the_comment_count_follows_a_new_comment_at_the_next_request(client):
    post = PostFactory()
    assert article_of(client, post)["commentCount"] == 0
    assert article_of(client, post)["commentCount"] == 0  # now from the full-page cache

    comment_create(post=post, body="First!", guest_name="Ann", guest_email="ann@example.org")

    assert article_of(client, post)["commentCount"] == 1


def test_a_title_that_closes_the_script_stays_inside_it(client):
    title = '</script><script>alert("x")</script> & <!-- more'
    post = PostFactory(title=title, excerpt="")
    response = client.get(post.get_absolute_url())

    assert '<script>alert("x")</script>' not in response.text
    (article,) = json_ld(response.text)
    assert article["headline"] == title
    assert "description" not in article


def og(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta property="og:([a-z_:]+)" content="([^"]*)">', html))


def test_the_home_page_and_an_archive_have_link_previews_and_a_canonical(client, settings):
    category = CategoryFactory(name="Rivers & Lakes")
    PostFactory(categories=[category])

    home = client.get("/").text
    assert og(home) == {
        "type": "website",
        "site_name": settings.SITE_NAME,
        "title": settings.SITE_NAME,
        "description": f"The latest articles from {settings.SITE_NAME}.",
        "url": "http://testserver/",
    }
    assert '<link rel="canonical" href="http://testserver/">' in home

    address = category.get_absolute_url()
    archive = og(client.get(address).text)
    assert archive["type"] == "website"
    assert "Rivers &amp; Lakes" in archive["title"]
    assert archive["url"] == f"http://testserver{address}"
    assert archive["description"]


def test_an_author_without_a_public_page_is_named_without_a_link(client):
    post = PostFactory(author=UserFactory(editor=True, username="gone", is_active=False))
    (person,) = article_of(client, post)["author"]
    assert person == {"@type": "Person", "name": post.author.public_name}

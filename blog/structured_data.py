"""schema.org data for search engines and link previews, as JSON-LD: what a post page says
about its article (``NewsArticle``), built from the same values the page shows."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from blog.bylines import post_bylines
from blog.models import Post


def post_article_id(post: Post, *, request: HttpRequest) -> str:
    """The ``@id`` of ``post``'s ``NewsArticle``: other JSON-LD on its page (the comments
    app's) adds to the same article by naming it."""
    return request.build_absolute_uri(post.get_absolute_url()) + "#article"


def post_article_data(post: Post, *, request: HttpRequest, image_url: str = "") -> dict:
    """The ``NewsArticle`` for ``post``'s page: headline, description, dates, its bylines in
    order (``blog.bylines``) as people with their pages (if they have one), image, publisher
    and the number of comments readers can reach (``Post.comment_count``)."""
    address = request.build_absolute_uri(post.get_absolute_url())
    people = []
    for byline in post_bylines(post):
        person = {"@type": "Person", "name": byline.name}
        if byline.url:
            person["url"] = request.build_absolute_uri(byline.url)
        people.append(person)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": post_article_id(post, request=request),
        "headline": post.title,
        "url": address,
        "mainEntityOfPage": address,
        "author": people,
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "commentCount": post.comment_count,
        "discussionUrl": f"{address}#comments",
    }
    if post.excerpt:
        data["description"] = post.excerpt
    if post.published_at:
        data["datePublished"] = post.published_at.isoformat()
        data["dateModified"] = max(post.updated_at, post.published_at).isoformat()
    if image_url:
        data["image"] = [image_url]
    return data

"""The blog's sections of /sitemap.xml: posts, pages, categories, tags, authors and the home
page (the Community Guidelines are added by ``config.urls``).

Only what a reader can open is listed: published posts whose time has come,
published pages, and categories and tags with at least one of them. Search is left out on
purpose (robots.txt disallows it). Each section runs a count and one page query.
"""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Greatest
from django.urls import reverse

from blog.models import Category, Page, PageQuerySet, Post, PostNote, PostQuerySet, Tag
from blog.selectors import author_list_public, post_list_last_modified, post_list_published


class PostSitemap(Sitemap):
    def items(self) -> PostQuerySet:
        # Only the columns a URL and a date need: no author, image or categories.
        return (
            post_list_published()
            .select_related(None)
            .prefetch_related(None)
            .only("slug", "published_at", "updated_at")
        )

    def lastmod(self, post: Post) -> datetime:
        # An edit made before a scheduled post went out predates its publication.
        return max(post.updated_at, post.published_at)


class PageSitemap(Sitemap):
    def items(self) -> PageQuerySet:
        return Page.objects.published().only("slug", "published_at", "updated_at").order_by("pk")

    def lastmod(self, page: Page) -> datetime:
        return max(page.updated_at, page.published_at)


class _TermSitemap(Sitemap):
    """Categories or tags that hold at least one published post."""

    model: type[Category] | type[Tag]

    def items(self) -> QuerySet:
        # Filtering before annotating makes the maximum run over published posts only.
        return (
            self.model.objects.filter(posts__in=Post.objects.published())
            .annotate(last_post_at=Max(Greatest(F("posts__updated_at"), F("posts__published_at"))))
            .order_by("name")
        )

    def lastmod(self, term: Category | Tag) -> datetime:
        return term.last_post_at


class CategorySitemap(_TermSitemap):
    model = Category


class TagSitemap(_TermSitemap):
    model = Tag


class AuthorSitemap(Sitemap):
    """Authors' pages (``author_list_public``), as new as their newest post's change."""

    def items(self) -> QuerySet:
        return author_list_public().only("username")

    def location(self, author) -> str:
        return reverse("blog:author", kwargs={"username": author.username})

    def lastmod(self, author) -> datetime:
        return author.last_post_at


class StaticViewSitemap(Sitemap):
    """Pages that are not a model instance: the home page and /corrections/."""

    def items(self) -> list[str]:
        return ["blog:home", "blog:corrections"]

    def location(self, name: str) -> str:
        return reverse(name)

    def lastmod(self, name: str) -> datetime | None:
        if name == "blog:corrections":
            newest = PostNote.objects.public().order_by("-created_at").first()
            return newest.created_at if newest else None
        return post_list_last_modified(Post.objects.published())


SITEMAPS = {
    "static": StaticViewSitemap,
    "posts": PostSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}

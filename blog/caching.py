"""The part of a post page every reader sees alike, rendered once and kept in the shared
cache: the head tags and the article (the post with its categories, tags, picture and
byline, and the links to its neighbours), everything above the discussion.

Readers the full-page cache serves never get here; this is for the others (members,
someone who has just sent a form), who get the article from here and only the rest of the
page (header, discussion, form) drawn for them: one query, for the version, instead of the
post, its categories, its tags and two neighbours. The post itself (with its author and
picture) is kept with the article, so the discussion is drawn from the same row.

Its key carries every input of its HTML:

- the post (its comment count and version included), its author, picture, categories and
  tags, and its neighbours' titles and addresses: ``PageVersion.number``
  (``core.pagecache.request_page_version``, read before the rows), which every save or
  delete in ``accounts``, ``blog`` and ``comments`` and every comment change moves in the
  writer's transaction;
- the address (scheme and host for the canonical link, and the path), the site's name,
  the language and the time zone; the release is the cache's ``KEY_PREFIX``.

What changes with time alone (a post going live on schedule or reaching its unpublish
time, so a neighbour or the post itself) moves the key too: it carries the next such
moment (``visibility_changes_at``), which becomes a later one once it has passed, so the
first request after it draws the article again.

The cache is an accelerator, never a dependency: through ``core.cache``, a cache that does
not answer is a miss and the article is rendered.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from blog import selectors
from blog.models import Post
from core.cache import cache_get, cache_set
from core.pagecache import page_changes_at, request_page_version


def visibility_changes_at(request: HttpRequest) -> datetime | None:
    """The next moment at which the posts readers may see change by themselves, with no
    write (``PostQuerySet.next_visibility_change``: a scheduled post going live, a post
    leaving the site), or None. Told to the full-page cache (``page_changes_at``), which
    then keeps the page no longer than that, and put in the blog's own keys.

    Kept in the shared cache under ``PageVersion.number`` until the moment passes, so a
    page already reading the version pays no query for it once kept; one when not."""
    moment = getattr(request, "_blog_visibility_changes_at", ())
    if moment == ():
        key = f"blog:visibility:v{request_page_version(request)}"
        kept = cache_get(key)
        if isinstance(kept, tuple) and (kept[0] is None or kept[0] > timezone.now()):
            moment = kept[0]
        else:
            moment = Post.objects.next_visibility_change()
            cache_set(key, (moment,), settings.PAGE_CACHE_SECONDS)
        request._blog_visibility_changes_at = moment
    page_changes_at(request, moment)
    return moment


@dataclass(frozen=True)
class PostArticle:
    """The rendered head tags and article of a post page, and the post they were drawn
    from (with its author and picture), which the rest of the page is drawn with."""

    meta_html: str
    body_html: str
    post: Post

    @property
    def meta(self) -> SafeString:
        return mark_safe(self.meta_html)  # noqa: S308 (rendered by our templates)

    @property
    def body(self) -> SafeString:
        return mark_safe(self.body_html)  # noqa: S308 (rendered by our templates)


def post_article_key(request: HttpRequest, version: int) -> str:
    """The shared cache key of the article at ``request``'s address (see the module's
    docstring for what it is made of)."""
    shown = (
        request.scheme,
        request.get_host(),
        request.path,
        settings.SITE_NAME,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        visibility_changes_at(request),
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
    return f"blog:article:v{version}:{digest}"


def post_shell_key(request: HttpRequest, version: int, shared_parts: list[str]) -> str:
    """The shared cache key of the post page's shell (``core.holes``) at ``request``'s
    address: what the article's key is made of, the whole query string (comment page,
    reply target), and what the apps built on blog add to the page (``shared_parts``,
    see ``blog.signals.post_page_context``)."""
    shown = (
        request.scheme,
        request.get_host(),
        request.path,
        sorted(request.GET.lists()),
        settings.SITE_NAME,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        visibility_changes_at(request),
        shared_parts,
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
    return f"blog:shell:v{version}:{digest}"


def post_with_article(
    request: HttpRequest, *, year: int, month: int, day: int, slug: str
) -> tuple[Post, PostArticle] | None:
    """The published post at /year/month/day/slug/ and its article, from the shared cache
    (one query: the version) or rendered (six more: the post, categories, tags, notes,
    neighbours); None when there is no such post."""
    # The version first, then the rows: what is stored under it is at least that new.
    key = post_article_key(request, request_page_version(request))
    article = cache_get(key)
    if isinstance(article, PostArticle):
        return article.post, article
    post = selectors.post_get_published_row(year=year, month=month, day=day, slug=slug)
    if post is None:
        return None
    selectors.post_load_terms(post)
    previous_post, next_post = selectors.post_adjacent(post=post)
    context = {"post": post, "previous_post": previous_post, "next_post": next_post}
    article = PostArticle(
        meta_html=str(render_to_string("blog/_post_meta.html", context, request)),
        body_html=str(render_to_string("blog/_post_article.html", context, request)),
        post=post,
    )
    cache_set(key, article, settings.PAGE_CACHE_SECONDS)
    return post, article


def site_navigation_for(request: HttpRequest) -> selectors.SiteNavigation:
    """The header's sections and the footer's pages (``selectors.site_navigation``), the
    same on every page: kept in the shared cache under ``PageVersion.number``, which a
    category's or a page's save or delete, and a post's publication or change of
    categories, moves in the writer's transaction. So a page already reading the version
    (every shared page) pays no query for them once they are kept, and one when they are
    not; a page that does not (search, the account pages) pays the version's. What
    changes with time alone (a category's first post going live on schedule, its last
    leaving the site) moves the key with ``visibility_changes_at``. Nothing here depends
    on the address, language or time zone: a category's name and address are the same on
    all."""
    moment = visibility_changes_at(request)
    key = f"blog:navigation:v{request_page_version(request)}:{moment and moment.timestamp()}"
    navigation = cache_get(key)
    if not isinstance(navigation, selectors.SiteNavigation):
        navigation = selectors.site_navigation()
        cache_set(key, navigation, settings.PAGE_CACHE_SECONDS)
    return navigation

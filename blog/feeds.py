"""RSS 2.0 and Atom feeds of the latest posts, whole and per category.

Each item carries the full sanitised body (``content:encoded`` in RSS,
``<content>`` in Atom), the excerpt as its summary, the featured image as an
enclosure and at the top of the content, the bylines and the categories. The
feeds answer conditional GETs, so feed readers polling every few minutes cost
one or two small queries until something changes.
"""

import copy
import mimetypes
from abc import ABC, abstractmethod
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.http import Http404
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.html import escape, format_html, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from blog.bylines import post_bylines
from blog.models import Category, Image, Post, PostNote, PostNoteQuerySet, PostQuerySet
from blog.selectors import (
    category_get,
    post_list_last_modified,
    post_list_published,
    post_list_shown_digest,
    post_note_list_public,
    post_note_list_shown_digest,
)

FEED_LENGTH = 20
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE_NAMESPACE = "http://purl.org/dc/elements/1.1/"


# --- Generators --------------------------------------------------------------


class ContentEncodedRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with each item's full HTML in ``content:encoded`` and one ``dc:creator`` per
    byline, in order (RSS's own ``<author>`` wants an e-mail address)."""

    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = CONTENT_NAMESPACE
        attrs["xmlns:dc"] = DUBLIN_CORE_NAMESPACE
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for byline in item.get("bylines", ()):
            handler.addQuickElement("dc:creator", byline.name)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class ContentAtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 with each item's full HTML in ``<content type="html">`` and one ``<author>``
    per byline, in order, with the address of their author page when they have one."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for byline in item.get("bylines", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", byline.name)
            if byline.url:
                handler.addQuickElement("uri", byline.url)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


# --- Conditional GET ---------------------------------------------------------


class ConditionalFeed(Feed, ABC):
    """A feed that answers If-Modified-Since and If-None-Match with 304 before it is built.
    Subclasses say how it is dated (``last_modified``) and fingerprinted (``etag``).

    Feed instances are shared by every request (they sit in the URLconf), so each request
    works on a shallow copy that knows its request (item methods need it to make image URLs
    absolute) and may remember what it fetched for the validators.
    """

    request = None

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)
        feed.request = request
        view = condition(etag_func=feed.etag, last_modified_func=feed.last_modified)(feed.render)
        return view(request, *args, **kwargs)

    def render(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The syndication view dates the response by the newest item shown;
        # condition() must set the header from the same value it compares.
        del response.headers["Last-Modified"]
        return response

    @abstractmethod
    def last_modified(self, request, *args, **kwargs) -> datetime | None:
        """When what this feed shows last changed; None when the feed does not exist."""

    @abstractmethod
    def etag(self, request, *args, **kwargs) -> str | None:
        """A fingerprint of what this feed shows; None when the feed does not exist."""


class PostFeed(ConditionalFeed):
    """A feed of posts, dated by the newest change among the posts that can affect it.
    Its items may be rows shown with their posts instead (the notes of
    ``CorrectionsFeed``): ``posts`` then returns those, and ``shown_digest`` says what of
    them is shown."""

    _last_modified: datetime | None = None
    _shown: list[Post] | None = None
    shown_digest = staticmethod(post_list_shown_digest)

    @abstractmethod
    def changes(self, *args, **kwargs) -> PostQuerySet | None:
        """The posts whose edits, publication or withdrawal change this feed."""

    def last_modified(self, request, *args, **kwargs) -> datetime | None:
        # Asked twice per request (for the header and the ETag); the copy remembers.
        if self._last_modified is None:
            posts = self.changes(*args, **kwargs)
            self._last_modified = None if posts is None else post_list_last_modified(posts)
        return self._last_modified

    def etag(self, request, *args, **kwargs) -> str | None:
        # Last-Modified alone misses a deleted post, and a change to another row than the
        # posts' (an author's name, a category's, a picture's alt text); the digest of
        # what the feed shows catches both. Clients that send only If-Modified-Since see
        # such a change with the next edit of a post.
        last_modified = self.last_modified(request, *args, **kwargs)
        if last_modified is None:
            return None
        return self.shown_digest(
            self.shown(*args, **kwargs), last_modified, self.around(*args, **kwargs)
        )

    @abstractmethod
    def posts(self, *args, **kwargs) -> PostQuerySet:
        """The posts this feed shows, newest first."""

    def shown(self, *args, **kwargs) -> list[Post]:
        """The posts this feed shows; fetched once per request (validators, then items)."""
        if self._shown is None:
            self._shown = list(self.posts(*args, **kwargs)[:FEED_LENGTH])
        return self._shown

    def around(self, *args, **kwargs) -> list[str]:
        """What the feed says besides its items, when that can change (a category's
        name and description)."""
        return []


def _dated_posts(posts=None) -> PostQuerySet:
    """Posts whose time has come, whatever their status now.

    A withdrawn post keeps its publication time and its ``updated_at`` moves,
    so withdrawing one changes the feed's Last-Modified as publishing does; a post that
    reached its unpublish time dates the feed by that time
    (``selectors.post_list_last_modified``).
    """
    posts = Post.objects.all() if posts is None else posts
    return posts.filter(published_at__lte=timezone.now())


# --- Feeds -------------------------------------------------------------------


class LatestPostsFeed(PostFeed):
    """The latest published posts, as RSS 2.0 with full content."""

    feed_type = ContentEncodedRssFeed
    item_guid_is_permalink = True

    # Feed level

    def title(self) -> str:
        return settings.SITE_NAME

    def description(self) -> str:
        return _("The latest articles from %(site)s.") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return reverse("blog:home")

    def feed_url(self) -> str:
        return reverse("blog:feed")

    def posts(self) -> PostQuerySet:
        return post_list_published()

    def changes(self) -> PostQuerySet:
        return _dated_posts()

    def items(self) -> list[Post]:
        return self.shown()

    # Item level

    def item_title(self, post: Post) -> str:
        return post.title

    def item_description(self, post: Post) -> str:
        if post.excerpt:
            return post.excerpt
        return Truncator(strip_tags(post.body)).words(50)

    def item_pubdate(self, post: Post) -> datetime:
        return post.published_at

    def item_updateddate(self, post: Post) -> datetime:
        # An edit made before a scheduled post went out predates its publication.
        return max(post.updated_at, post.published_at)

    def item_categories(self, post: Post) -> list[str]:
        return [category.name for category in post.categories.all()]

    def item_enclosures(self, post: Post) -> list[feedgenerator.Enclosure]:
        picture = _feed_picture(post.featured_image)
        if picture is None:
            return []
        return [
            feedgenerator.Enclosure(
                url=self._absolute(default_storage.url(picture.name)),
                length=str(_stored_size(picture)),
                mime_type=picture.mime_type,
            )
        ]

    def item_extra_kwargs(self, post: Post) -> dict:
        # The bylines are written by the generators (one element per person); Django's
        # author fields take one person only.
        bylines = [
            byline._replace(url=byline.url and self._absolute(byline.url))
            for byline in post_bylines(post)
        ]
        return {"content": self._content(post), "bylines": bylines}

    # Helpers

    def _content(self, post: Post) -> str:
        picture = _feed_picture(post.featured_image)
        if picture is None:
            return post.body
        name, width = picture.name, picture.width
        image = post.featured_image
        height = round(image.height * width / image.width) if image.width else None
        # The body was sanitised when it was stored; the image tag is built escaped.
        figure = format_html(
            '<p><img src="{}" alt="{}" width="{}" height="{}"></p>',
            self._absolute(default_storage.url(name)),
            image.alt_text,
            width,
            height or "",
        )
        return f"{figure}{post.body}"

    def _absolute(self, url: str) -> str:
        if self.request is None:
            return url
        return self.request.build_absolute_uri(url)


class LatestPostsAtomFeed(LatestPostsFeed):
    """The same posts as Atom 1.0: summary is the excerpt, content the full body."""

    feed_type = ContentAtomFeed

    def subtitle(self) -> str:
        return self.description()

    def feed_url(self) -> str:
        return reverse("blog:feed_atom")


class CategoryPostsFeed(LatestPostsFeed):
    """The latest published posts of one category, as RSS 2.0; 404 for an unknown slug."""

    _category: Category | None = None

    def get_object(self, request, slug: str) -> Category:
        category = self._category_for(slug)
        if category is None:
            raise Http404(_("No category here."))
        return category

    def title(self, category: Category) -> str:
        return f"{settings.SITE_NAME}: {category.name}"

    def description(self, category: Category) -> str:
        return category.description or _("The latest articles in %(category)s.") % {
            "category": category.name
        }

    def link(self, category: Category) -> str:
        return category.get_absolute_url()

    def feed_url(self, category: Category) -> str:
        return reverse("blog:category_feed", kwargs={"slug": category.slug})

    def posts(self, slug: str) -> PostQuerySet:
        return post_list_published().filter(categories__slug=slug)

    def changes(self, slug: str) -> PostQuerySet | None:
        category = self._category_for(slug)
        if category is None:
            return None
        return _dated_posts(Post.objects.filter(categories=category))

    def items(self, category: Category) -> list[Post]:
        return self.shown(category.slug)

    def around(self, slug: str) -> list[str]:
        category = self._category_for(slug)
        return [category.name, category.description] if category else []

    def _category_for(self, slug: str) -> Category | None:
        # Looked up once per request: by the conditional check, then by the feed.
        if self._category is None:
            self._category = category_get(slug=slug)
        return self._category


class CorrectionsFeed(PostFeed):
    """The newest corrections, clarifications and updates (/corrections/feed/), as RSS 2.0:
    each item is the note's plain text, titled with its kind and its article's title, and
    links to the note at the foot of the article.

    Dated like the posts feed, by the newest change of any post whose time has come: adding,
    editing or deleting a note saves its post's ``updated_at`` (``post_note_save``,
    ``post_note_delete``), and a post going live or leaving adds or takes away its notes.
    The ETag covers the notes shown."""

    feed_type = feedgenerator.Rss201rev2Feed
    shown_digest = staticmethod(post_note_list_shown_digest)

    def title(self) -> str:
        return _("Corrections and updates · %(site)s") % {"site": settings.SITE_NAME}

    def description(self) -> str:
        return _("Every correction, clarification and update to the articles of %(site)s.") % {
            "site": settings.SITE_NAME
        }

    def link(self) -> str:
        return reverse("blog:corrections")

    def feed_url(self) -> str:
        return reverse("blog:corrections_feed")

    def posts(self) -> PostNoteQuerySet:
        return post_note_list_public()

    def changes(self) -> PostQuerySet:
        return _dated_posts()

    def items(self) -> list[PostNote]:
        return self.shown()

    def item_title(self, note: PostNote) -> str:
        return f"{note.get_kind_display()}: {note.post.title}"

    def item_description(self, note: PostNote) -> str:
        # Readers take an RSS description as HTML: the plain text is escaped for it.
        return escape(note.text)

    def item_link(self, note: PostNote) -> str:
        return note.get_absolute_url()

    def item_pubdate(self, note: PostNote) -> datetime:
        return note.created_at


# --- Pictures ----------------------------------------------------------------


class FeedPicture(NamedTuple):
    name: str  # in the storage
    mime_type: str
    width: int
    size: int | None  # bytes, when recorded at upload


def _feed_picture(image: Image | None) -> FeedPicture | None:
    """The widest rendition every reader can show.

    WebP is skipped: many feed readers still show only JPEG, PNG and GIF.
    """
    if image is None:
        return None
    renditions = [r for r in image.renditions if r.get("format") != "webp"]
    if renditions:
        widest = max(renditions, key=lambda r: r["width"])
        name, width, size = widest["name"], widest["width"], widest.get("bytes")
    elif image.file:
        name, width, size = image.file.name, image.width, None
    else:
        return None
    mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FeedPicture(name, mime_type, width, size)


def _stored_size(picture: FeedPicture) -> int:
    # Recorded at upload; else asked of the storage (a stat, or a request to the bucket
    # for each item). RSS allows 0 when the length is not known.
    if picture.size is not None:
        return picture.size
    try:
        return default_storage.size(picture.name)
    except OSError:
        return 0

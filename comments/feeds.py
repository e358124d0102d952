"""RSS 2.0 feeds of the latest published comments, site-wide and under one post.

Each item is one comment: "Jane Doe on “Title”", the body as escaped HTML with its
paragraphs, the comment's permalink, its time and its author's public name. No e-mail
address is ever given to the feed generator, so none can reach an ``<author>`` element.

The feeds answer conditional GETs. The comments they show are fetched once per request,
before the conditional check, and both validators are worked out from them; a poll costs
one query (two for a post's feed, which first finds the post), answered 304 or not.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from blog.feeds import ConditionalFeed
from blog.models import Post
from blog.selectors import date_span, post_list_for_day_range
from comments.models import Comment
from comments.rendering import comment_body_html as comment_body
from comments.selectors import comment_list_latest

FEED_LENGTH = 30


class _CommentFeed(ConditionalFeed):
    """What both comment feeds share: the items, their validators and their fields."""

    item_guid_is_permalink = True
    # Whether the feed belongs to one post, so that no such post means no feed (404).
    of_one_post = False

    _comments: list[Comment] | None = None

    # Conditional GET

    def post_for(self, **kwargs) -> Post | None:
        """The post whose comments are shown, or None: site-wide, or no such post."""
        return None

    def comments_for(self, post: Post | None) -> list[Comment]:
        """The comments shown, newest first; fetched once per request."""
        if self._comments is None:
            self._comments = comment_list_latest(post=post, limit=FEED_LENGTH)
        return self._comments

    def shown(self, **kwargs) -> tuple[Post | None, list[Comment]] | None:
        """The post (None site-wide) and the comments this feed shows; None if it is a 404."""
        post = self.post_for(**kwargs)
        if post is None and self.of_one_post:
            return None
        return post, self.comments_for(post)

    def last_modified(self, request, **kwargs) -> datetime | None:
        shown = self.shown(**kwargs)
        if shown is None:
            return None
        post, comments = shown
        times = [_changed_at(comment) for comment in comments]
        if post is not None:
            times.append(_post_changed_at(post))
        return max(times, default=None)

    def etag(self, request, **kwargs) -> str | None:
        # Last-Modified misses a comment hidden from the list (the next one in is older);
        # the comments shown, and a post's comment version and count, catch that.
        shown = self.shown(**kwargs)
        if shown is None:
            return None
        post, comments = shown
        parts = [f"{c.pk}:{_changed_at(c).isoformat()}:{c.author_name}" for c in comments]
        if post is not None:
            version = f"{post.pk}:{post.comment_version}:{post.comment_count}"
            parts.insert(0, f"{version}:{_post_changed_at(post).isoformat()}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    # Item level

    def item_title(self, comment: Comment) -> str:
        # The name is whatever a reader typed; some feed readers render titles as HTML.
        title = _("%(name)s on “%(title)s”") % {
            "name": comment.author_name,
            "title": comment.post.title,
        }
        return escape(title)

    def item_description(self, comment: Comment) -> str:
        return comment_body(comment.body)

    def item_link(self, comment: Comment) -> str:
        return comment.get_absolute_url()

    def item_author_name(self, comment: Comment) -> str:
        # Only the name: an item_author_email would put an address into <author>.
        return comment.author_name

    def item_pubdate(self, comment: Comment) -> datetime:
        return comment.created_at

    def item_updateddate(self, comment: Comment) -> datetime:
        return comment.edited_at or comment.created_at


class LatestCommentsFeed(_CommentFeed):
    """The latest published comments on published posts, site-wide."""

    def title(self) -> str:
        return _("Comments on %(site)s") % {"site": settings.SITE_NAME}

    def description(self) -> str:
        return _("The latest comments from readers of %(site)s.") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return reverse("blog:home")

    def feed_url(self) -> str:
        return reverse("comments:feed")

    def items(self) -> list[Comment]:
        return self.comments_for(None)


class PostCommentsFeed(_CommentFeed):
    """The latest published comments on one published post; 404 like the post page."""

    of_one_post = True
    _post: Post | None = None
    _post_looked_up = False

    def post_for(self, *, year: str, month: str, day: str, slug: str) -> Post | None:
        # Looked up once per request: by the conditional check, then by the feed.
        if not self._post_looked_up:
            self._post = _post_get_published(int(year), int(month), int(day), slug)
            self._post_looked_up = True
        return self._post

    def get_object(self, request, **kwargs) -> Post:
        post = self.post_for(**kwargs)
        if post is None:
            raise Http404(_("We can’t find that article."))
        return post

    def title(self, post: Post) -> str:
        return _("Comments on “%(title)s”") % {"title": post.title}

    def description(self, post: Post) -> str:
        return _("The latest comments on “%(title)s”.") % {"title": post.title}

    def link(self, post: Post) -> str:
        return f"{post.get_absolute_url()}#comments"

    def feed_url(self, post: Post) -> str:
        return f"{post.get_absolute_url()}feed/"

    def items(self, post: Post) -> list[Comment]:
        return self.comments_for(post)


def _post_get_published(year: int, month: int, day: int, slug: str) -> Post | None:
    """The published post at /year/month/day/slug/, as the post page finds it, in one query
    (the page's selector also preloads tags and categories, which a feed does not show)."""
    span = date_span(year=year, month=month, day=day)
    if span is None:
        return None
    posts = post_list_for_day_range(start=span.start, end=span.end)
    return posts.select_related(None).prefetch_related(None).filter(slug=slug).first()


def _changed_at(comment: Comment) -> datetime:
    """When this item last changed: the comment posted or edited, or its post edited
    (the post's title is part of the item's title)."""
    return max(comment.edited_at or comment.created_at, _post_changed_at(comment.post))


def _post_changed_at(post: Post) -> datetime:
    # An edit made before a scheduled post went out predates its publication.
    return max(post.updated_at, post.published_at)

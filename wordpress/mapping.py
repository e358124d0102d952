"""The import's mapping rules: plain functions from what a WordPress export says to what
Tribune stores (statuses, slugs, dates, excerpts, comment text, digests, credits). None of
them reads or writes the database; ``wordpress.importer`` applies them."""

import hashlib
import html
import json
import re
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from urllib.parse import unquote, urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Post
from comments.models import Comment
from wordpress.content import wordpress_excerpt
from wordpress.wxr import Author, Item, Site, Term
from wordpress.wxr import Comment as WPComment


def post_status_for(wp_status: str, *, has_password: bool) -> str | None:
    """Tribune's status for a WordPress post, or None when it is not imported.

    Published and scheduled posts (``publish``, ``future``) are published, the future ones
    with their future time, which is how Tribune schedules. Everything that was not public
    in WordPress stays a draft: drafts, posts pending review, private posts and
    password-protected ones (Tribune has no passwords, and never makes them public).
    Posts in the bin, automatic drafts and revisions are not imported.
    """
    if wp_status in ("publish", "future"):
        return Post.Status.DRAFT if has_password else Post.Status.PUBLISHED
    if wp_status in ("draft", "pending", "private"):
        return Post.Status.DRAFT
    return None


COMMENT_STATUSES = {
    "1": Comment.Status.PUBLISHED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.HIDDEN,
    "post-trashed": Comment.Status.HIDDEN,
}


def comment_status_for(approved: str) -> str:
    """Tribune's status for WordPress's ``comment_approved``: approved comments are
    published, unapproved ones wait for a moderator, spam stays spam, the bin is hidden;
    anything else waits for a moderator."""
    return COMMENT_STATUSES.get(approved.strip().lower(), Comment.Status.PENDING)


def slug_for(wp_slug: str, *, name: str, fallback: str, max_length: int) -> str:
    """An ASCII slug from WordPress's (percent-encoded) slug, else from the name, else
    ``fallback``."""
    for candidate in (unquote(wp_slug), name):
        slug = slugify(candidate)[:max_length].strip("-")
        if slug:
            return slug
    return fallback


def when_for(gmt: datetime | None, local: datetime | None) -> datetime | None:
    """The moment a WordPress date names: its GMT field, else the local one in the site's
    time zone (a WXR file does not say the blog's own zone; ``TIME_ZONE`` stands in)."""
    if gmt is not None:
        return gmt
    if local is not None:
        return timezone.make_aware(local, timezone.get_default_timezone())
    return None


def published_at_for(item: Item, status: str) -> datetime | None:
    """When a post or page was (or will be) published: its WordPress date for what was
    published, scheduled or private there; none for a draft, which has not been. A published
    one with no date at all is published now."""
    when = None
    if item.status in ("publish", "future", "private"):
        when = when_for(item.post_date_gmt, item.post_date)
    if when is None and status == Post.Status.PUBLISHED:
        return timezone.now()
    return when


_MORE_TAG = re.compile(r"<!--\s*more\b")


def excerpt_for(item: Item) -> str:
    """The post's excerpt: WordPress's own, else the teaser before ``<!--more-->`` when the
    author marked one; empty otherwise (Tribune's lists do without)."""
    if item.excerpt.strip():
        return wordpress_excerpt(item.excerpt)
    if _MORE_TAG.search(item.content):
        return wordpress_excerpt(item.content)
    return ""


_BLOCK_END = re.compile(r"(?i)</(p|div|blockquote|li|h[1-6]|pre|tr)>|<br\s*/?>")


def comment_text(raw: str) -> str:
    """A WordPress comment (a little HTML) as the plain text Tribune stores: tags dropped,
    entities decoded, paragraphs and line breaks kept."""
    marked = _BLOCK_END.sub(lambda m: "\n" if m[0].lower().startswith("<br") else "\n\n", raw)
    text = html.unescape(nh3.clean(marked, tags=set()))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def wordpress_login(login: str) -> str:
    """A login as WordPress keeps it (letters, digits, space, _ . - @): exports sometimes
    carry stray characters around the author's login in ``dc:creator``."""
    return re.sub(r"[^A-Za-z0-9 _.@-]", "", login or "").strip()


def old_path_of(link: str) -> str:
    """The path and query of a WordPress address: what old links ask this site for."""
    parts = urlsplit(link or "")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return path[:500]


def digest_of(record: Site | Author | Term | Item | WPComment) -> str:
    """A fingerprint of everything the export says about one object (an item without its
    comments: they have their own)."""
    values = asdict(record)
    values.pop("comments", None)
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


WITH_PICTURES = "p"


def same_or_better(stored: str, digest: str) -> bool:
    """Whether a post or page stored under ``stored`` needs nothing from a run that would
    store it under ``digest`` (``Importer.publishable_digest``): the same export, and its
    pictures already imported or still not to be had. A run without the uploads folder
    never takes away the pictures an earlier run brought."""
    return stored[:63] == digest[:63] and (
        stored[63:] == WITH_PICTURES or digest[63:] != WITH_PICTURES
    )


def plain_text(text: str, max_length: int) -> str:
    return html.unescape(text or "").strip()[:max_length]


def parents_first(comments: list[WPComment], by_id: dict[str, WPComment]) -> Iterator[WPComment]:
    """Each comment after its parent (exports list them by id, which is nearly always that
    order already); a parent that is not in the list is no parent."""
    done: set[str] = set()
    for comment in comments:
        chain: list[WPComment] = []
        in_chain: set[str] = set()
        current = comment
        # Up to the first ancestor already given (or none, or a loop in the export).
        while (
            current is not None
            and current.comment_id not in done
            and current.comment_id not in in_chain
        ):
            chain.append(current)
            in_chain.add(current.comment_id)
            current = by_id.get(current.parent)
        for ancestor_first in reversed(chain):
            done.add(ancestor_first.comment_id)
            yield ancestor_first


def is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def author_old_path(author: Author) -> str:
    """WordPress's address for an author by id (``/?author=2``) when the export gives the
    id; ``/author/<login>/`` otherwise (Tribune answers it itself when the username is the
    login)."""
    if author.author_id:
        return f"/?author={author.author_id}"
    return f"/author/{author.login}/"[:500]


# In PHP's serialize: the key "credit" and the length in bytes of the string after it.
_CREDIT = re.compile(rb's:6:"credit";s:(\d+):"')


def attachment_credit(metadata: str) -> str:
    """The picture's credit in an attachment's ``_wp_attachment_metadata`` (PHP's
    ``serialize``: WordPress fills ``image_meta.credit`` from the file's IPTC data, and our
    export writes it there), or "" when there is none."""
    data = metadata.encode()
    found = _CREDIT.search(data)
    if found is None:
        return ""
    start = found.end()
    return plain_text(data[start : start + int(found.group(1))].decode(errors="replace"), 200)

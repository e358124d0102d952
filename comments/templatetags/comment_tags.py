"""Formatting for comments: text only, never a query."""

import hashlib

from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

AVATAR_COLOURS = 8
URL_DISPLAY_LIMIT = 60


@register.filter
def comment_body(text: str) -> SafeString:
    """Plain text as HTML: escaped, paragraphs and line breaks kept, links clickable and
    marked as user-generated."""
    linked = urlize(text, trim_url_limit=URL_DISPLAY_LIMIT, nofollow=True, autoescape=True)
    # urlize escapes everything a person typed, so the only rel="nofollow" left is its own.
    linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    return mark_safe(linebreaks(linked, autoescape=False))  # noqa: S308


@register.filter
def initials(name: str) -> str:
    """Up to two letters for a generated avatar: "Jane Doe" → "JD"."""
    firsts = [next((ch for ch in word if ch.isalnum()), "") for word in str(name).split()]
    letters = "".join(ch for ch in firsts if ch)[:2]
    return (letters or str(name).strip()[:1] or "?").upper()


@register.filter
def avatar_colour(name: str) -> int:
    """A stable colour slot (0–7) for a name, so a person keeps the same colour."""
    digest = hashlib.blake2s(str(name).casefold().encode(), digest_size=2).digest()
    return int.from_bytes(digest) % AVATAR_COLOURS

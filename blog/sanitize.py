"""The allow-list every stored post body passes through.

Script, style, event handlers, ``javascript:`` URLs, iframes and pictures from
other sites never reach a page, whoever wrote them.
"""

from functools import cache
from urllib.parse import unquote

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "code", "pre",
    "a", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "hr",
    "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Pictures come from our own image library only: no tracking pixels, no hotlinks.
    if tag == "img" and attribute == "src":
        return value if _is_media_address(value) else None
    return value


def _is_media_address(value: str) -> bool:
    """Whether ``value`` points into the uploads: under /media/ on the site, or under the
    bucket's address when the uploads live in object storage."""
    media_url = settings.MEDIA_URL
    if "//" not in media_url:
        media_url = "/" + media_url.lstrip("/")
    if not value.startswith(media_url):
        return False
    rest = value[len(media_url) :]
    # No way out of the uploads (another bucket on the same host) through “..” or “//”.
    parts = rest.split("/")
    return "" not in parts and ".." not in {unquote(part) for part in parts}


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_keep_attribute,
        strip_comments=True,
    )


def sanitize_post_html(html: str) -> str:
    """Return ``html`` with everything outside the allow-list removed."""
    return _cleaner().clean(html.replace("\x00", "")).strip()

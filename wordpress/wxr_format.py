"""How values are written in a WordPress export (WXR): XML text and CDATA as WordPress
writes them, its dates, its post statuses, PHP's ``serialize`` for attachment metadata.
``wordpress.export`` builds the file out of these."""

import html
import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.utils import timezone

from blog.models import Category, Image, Tag, Visibility

# What WordPress writes as the GMT date of a draft that was never published.
NO_DATE = "0000-00-00 00:00:00"
# Characters XML 1.0 does not allow anywhere, CDATA included.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# -------------------------------------------------------------------------


def xml_text(value: str) -> str:
    """``value`` as XML character data: escaped, and any character XML forbids dropped."""
    return escape(_NOT_XML.sub("", value))


def cdata(value: str) -> str:
    """``value`` in a CDATA section, as WordPress writes text: a ``]]>`` inside is split
    across two sections, and any character XML forbids is dropped."""
    value = _NOT_XML.sub("", value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def element(name: str, value: str | int) -> str:
    if isinstance(value, int):
        return f"<{name}>{value}</{name}>"
    return f"<{name}>{cdata(value)}</{name}>"


def wp_text(value: str) -> str:
    """Plain text (a title, a name, a comment) as WordPress keeps such fields: HTML, with
    ``&``, ``<`` and ``>`` written as entities, so a comment saying "<b>" shows those
    characters in WordPress, and an importer that reads HTML (ours does) gets them back."""
    return html.escape(value, quote=False)


def local_date(moment: datetime | None) -> str:
    """A date as WordPress's ``post_date``: the site's local time, no zone."""
    if moment is None:
        return NO_DATE
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def gmt_date(moment: datetime | None) -> str:
    if moment is None:
        return NO_DATE
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def rfc822_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def absolute_url(path_or_url: str) -> str:
    """An address on this site as readers reach it (``SITE_URL``); full URLs (a bucket's
    files) are kept."""
    if "://" in path_or_url:
        return path_or_url
    return settings.SITE_URL + path_or_url


def item_term(taxonomy: str, term: Category | Tag) -> str:
    return (
        f"\t\t<category domain={quoteattr(taxonomy)} nicename={quoteattr(term.slug)}>"
        f"{cdata(wp_text(term.name))}</category>\n"
    )


def postmeta(key: str, value: str | int) -> str:
    return (
        f"\t\t<wp:postmeta>{element('wp:meta_key', key)}"
        f"{element('wp:meta_value', str(value))}</wp:postmeta>\n"
    )


def wordpress_status(visibility: Visibility) -> str:
    """Where a post or page stands for readers (``blog.models.visibility_at``) as WordPress's
    status: live ``publish``, scheduled ``future``, anything else ``draft``, a post past its
    unpublish time included (WordPress itself has no unpublish time)."""
    return {Visibility.LIVE: "publish", Visibility.SCHEDULED: "future"}.get(visibility, "draft")


def html_block(body: str) -> str:
    """A stored body as a WordPress Custom HTML block: Tribune's HTML is final (sanitised,
    with its paragraphs), so neither WordPress nor our importer may add paragraphs to it."""
    if not body:
        return ""
    return f"<!-- wp:html -->\n{body}\n<!-- /wp:html -->"


def php_attachment_metadata(image: Image) -> str:
    """``_wp_attachment_metadata`` as WordPress stores it (PHP's ``serialize``): the size
    and the credit and caption, which WordPress keeps nowhere else."""
    meta = {
        "width": image.width,
        "height": image.height,
        "file": image.file.name,
        "image_meta": {"credit": image.credit, "caption": image.caption},
    }
    return php_serialize(meta)


def php_serialize(value: object) -> str:
    """PHP's ``serialize`` of ints, strings and dicts of them (lengths in UTF-8 bytes)."""
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, str):
        return f's:{len(value.encode())}:"{value}";'
    if isinstance(value, dict):
        inner = "".join(php_serialize(k) + php_serialize(v) for k, v in value.items())
        return f"a:{len(value)}:{{{inner}}}"
    raise TypeError(f"Cannot serialise {type(value).__name__} for PHP")

"""Reading a WordPress export (WXR) as a stream of plain objects.

A WXR file is RSS 2.0 with WordPress's own elements: the site (``<channel>``'s title, link,
``wp:wxr_version``), then its authors, categories, tags and other terms, then one ``<item>``
per post, page, attachment or menu item, each with its comments and meta. ``read_wxr``
yields one object for each as soon as its element ends and then drops the element, so
the memory needed stays that of one item whatever the size of the file.

The parse is defusedxml's: a file with a document type declaration (the door to entity
expansion and external entities) is refused before anything is read from it. Every
problem with the file comes out as a ``WXRError`` whose message is a sentence for the
person who chose the file.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

# The newest WXR version this reader understands; newer files may mean things it misreads.
NEWEST_VERSION = (1, 2)
OLDEST_VERSION = (1, 0)

# WordPress has written its namespaces with http:// for ever; some exports (the Theme Unit
# Test data among them) use https://. Both name the same vocabulary.
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+)\.(\d+)/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_OTHER_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# expat's codes for a document that stops before it is complete.
_TRUNCATED_CODES = {
    3,  # no element found
    5,  # unclosed token
    6,  # partial character
    20,  # unclosed CDATA section
}
_NO_DATE = "0000-00-00 00:00:00"


class WXRError(Exception):
    """A file this reader cannot import. ``message`` says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Site:
    """The exported site: what the channel says about itself."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    # Post ids a ``wp:sticky_posts`` list names (some exporters write one; WordPress
    # marks each item with ``wp:is_sticky`` instead).
    sticky_ids: set[str] = field(default_factory=set)


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    # WXR 1.1+; comments written by a member name it in ``wp:comment_user_id``.
    author_id: str = ""


@dataclass
class Term:
    """A category, a tag, or a term of another taxonomy (nav_menu, post_format…)."""

    taxonomy: str  # "category", "post_tag", or another taxonomy's name
    term_id: str
    slug: str
    name: str
    parent: str = ""  # the parent's slug
    description: str = ""


@dataclass
class Comment:
    comment_id: str
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: datetime | None = None  # the site's local time, naive
    date_gmt: datetime | None = None  # UTC
    content: str = ""
    approved: str = "1"  # "1", "0", "spam", "trash" (or "post-trashed")
    type: str = ""  # "" or "comment" for comments; "pingback", "trackback"
    parent: str = "0"
    user_id: str = "0"


@dataclass
class ItemTerm:
    """A category or tag an item is filed under, as the item names it."""

    taxonomy: str
    slug: str
    name: str


@dataclass
class Item:
    """A post, page, attachment, menu item or other post type, with its comments."""

    post_id: str
    post_type: str = "post"
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: datetime | None = None  # the site's local time, naive
    post_date_gmt: datetime | None = None  # UTC
    post_modified_gmt: datetime | None = None
    comment_status: str = "open"
    post_name: str = ""
    status: str = "publish"
    post_parent: str = "0"
    menu_order: int = 0
    post_password: str = ""
    is_sticky: bool = False
    attachment_url: str = ""
    terms: list[ItemTerm] = field(default_factory=list)
    postmeta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


Record = Site | Author | Term | Item


def read_wxr(source: str | Path | IO[bytes]) -> Iterator[Record]:
    """The site, then each author, term and item of the WXR file ``source`` (a path or a
    binary file), in the file's order. The ``Site`` comes first, before any other record.

    Raises ``WXRError`` for an empty file, a file that is not XML or is cut short, XML that
    is not a WordPress export, a WXR version newer than 1.2, and any document type
    declaration (entity expansion, external entities). Records already yielded stay
    yielded: a caller that must store nothing of a bad file works in a transaction.
    """
    if isinstance(source, str | Path):
        with open(source, "rb") as file:
            yield from _read(file)
    else:
        yield from _read(source)


def _read(file: IO[bytes]) -> Iterator[Record]:
    reader = _Reader()
    events = safe_et.iterparse(file, events=("start-ns", "start", "end"), forbid_dtd=True)
    try:
        for event, value in events:
            yield from reader.handle(event, value)
    except ParseError as error:
        raise _parse_error(error, reader, file) from None
    except DTDForbidden:
        raise WXRError(
            "This file declares a document type (<!DOCTYPE …>), which can hide entity "
            "expansion or external entities; WordPress exports never have one, so it was "
            "not imported."
        ) from None
    except EntitiesForbidden:
        raise WXRError(
            "This file defines XML entities, which can be used to blow up or leak "
            "data through an import; WordPress exports never do, so it was not imported."
        ) from None
    except ExternalReferenceForbidden:
        raise WXRError(
            "This file refers to external XML resources; WordPress exports never do, "
            "so it was not imported."
        ) from None
    yield from reader.finish()


def _parse_error(error: ParseError, reader: "_Reader", file: IO[bytes]) -> WXRError:
    line, column = error.position
    code = getattr(error, "code", None)
    if not reader.seen_root and code == 3 and _is_blank(file):
        return WXRError("The file is empty: there is nothing to import.")
    if reader.seen_root and code in _TRUNCATED_CODES:
        return WXRError(
            "The file stops part-way through (it ends at line "
            f"{line}): it was probably cut short while downloading or copying. "
            "Please export it from WordPress again."
        )
    if not reader.seen_root:
        return WXRError(
            "This file is not XML, so it cannot be a WordPress export. Please choose the "
            "file WordPress made under Tools → Export."
        )
    reason = str(error).split(":")[0]
    return WXRError(
        f"This file is not valid XML ({reason} at line {line}, column {column}), so it "
        "cannot be imported. Please export it from WordPress again."
    )


def _is_blank(file: IO[bytes]) -> bool:
    try:
        file.seek(0)
        return not file.read(4096).strip()
    except (OSError, ValueError):
        return False


def _wxr_version(text: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*(\d+)\.(\d+)\s*", text or "")
    return (int(match[1]), int(match[2])) if match else None


def _text(element: Element | None) -> str:
    return (element.text or "") if element is not None else ""


def _date(text: str) -> datetime | None:
    """A WXR date ("2013-01-10 20:15:40"), naive; None for WordPress's "no date"."""
    text = text.strip()
    if not text or text == _NO_DATE:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _utc(text: str) -> datetime | None:
    value = _date(text)
    return value.replace(tzinfo=UTC) if value else None


class _Reader:
    """Turns parse events into records, keeping only the element being read."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.namespace_version: tuple[int, int] | None = None
        self.seen_root = False
        self.channel: Element | None = None
        self.depth = 0
        self.site = Site()
        self.site_sent = False

    # --- namespaces -------------------------------------------------------------------

    def _alias(self, uri: str) -> str:
        """A stable short name for a namespace URI, whatever prefix the file gave it."""
        if uri not in self.aliases:
            wp = _WP_NAMESPACE.match(uri)
            if wp:
                self.aliases[uri] = "wp"
                self.namespace_version = (int(wp[1]), int(wp[2]))
            elif _EXCERPT_NAMESPACE.match(uri):
                self.aliases[uri] = "excerpt"
            else:
                self.aliases[uri] = _OTHER_NAMESPACES.get(uri, uri)
        return self.aliases[uri]

    def name(self, tag: str) -> str:
        """``{uri}local`` as ``alias:local``; a tag without a namespace as it is."""
        if tag.startswith("{"):
            uri, _, local = tag[1:].partition("}")
            return f"{self._alias(uri)}:{local}"
        return tag

    # --- events -----------------------------------------------------------------------

    def handle(self, event: str, value) -> Iterator[Record]:
        if event == "start-ns":
            self._alias(value[1])
            return
        if event == "start":
            self._start(value)
            return
        self.depth -= 1
        if self.depth == 2:  # a child of <channel> has ended
            yield from self._channel_child(value)

    def _start(self, element: Element) -> None:
        self.depth += 1
        if self.depth == 1:
            self.seen_root = True
            if element.tag != "rss":
                raise WXRError(
                    "This file is XML but not a WordPress export: it should be an RSS "
                    f"document, and it is a <{self.name(element.tag)}> document."
                )
        elif self.depth == 2 and element.tag == "channel":
            if "wp" not in self.aliases.values():
                raise WXRError(
                    "This file is an RSS feed but not a WordPress export: it has none of "
                    "WordPress's export elements. Please use the file WordPress made under "
                    "Tools → Export."
                )
            self._check_version(self.namespace_version)
            self.channel = element

    def _channel_child(self, element: Element) -> Iterator[Record]:
        name = self.name(element.tag)
        if self.channel is None:
            return
        record: Record | None = None
        if name == "wp:author":
            record = self._author(element)
        elif name in ("wp:category", "wp:tag", "wp:term"):
            record = self._term(name, element)
        elif name == "item":
            record = self._item(element)
        else:
            self._site_field(name, element)
        if record is not None:
            if not self.site_sent:
                yield self._send_site()
            yield record
        # Dropped once read, so memory does not grow with the file.
        element.clear()
        self.channel.remove(element)

    def finish(self) -> Iterator[Site]:
        """The site, when the export held nothing else; raises when it was no export."""
        if self.channel is None:
            raise WXRError(
                "This file is XML but not a WordPress export: it has no <channel> with the "
                "site's content. Please use the file WordPress made under Tools → Export."
            )
        if not self.site_sent:
            yield self._send_site()

    def _send_site(self) -> Site:
        if not self.site.wxr_version:
            raise WXRError(
                "This file has no WXR version (wp:wxr_version), so it is not a WordPress "
                "export this importer can read. Please export it from WordPress again."
            )
        self.site_sent = True
        return self.site

    def _check_version(self, version: tuple[int, int] | None) -> None:
        if version is not None and version > NEWEST_VERSION:
            raise WXRError(
                f"This export uses WXR version {version[0]}.{version[1]}, newer than 1.2, "
                "the newest this importer understands. Please export with a WordPress "
                "version that writes WXR 1.2, or update Tribune."
            )
        if version is not None and version < OLDEST_VERSION:
            raise WXRError(
                f"This export uses WXR version {version[0]}.{version[1]}, which is not one "
                "this importer understands (1.0 to 1.2)."
            )

    # --- records ----------------------------------------------------------------------

    def _site_field(self, name: str, element: Element) -> None:
        text = (element.text or "").strip()
        if name == "wp:wxr_version":
            version = _wxr_version(text)
            if version is None:
                raise WXRError(
                    f"This export's WXR version (“{text[:20]}”) is not a version number, so "
                    "it cannot be imported. Please export it from WordPress again."
                )
            self._check_version(version)
            self.site.wxr_version = text
        elif name == "wp:sticky_posts":
            self.site.sticky_ids = set(re.findall(r"\d+", text))
        elif name in ("title", "link", "description", "language"):
            setattr(self.site, name, text)
        elif name in ("wp:base_site_url", "wp:base_blog_url"):
            setattr(self.site, name.removeprefix("wp:"), text)

    def _fields(self, element: Element) -> dict[str, str]:
        return {self.name(child.tag): child.text or "" for child in element}

    def _author(self, element: Element) -> Author:
        values = self._fields(element)
        return Author(
            login=values.get("wp:author_login", "").strip(),
            email=values.get("wp:author_email", "").strip(),
            display_name=values.get("wp:author_display_name", "").strip(),
            first_name=values.get("wp:author_first_name", "").strip(),
            last_name=values.get("wp:author_last_name", "").strip(),
            author_id=values.get("wp:author_id", "").strip(),
        )

    def _term(self, name: str, element: Element) -> Term:
        values = self._fields(element)
        get = lambda key: values.get(f"wp:{key}", "").strip()  # noqa: E731
        if name == "wp:category":
            return Term(
                taxonomy="category",
                term_id=get("term_id"),
                slug=get("category_nicename"),
                name=get("cat_name"),
                parent=get("category_parent"),
                description=get("category_description"),
            )
        if name == "wp:tag":
            return Term(
                taxonomy="post_tag",
                term_id=get("term_id"),
                slug=get("tag_slug"),
                name=get("tag_name"),
                description=get("tag_description"),
            )
        return Term(
            taxonomy=get("term_taxonomy"),
            term_id=get("term_id"),
            slug=get("term_slug"),
            name=get("term_name"),
            parent=get("term_parent"),
            description=get("term_description"),
        )

    def _item(self, element: Element) -> Item:
        item = Item(post_id="")
        for child in element:
            name = self.name(child.tag)
            if name == "category":
                item.terms.append(
                    ItemTerm(
                        taxonomy=child.get("domain", "category"),
                        slug=child.get("nicename", ""),
                        name=(child.text or "").strip(),
                    )
                )
            elif name == "wp:postmeta":
                meta = self._fields(child)
                item.postmeta[meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
            elif name == "wp:comment":
                item.comments.append(self._comment(child))
            else:
                self._item_field(item, name, child.text or "")
        return item

    def _item_field(self, item: Item, name: str, text: str) -> None:
        simple = {
            "title": "title",
            "link": "link",
            "guid": "guid",
            "dc:creator": "creator",
            "content:encoded": "content",
            "excerpt:encoded": "excerpt",
            "wp:post_id": "post_id",
            "wp:comment_status": "comment_status",
            "wp:post_name": "post_name",
            "wp:status": "status",
            "wp:post_parent": "post_parent",
            "wp:post_type": "post_type",
            "wp:post_password": "post_password",
            "wp:attachment_url": "attachment_url",
        }
        if name in simple:
            stripped = name not in ("content:encoded", "excerpt:encoded", "wp:post_password")
            setattr(item, simple[name], text.strip() if stripped else text)
        elif name == "wp:post_date":
            item.post_date = _date(text)
        elif name == "wp:post_date_gmt":
            item.post_date_gmt = _utc(text)
        elif name == "wp:post_modified_gmt":
            item.post_modified_gmt = _utc(text)
        elif name == "wp:is_sticky":
            item.is_sticky = text.strip() == "1"
        elif name == "wp:menu_order":
            item.menu_order = int(text) if text.strip().lstrip("-").isdigit() else 0

    def _comment(self, element: Element) -> Comment:
        values = {
            self.name(child.tag).removeprefix("wp:comment_"): child.text or "" for child in element
        }
        get = lambda key, default="": values.get(key, default).strip() or default  # noqa: E731
        return Comment(
            comment_id=get("id"),
            author=get("author"),
            author_email=get("author_email"),
            author_url=get("author_url"),
            author_ip=get("author_IP"),
            date=_date(get("date")),
            date_gmt=_utc(get("date_gmt")),
            content=values.get("content", ""),
            approved=get("approved", "1"),
            type=get("type"),
            parent=get("parent", "0"),
            user_id=get("user_id", "0"),
        )

"""Tribune's content as a WordPress export (WXR 1.2), so nobody is locked in.

``export_wordpress`` writes the file WordPress's own Tools → Export writes: an RSS 2.0
document with WordPress's namespaces (``http://wordpress.org/export/1.2/``), the authors,
categories and tags first, then one ``<item>`` per post, page and featured image, each post
with its published comments. WordPress's importer and ours (``wordpress.importer``) read it.

It streams: rows are read in chunks of ``CHUNK`` posts (a fixed number of queries per chunk,
comments included, whatever their number) and each item is written as soon as it is built,
so a site of any size is exported in memory that does not grow with it.

WordPress numbers posts, pages and attachments in one sequence (and categories and tags in
another); Tribune numbers each model on its own. So the export gives posts their own ids,
pages their id after the highest post id, featured images theirs after the highest page id,
and tags theirs after the highest category id (``WordPressIds``); the same site exports with
the same ids every time.

What is left out: drafts' and scheduled posts' comments are exported like any other
(published comments only); comments that are held, hidden or spam are not, and a published
reply under one of them hangs from its nearest published ancestor. Guests' and members'
e-mail addresses only with ``with_emails``; IP addresses never (Tribune keeps only a hash).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from itertools import groupby
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import public_name
from blog.models import Category, Image, Page, Post, Tag, visibility_at
from comments.models import Comment, comment_author_name
from wordpress.wxr_format import (
    NO_DATE,
    absolute_url,
    cdata,
    element,
    gmt_date,
    html_block,
    item_term,
    local_date,
    php_attachment_metadata,
    postmeta,
    rfc822_date,
    wordpress_status,
    wp_text,
    xml_text,
)

WXR_VERSION = "1.2"
WP_NAMESPACE = f"http://wordpress.org/export/{WXR_VERSION}/"
NAMESPACES = {
    "excerpt": f"http://wordpress.org/export/{WXR_VERSION}/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": WP_NAMESPACE,
}
# Posts (or pages) read and written per round of queries.
CHUNK = 100
# Comments fetched from the database per round trip while streaming a chunk's comments.
COMMENT_BATCH = 2000


@dataclass
class ExportCounts:
    """How many of each thing an export wrote."""

    authors: int = 0
    categories: int = 0
    tags: int = 0
    posts: int = 0
    pages: int = 0
    attachments: int = 0
    comments: int = 0

    def as_dict(self) -> dict[str, int]:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def lines(self) -> list[str]:
        """The summary for people, one line per kind."""
        return [f"{name.capitalize()}: {count:,}" for name, count in self.as_dict().items()]


@dataclass(frozen=True)
class WordPressIds:
    """Where each model's ids start in WordPress's shared sequences (see the module)."""

    page_offset: int
    attachment_offset: int
    tag_offset: int

    @classmethod
    def for_site(cls) -> "WordPressIds":
        highest_post = Post.objects.aggregate(n=Max("pk"))["n"] or 0
        highest_page = Page.objects.aggregate(n=Max("pk"))["n"] or 0
        highest_category = Category.objects.aggregate(n=Max("pk"))["n"] or 0
        return cls(
            page_offset=highest_post,
            attachment_offset=highest_post + highest_page,
            tag_offset=highest_category,
        )

    def page(self, pk: int) -> int:
        return self.page_offset + pk

    def attachment(self, pk: int) -> int:
        return self.attachment_offset + pk

    def tag(self, pk: int) -> int:
        return self.tag_offset + pk


def export_wordpress(out: BinaryIO, *, with_emails: bool = False) -> ExportCounts:
    """Write the whole site to ``out`` as a WXR 1.2 file; returns what was written."""
    counts = ExportCounts()
    ids = WordPressIds.for_site()

    def write(parts: Iterable[str]) -> None:
        out.write("".join(parts).encode())

    write(_head())
    for parts in _authors(counts):
        write(parts)
    for parts in _categories(counts):
        write(parts)
    for parts in _tags(counts, ids):
        write(parts)
    for parts in _posts(counts, ids, with_emails=with_emails):
        write(parts)
    for parts in _pages(counts, ids):
        write(parts)
    write(["</channel>\n</rss>\n"])
    return counts


# The channel --------------------------------------------------------------------------


def _head() -> list[str]:
    declarations = "".join(f'\n\txmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    site = xml_text(settings.SITE_URL)
    return [
        '<?xml version="1.0" encoding="UTF-8" ?>\n',
        "<!-- This is a WordPress eXtended RSS file generated by Tribune as an export of "
        "its posts, pages, comments, categories, tags and authors. -->\n",
        "<!-- WordPress imports it through Tools: Import, WordPress. -->\n",
        f'<rss version="2.0"{declarations}\n>\n<channel>\n',
        f"\t<title>{xml_text(settings.SITE_NAME)}</title>\n",
        f"\t<link>{site}</link>\n",
        "\t<description></description>\n",
        f"\t<pubDate>{rfc822_date(timezone.now())}</pubDate>\n",
        f"\t<language>{xml_text(settings.LANGUAGE_CODE)}</language>\n",
        f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>\n",
        f"\t<wp:base_site_url>{site}</wp:base_site_url>\n",
        f"\t<wp:base_blog_url>{site}</wp:base_blog_url>\n",
    ]


def _authors(counts: ExportCounts) -> Iterator[list[str]]:
    """Everyone who wrote a post or a page (as WordPress lists them), staff e-mail included:
    WordPress and our importer match authors on it."""
    authors = (
        get_user_model()
        .objects.filter(
            Q(pk__in=Post.objects.values("author_id"))
            | Q(pk__in=Page.objects.filter(author__isnull=False).values("author_id"))
        )
        .order_by("pk")
    )
    for user in authors.iterator():
        counts.authors += 1
        yield [
            "\t<wp:author>",
            element("wp:author_id", user.pk),
            element("wp:author_login", user.username),
            element("wp:author_email", user.email),
            element("wp:author_display_name", wp_text(user.public_name)),
            element("wp:author_first_name", wp_text(user.first_name)),
            element("wp:author_last_name", wp_text(user.last_name)),
            "</wp:author>\n",
        ]


def _categories(counts: ExportCounts) -> Iterator[list[str]]:
    for category in Category.objects.order_by("pk").iterator():
        counts.categories += 1
        yield [
            "\t<wp:category>",
            element("wp:term_id", category.pk),
            element("wp:category_nicename", category.slug),
            element("wp:category_parent", ""),
            element("wp:cat_name", wp_text(category.name)),
            element("wp:category_description", wp_text(category.description))
            if category.description
            else "",
            "</wp:category>\n",
        ]


def _tags(counts: ExportCounts, ids: WordPressIds) -> Iterator[list[str]]:
    for tag in Tag.objects.order_by("pk").iterator():
        counts.tags += 1
        yield [
            "\t<wp:tag>",
            element("wp:term_id", ids.tag(tag.pk)),
            element("wp:tag_slug", tag.slug),
            element("wp:tag_name", wp_text(tag.name)),
            element("wp:tag_description", wp_text(tag.description)) if tag.description else "",
            "</wp:tag>\n",
        ]


# Items --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """What every ``<item>`` says, whatever it is."""

    wp_id: int
    post_type: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    slug: str
    status: str
    date: datetime | None
    modified: datetime | None
    # False for a draft never given a date: WordPress then writes its zero GMT date.
    dated: bool = True
    parent: int = 0
    comment_status: str = "closed"
    sticky: bool = False


def _item_head(item: _Item) -> list[str]:
    return [
        "\t<item>\n",
        f"\t\t<title>{cdata(wp_text(item.title))}</title>\n",
        f"\t\t<link>{xml_text(item.link)}</link>\n",
        f"\t\t<pubDate>{rfc822_date(item.date)}</pubDate>\n",
        f"\t\t{element('dc:creator', item.creator)}\n",
        f'\t\t<guid isPermaLink="false">{xml_text(absolute_url(f"/?p={item.wp_id}"))}</guid>\n',
        "\t\t<description></description>\n",
        f"\t\t{element('content:encoded', item.content)}\n",
        f"\t\t{element('excerpt:encoded', wp_text(item.excerpt))}\n",
        f"\t\t{element('wp:post_id', item.wp_id)}\n",
        f"\t\t{element('wp:post_date', local_date(item.date))}\n",
        f"\t\t{element('wp:post_date_gmt', gmt_date(item.date) if item.dated else NO_DATE)}\n",
        f"\t\t{element('wp:post_modified', local_date(item.modified))}\n",
        f"\t\t{element('wp:post_modified_gmt', gmt_date(item.modified))}\n",
        f"\t\t{element('wp:comment_status', item.comment_status)}\n",
        f"\t\t{element('wp:ping_status', 'closed')}\n",
        f"\t\t{element('wp:post_name', item.slug)}\n",
        f"\t\t{element('wp:status', item.status)}\n",
        f"\t\t{element('wp:post_parent', item.parent)}\n",
        f"\t\t{element('wp:menu_order', 0)}\n",
        f"\t\t{element('wp:post_type', item.post_type)}\n",
        f"\t\t{element('wp:post_password', '')}\n",
        f"\t\t{element('wp:is_sticky', int(item.sticky))}\n",
    ]


def _attachment(image: Image, *, wp_id: int, parent: int, author: str) -> list[str]:
    """A featured image as WordPress's attachment item: the file's address, its path under
    the uploads folder (Tribune's media folder: give it to the importer's ``--media-dir``),
    alt text, caption (the excerpt, as WordPress keeps it) and credit."""
    url = absolute_url(default_storage.url(image.file.name))
    item = _Item(
        wp_id=wp_id,
        post_type="attachment",
        title=image.alt_text,
        link=url,
        creator=author,
        content="",
        excerpt=image.caption,
        slug=f"image-{image.pk}",
        status="inherit",
        date=image.created_at,
        modified=image.created_at,
        parent=parent,
    )
    return [
        *_item_head(item),
        f"\t\t{element('wp:attachment_url', url)}\n",
        postmeta("_wp_attached_file", image.file.name),
        postmeta("_wp_attachment_image_alt", image.alt_text),
        postmeta("_wp_attachment_metadata", php_attachment_metadata(image)),
        "\t</item>\n",
    ]


def _posts(counts: ExportCounts, ids: WordPressIds, *, with_emails: bool) -> Iterator[list[str]]:
    """Every post, any status, in chunks: per chunk one query for the posts (with author
    and featured image), one each for their categories and tags, one for the held, hidden
    and spam comments' parents and one streamed query for the published comments."""
    now = timezone.now()
    posts = Post.objects.select_related("author", "featured_image").prefetch_related(
        "categories", "tags"
    )
    last = 0
    while chunk := list(posts.filter(pk__gt=last).order_by("pk")[:CHUNK]):
        last = chunk[-1].pk
        # The comments come by post, in the chunk's order: take each post's in turn.
        grouped = groupby(_published_comments([post.pk for post in chunk]), key=_post_of)
        current = next(grouped, None)
        for post in chunk:
            if current is not None and current[0] == post.pk:
                yield from _post(post, current[1], counts, ids, now=now, with_emails=with_emails)
                current = next(grouped, None)
            else:
                yield from _post(post, (), counts, ids, now=now, with_emails=with_emails)


def _post_of(row: dict) -> int:
    return row["post_id"]


def _post(
    post: Post,
    comments: Iterable[dict],
    counts: ExportCounts,
    ids: WordPressIds,
    *,
    now: datetime,
    with_emails: bool,
) -> Iterator[list[str]]:
    author = post.author.username
    image = post.featured_image
    if image is not None:
        counts.attachments += 1
        yield _attachment(image, wp_id=ids.attachment(image.pk), parent=post.pk, author=author)
    status = wordpress_status(
        visibility_at(
            status=post.status,
            published_at=post.published_at,
            unpublish_at=post.unpublish_at,
            now=now,
        )
    )
    counts.posts += 1
    item = _Item(
        wp_id=post.pk,
        post_type="post",
        title=post.title,
        link=absolute_url(post.get_absolute_url()),
        creator=author,
        content=html_block(post.body),
        excerpt=post.excerpt,
        slug=post.slug,
        status=status,
        date=post.published_at or post.created_at,
        dated=post.published_at is not None,
        modified=post.updated_at,
        comment_status="open" if post.comments_enabled else "closed",
        sticky=post.is_sticky,
    )
    parts = _item_head(item)
    parts += [item_term("category", term) for term in post.categories.all()]
    parts += [item_term("post_tag", term) for term in post.tags.all()]
    if image is not None:
        parts.append(postmeta("_thumbnail_id", ids.attachment(image.pk)))
    yield parts
    for row in comments:
        counts.comments += 1
        yield _comment(row, with_emails=with_emails)
    yield ["\t</item>\n"]


COMMENT_FIELDS = (
    "pk",
    "post_id",
    "parent_id",
    "user_id",
    "guest_name",
    "guest_email",
    "body",
    "created_at",
    "user__username",
    "user__display_name",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__deleted_at",
)


def _published_comments(post_ids: list[int]) -> Iterator[dict]:
    """The published comments of these posts, by post then oldest first, each with the
    nearest published comment above it as ``parent_id`` (0 for none)."""
    # Held, hidden and spam comments are few; their parents let a reply below one of them
    # hang from the nearest published comment above it.
    unpublished = dict(
        Comment.objects.filter(post_id__in=post_ids)
        .exclude(status=Comment.Status.PUBLISHED)
        .values_list("pk", "parent_id")
    )
    rows = (
        Comment.objects.filter(post_id__in=post_ids, status=Comment.Status.PUBLISHED)
        .order_by("post_id", "created_at", "pk")
        .values(*COMMENT_FIELDS)
    )
    for row in rows.iterator(chunk_size=COMMENT_BATCH):
        parent = row["parent_id"]
        while parent in unpublished:
            parent = unpublished[parent]
        row["parent_id"] = parent or 0
        yield row


def _comment(row: dict, *, with_emails: bool) -> list[str]:
    member = row["user_id"] is not None
    name = comment_author_name(
        member_name=public_name(
            display_name=row["user__display_name"],
            first_name=row["user__first_name"],
            last_name=row["user__last_name"],
            username=row["user__username"],
            is_deleted=row["user__deleted_at"] is not None,
        )
        if member
        else None,
        guest_name=row["guest_name"],
    )
    email = (row["user__email"] if member else row["guest_email"]) if with_emails else ""
    return [
        "\t\t<wp:comment>",
        element("wp:comment_id", row["pk"]),
        element("wp:comment_author", wp_text(name)),
        element("wp:comment_author_email", email or ""),
        element("wp:comment_author_url", ""),
        element("wp:comment_author_IP", ""),
        element("wp:comment_date", local_date(row["created_at"])),
        element("wp:comment_date_gmt", gmt_date(row["created_at"])),
        element("wp:comment_content", wp_text(row["body"])),
        element("wp:comment_approved", "1"),
        element("wp:comment_type", "comment"),
        element("wp:comment_parent", row["parent_id"]),
        element("wp:comment_user_id", row["user_id"] or 0),
        "</wp:comment>\n",
    ]


def _pages(counts: ExportCounts, ids: WordPressIds) -> Iterator[list[str]]:
    """Every page, any status, in chunks."""
    now = timezone.now()
    pages = Page.objects.select_related("author")
    last = 0
    while chunk := list(pages.filter(pk__gt=last).order_by("pk")[:CHUNK]):
        last = chunk[-1].pk
        for page in chunk:
            counts.pages += 1
            item = _Item(
                wp_id=ids.page(page.pk),
                post_type="page",
                title=page.title,
                link=absolute_url(page.get_absolute_url()),
                creator=page.author.username if page.author else "",
                content=html_block(page.body),
                excerpt="",
                slug=page.slug,
                status=wordpress_status(
                    visibility_at(
                        status=page.status,
                        published_at=page.published_at,
                        unpublish_at=None,
                        now=now,
                    )
                ),
                date=page.published_at or page.created_at,
                dated=page.published_at is not None,
                modified=page.updated_at,
            )
            yield [*_item_head(item), "\t</item>\n"]

"""Every read the blog's pages need, relations preloaded."""

import hashlib
import html
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from blog.models import (
    SEARCH_CONFIG,
    Category,
    Page,
    Post,
    PostAutosave,
    PostCoauthor,
    PostNote,
    PostNoteQuerySet,
    PostQuerySet,
    PostReviewEvent,
    PostRevision,
    PreviewLink,
    Tag,
    heard_from_since,
    post_search_vector,
    preview_link_pk,
)

MAX_QUERY_LENGTH = 200


class DateSpan(NamedTuple):
    """The days from ``start`` up to, not including, ``end``."""

    start: date
    end: date


def post_list_published() -> PostQuerySet:
    """Published posts, newest first, with author, image, co-authors and categories
    preloaded (``Post.bylines`` then runs no query)."""
    return (
        Post.objects.published()
        .select_related("author", "featured_image")
        .prefetch_related(post_coauthors_prefetch(), _categories_by_name())
        .newest_first()
    )


def post_coauthors_prefetch(lookup: str = "coauthors") -> Prefetch:
    """A post's co-authors in byline order, each with its user: one query for any number
    of posts. ``lookup`` reaches them from another model (``post__coauthors``)."""
    return Prefetch(lookup, queryset=PostCoauthor.objects.select_related("user"))


def post_list_by_author(author: User) -> PostQuerySet:
    """Published posts with ``author`` in their byline, as lead or co-author, newest first,
    preloaded as ``post_list_published``."""
    coauthored = PostCoauthor.objects.filter(post=OuterRef("pk"), user=author)
    return post_list_published().filter(Q(author=author) | Exists(coauthored))


def post_list_home() -> PostQuerySet:
    """The front page: sticky posts first, then the newest, each with ``last_note_at``
    (``post_list_with_last_note``)."""
    return post_list_with_last_note(post_list_published()).order_by(
        "-is_sticky", "-published_at", "-pk"
    )


def post_list_with_last_note(posts: PostQuerySet) -> PostQuerySet:
    """``posts``, each with ``last_note_at``: when its newest correction or update was
    added (None without one), in the list's own query. What a byline's "Updated" reads
    (templates/blog/_byline.html) on the home page, the archives and search results."""
    newest_note = PostNote.objects.filter(post=OuterRef("pk")).order_by("-created_at", "-pk")
    return posts.annotate(last_note_at=Subquery(newest_note.values("created_at")[:1]))


def post_note_list_public() -> PostNoteQuerySet:
    """Every note readers may see (``PostNote.objects.public``), newest first, each with
    its post; one query."""
    return (
        PostNote.objects.public()
        .select_related("post")
        .only("kind", "text", "created_at", "post__title", "post__slug", "post__published_at")
        .order_by("-created_at", "-pk")
    )


def post_list_for_day_range(*, start: date, end: date) -> PostQuerySet:
    """Published posts whose local publication day lies in [start, end)."""
    return _within(post_list_published(), start=start, end=end)


def _within(posts: PostQuerySet, *, start: date, end: date) -> PostQuerySet:
    return posts.filter(published_at__gte=_start_of(start), published_at__lt=_start_of(end))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def date_span(*, year: int, month: int | None = None, day: int | None = None) -> DateSpan | None:
    """[start, end) of a year, a month or a day, as ``post_list_for_day_range`` takes it.

    None for a date the calendar lacks (31 February, year 0) and for one whose span the
    database cannot hold: the day after 31 December 9999 does not exist, and near either end
    of the calendar the local midnight may lie outside it in UTC.
    """
    try:
        start = date(year, month or 1, day or 1)
        if day is not None:
            end = start + timedelta(days=1)
        elif month is not None:
            end = date(year + (month == 12), month % 12 + 1, 1)
        else:
            end = date(year + 1, 1, 1)
        for edge in (start, end):
            _start_of(edge).astimezone(UTC)  # what the database stores
    except (ValueError, OverflowError):
        return None
    return DateSpan(start, end)


def post_get_published(*, year: int, month: int, day: int, slug: str) -> Post | None:
    """The published post at /year/month/day/slug/, or None; five queries."""
    post = post_get_published_row(year=year, month=month, day=day, slug=slug)
    if post is not None:
        post_load_terms(post)
    return post


def post_get_published_row(*, year: int, month: int, day: int, slug: str) -> Post | None:
    """The published post at /year/month/day/slug/ with its author and picture, or None;
    one query. ``post_load_terms`` adds its co-authors, categories, tags and notes."""
    span = date_span(year=year, month=month, day=day)
    if span is None:
        return None
    return (
        post_list_for_day_range(start=span.start, end=span.end)
        .prefetch_related(None)
        .filter(slug=slug)
        .first()
    )


def post_load_terms(post: Post) -> None:
    """Load ``post``'s co-authors (in byline order), categories (by name, as lists show
    them), tags and notes (oldest first, as the article lists them); four queries."""
    prefetch_related_objects(
        [post], post_coauthors_prefetch(), _categories_by_name(), "tags", "notes"
    )


def _categories_by_name() -> Prefetch:
    return Prefetch("categories", queryset=Category.objects.order_by("name"))


def post_get_for_preview(*, pk: int) -> Post | None:
    """Any post, whatever its status, for staff to preview."""
    return (
        Post.objects.select_related("author", "featured_image")
        .prefetch_related(post_coauthors_prefetch(), "categories", "tags", "notes")
        .filter(pk=pk)
        .first()
    )


def preview_link_get_live(*, token: str) -> PreviewLink | None:
    """The live preview link ``token`` opens, with its post as the post page shows it, or
    None for a token we did not sign, or a link stopped or expired; five queries."""
    pk = preview_link_pk(token)
    if pk is None:
        return None
    return (
        PreviewLink.objects.live()
        .select_related("post__author", "post__featured_image")
        .prefetch_related(
            post_coauthors_prefetch("post__coauthors"),
            "post__categories",
            "post__tags",
            "post__notes",
        )
        .filter(pk=pk)
        .first()
    )


def preview_link_list_live(*, post_id: int) -> list[PreviewLink]:
    """The post's live preview links, newest first, with who shared each; one query."""
    return list(PreviewLink.objects.live().filter(post_id=post_id).select_related("created_by"))


def page_get_published(*, slug: str) -> Page | None:
    """The published page at /slug/, or None; one query."""
    return Page.objects.published().filter(slug=slug).first()


def page_get_for_preview(*, pk: int) -> Page | None:
    """Any page, whatever its status, for staff to preview."""
    return Page.objects.filter(pk=pk).first()


def post_adjacent(*, post: Post) -> tuple[Post | None, Post | None]:
    """The published posts just before and just after ``post``."""
    if post.published_at is None:
        return None, None
    published = Post.objects.published().only("title", "slug", "published_at")
    before = Q(published_at__lt=post.published_at) | Q(
        published_at=post.published_at, pk__lt=post.pk
    )
    after = Q(published_at__gt=post.published_at) | Q(
        published_at=post.published_at, pk__gt=post.pk
    )
    previous = published.filter(before).order_by("-published_at", "-pk").first()
    following = published.filter(after).order_by("published_at", "pk").first()
    return previous, following


def category_get(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def tag_get(*, slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


# --- The site's navigation ---------------------------------------------------


class NavLink(NamedTuple):
    """A link of the site's navigation: what it says and where it goes."""

    name: str
    url: str


class SiteNavigation(NamedTuple):
    """What the header and the footer link to on every page."""

    categories: tuple[NavLink, ...]
    pages: tuple[NavLink, ...]


_NAV_CATEGORY, _NAV_PAGE = 0, 1


def site_navigation() -> SiteNavigation:
    """The header's sections, every category with at least one published post, by name,
    and the footer's pages (About, Contact), every published page, by title; one query.

    A category with nothing published yet would lead to an empty archive, so it waits for
    its first post (docs/decisions.md, "The site's navigation")."""
    has_published_post = Post.objects.published().filter(categories=OuterRef("pk"))
    kind = {"output_field": IntegerField()}
    categories = (
        Category.objects.filter(Exists(has_published_post))
        .annotate(kind=Value(_NAV_CATEGORY, **kind))
        .values_list("kind", "name", "slug")
        .order_by()
    )
    pages = (
        Page.objects.published()
        .annotate(kind=Value(_NAV_PAGE, **kind))
        .values_list("kind", "title", "slug")
        .order_by()
    )
    rows = categories.union(pages, all=True).order_by("kind", "name", "slug")
    found: dict[int, list[NavLink]] = {_NAV_CATEGORY: [], _NAV_PAGE: []}
    for row_kind, name, slug in rows:
        route = "blog:category" if row_kind == _NAV_CATEGORY else "blog:page"
        found[row_kind].append(NavLink(name, reverse(route, kwargs={"slug": slug})))
    return SiteNavigation(tuple(found[_NAV_CATEGORY]), tuple(found[_NAV_PAGE]))


def author_list_public() -> QuerySet[User]:
    """The authors with a public page: active staff in the byline (lead or co-author) of at
    least one published post (members have none), each with ``last_post_at``, when their
    newest such post last changed."""
    bylined = Post.objects.published().filter(
        Q(author=OuterRef("pk")) | Q(coauthors__user=OuterRef("pk"))
    )
    newest = (
        bylined.annotate(changed=Greatest(F("updated_at"), F("published_at")))
        .order_by("-changed")
        .values("changed")[:1]
    )
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .annotate(last_post_at=Subquery(newest))
        .filter(last_post_at__isnull=False)
        .order_by("username")
    )


def author_has_page(author: User) -> bool:
    """Whether someone in the byline of a published post has a public page: the rule of
    ``author_list_public`` for someone known to be in one (active staff)."""
    return author.is_active and author.is_staff


def byline_candidates() -> QuerySet[User]:
    """Who may be given a byline (a co-author): active staff who may write posts (the
    ``blog.add_post`` permission, through a role such as Editors, or as a superuser), so
    every byline has an author page once the post is out. By username."""
    may_write = Q(is_superuser=True)
    for through in ("groups__permissions", "user_permissions"):
        may_write |= Q(
            **{f"{through}__codename": "add_post", f"{through}__content_type__app_label": "blog"}
        )
    writers = User.objects.filter(may_write).values("pk")
    return User.objects.filter(is_active=True, is_staff=True, pk__in=writers).order_by("username")


def author_get(*, username: str) -> User | None:
    """A staff author with at least one published post; members have no public page."""
    return author_list_public().filter(username=username).first()


def post_list_last_modified(posts: PostQuerySet) -> datetime | None:
    """When the newest change to these posts became visible: edits, publication, or
    leaving the site at an unpublish time that has passed (no write moves ``updated_at``
    then)."""
    left = Case(When(unpublish_at__lte=timezone.now(), then=F("unpublish_at")))
    changed = Greatest(F("updated_at"), F("published_at"), Coalesce(left, F("published_at")))
    return posts.order_by().aggregate(last=Max(changed))["last"]


def post_list_shown_digest(posts: Iterable[Post], *around: object) -> str:
    """A digest of everything a list of posts or a feed shows of ``posts``, loaded as
    ``post_list_published`` loads them (no query), and of the values shown ``around`` them
    (a heading, a count). The ETag of archives and feeds, so a reader never keeps a page
    that changed: beyond each post's own fields and its comment count, it covers what
    other rows supply without moving the post's ``updated_at``: its bylines' names, titles
    and pages, its picture and the picture's alt text, its categories' names, and the date
    of its newest note (``post_list_with_last_note``)."""
    shown = [repr(value) for value in around]
    for post in posts:
        image = post.featured_image
        shown.append(
            repr(
                (
                    (post.pk, post.title, post.slug, post.excerpt, post.updated_at),
                    (post.published_at, post.is_sticky, post.comments_enabled),
                    post.comment_count,
                    getattr(post, "last_note_at", None),  # "Updated", where annotated
                    [
                        (person.public_name, person.byline_title, person.username, person.pk)
                        for person in post.bylines
                    ],
                    [(person.is_staff, person.is_active) for person in post.bylines],
                    image and (image.pk, image.file.name, image.alt_text, image.renditions),
                    [(category.name, category.slug) for category in post.categories.all()],
                )
            )
        )
    return _digest(shown)


def post_note_list_shown_digest(notes: Iterable[PostNote], *around: object) -> str:
    """A digest of everything a list of notes shows (/corrections/ and its feed), loaded
    as ``post_note_list_public`` loads them (no query), and of the values shown ``around``
    them (a count, a page number): each note's kind, text and date, and its post's title
    and address. Their ETag: an edited note, a renamed post or a post gone from the list
    changes it."""
    shown = [repr(value) for value in around]
    for note in notes:
        post = note.post
        shown.append(
            repr(
                (
                    (note.pk, note.kind, note.text, note.created_at),
                    (post.pk, post.title, post.slug, post.published_at),
                )
            )
        )
    return _digest(shown)


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


# --- Search ----------------------------------------------------------------


def post_search(*, query: str) -> PostQuerySet:
    """Published posts matching ``query``, best first.

    PostgreSQL ranks with full-text search over the GIN-indexed vector; other
    databases match title, excerpt and body case-insensitively, newest first.
    """
    published = post_list_with_last_note(post_list_published())
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        vector = post_search_vector()
        return (
            published.annotate(rank=SearchRank(vector, search))
            .alias(document=vector)
            .filter(document=search)
            .order_by("-rank", "-published_at", "-pk")
        )
    match = Q()
    for word in search_terms(query):
        match &= Q(title__icontains=word) | Q(excerpt__icontains=word) | Q(body__icontains=word)
    return published.filter(match)


def search_terms(query: str) -> list[str]:
    """The words of a query, without quotes and search operators, at most ten."""
    words = re.findall(r"[\w'’-]+", query)
    return [w.strip("'’-") for w in words if w.strip("'’-") and w.lower() != "or"][:10]


def search_snippet(*, post: Post, query: str, width: int = 160) -> SafeString:
    """A passage of the post around the first match, escaped, matches in <mark>."""
    text = " ".join(html.unescape(strip_tags(f"{post.excerpt} {post.body}")).split())
    terms = search_terms(query)
    if not terms:
        return mark_safe(escape(text[:width]))  # noqa: S308
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    found = pattern.search(text)
    start = max(0, found.start() - width // 3) if found else 0
    passage = text[start : start + width]
    pieces, last = [], 0
    for hit in pattern.finditer(passage):
        pieces.append(escape(passage[last : hit.start()]))
        pieces.append(f"<mark>{escape(hit.group())}</mark>")
        last = hit.end()
    pieces.append(escape(passage[last:]))
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308


def post_revision_list(*, post_id: int) -> QuerySet[PostRevision]:
    """A post's revisions for its history, newest first, without their bodies (the list
    shows who, when and what changed, never the text)."""
    return (
        PostRevision.objects.filter(post_id=post_id)
        .select_related("created_by")
        .defer("body", "excerpt")
        .order_by("-number")
    )


def post_revision_pair(
    *, post_id: int, older: int | None, newer: int
) -> tuple[PostRevision | None, PostRevision | None]:
    """Revisions ``older`` and ``newer`` of a post, with their pictures, in one query;
    with no ``older``, the kept revision just before ``newer``. None for one not kept."""
    revisions = PostRevision.objects.filter(post_id=post_id).select_related(
        "featured_image", "created_by"
    )
    if older is None:
        found = list(revisions.filter(number__lte=newer).order_by("-number")[:2])
        if not found or found[0].number != newer:
            return None, None
        return (found[1] if len(found) > 1 else None), found[0]
    by_number = {r.number: r for r in revisions.filter(number__in=[older, newer])}
    return by_number.get(older), by_number.get(newer)


def post_revision_get(*, post_id: int, number: int) -> PostRevision | None:
    """Revision ``number`` of a post, or None when it is not kept."""
    return (
        PostRevision.objects.filter(post_id=post_id, number=number)
        .select_related("featured_image", "created_by")
        .first()
    )


def post_revision_newest_number(*, post_id: int) -> int | None:
    """The number of a post's newest revision (what the post holds), or None."""
    newest = PostRevision.objects.filter(post_id=post_id).order_by("-number")
    return newest.values_list("number", flat=True).first()


def post_autosave_list_open(
    *, post_id: int | None, user: User, now: datetime
) -> tuple[PostAutosave | None, list[PostAutosave]]:
    """``user``'s autosave slot for the post (``post_id`` None: for a new post), and the
    slots of the other editors who have it open now (``PostAutosave.is_present``), with
    their users, the longest open first; one query."""
    present = Q(seen_at__gt=heard_from_since(now))
    if post_id is None:
        rows = PostAutosave.objects.filter(post__isnull=True, user=user)
    else:
        rows = PostAutosave.objects.filter(Q(user=user) | present, post_id=post_id)
    mine, others = None, []
    for slot in rows.select_related("user").order_by("opened_at", "pk"):
        if slot.user_id == user.pk:
            mine = slot
        else:
            others.append(slot)
    return mine, others


# --- Review before publishing ------------------------------------------------------


class ReviewCounts(NamedTuple):
    waiting: int
    sent_back: int


def review_counts(*, posts: QuerySet[Post]) -> ReviewCounts:
    """How many of ``posts`` wait for review and how many were sent back; one query."""
    found = posts.aggregate(
        waiting=Count("pk", filter=Q(review_state=Post.ReviewState.WAITING)),
        sent_back=Count("pk", filter=Q(review_state=Post.ReviewState.SENT_BACK)),
    )
    return ReviewCounts(**found)


def review_event_list(*, post_id: int) -> list[PostReviewEvent]:
    """A post's review log, oldest step first, with who took each step; one query."""
    return list(PostReviewEvent.objects.filter(post_id=post_id).select_related("by"))

"""Every read the discussion pages need, in a fixed number of queries. The moderators'
queues and overview in the admin are read by ``comments.selectors.moderation``."""

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Subquery, Sum, Value, When, Window
from django.utils import timezone

from accounts.models import User, public_name
from blog.models import Post
from comments import rules
from comments.models import Comment, DiscussionSettings, Guideline, comment_author_name
from comments.selectors.modes import post_discussion_mode, post_schedule_cached
from comments.threads import (
    CommentNode,
    FlatItem,
    Order,
    build_threads,
    comments_shown,
    flatten,
)
from core.queries import row_by_pk


def discussion_settings_get() -> DiscussionSettings:
    """The site's discussion settings (defaults if the row is missing), read from the
    database each time: one small query by primary key. A cached copy would have to be
    dropped on every change, and a change made while the cache did not answer would leave
    the old copy to be found when it returned. Read with SQL compiled once
    (``core.queries``): every post page asks."""
    return row_by_pk(DiscussionSettings, 1) or DiscussionSettings(pk=1)


def post_discussion_is_open(
    *, post: Post, settings: DiscussionSettings, now: datetime | None = None
) -> bool:
    """Whether anybody may comment on ``post`` at ``now``: the mode in force is not closed
    (``comments.modes.rules.discussion_mode_at``: the post's switch, its publication, its
    schedule and the automatic closing). Reads the schedule (``post_discussion_get`` gives
    the settings and the mode together)."""
    schedule = post_schedule_cached(post=post)
    mode = post_discussion_mode(
        post=post, settings=settings, schedule=schedule, now=now or timezone.now()
    )
    return mode.accepts_comments


@dataclass
class ThreadPage:
    """One comment page: its numbered threads and where it sits among the pages."""

    threads: list[CommentNode]
    number: int
    num_pages: int
    order: Order = Order.OLDEST
    # The post's newest published comment (anywhere, on any page), or None.
    newest_id: int | None = None

    @property
    def newest_is_here(self) -> bool:
        """Whether the newest published comment is on this page."""
        return any(item.node.comment.pk == self.newest_id for item in self.items)

    @property
    def items(self) -> list[FlatItem]:
        return flatten(self.threads)

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    # What ``page_range`` puts where pages are left out.
    ellipsis = Paginator.ELLIPSIS

    @property
    def page_range(self) -> list[int | str]:
        """Page numbers for the navigation, elided as Django's paginator does it: the first
        and last page and two either side of this one; ``ellipsis`` marks a gap."""
        pages = Paginator(range(self.num_pages), 1)
        return list(pages.get_elided_page_range(self.number, on_each_side=2, on_ends=1))


def _roots(post: Post, own_ids: frozenset[int], moderator: bool = False):
    if moderator:
        return Comment.objects.filter(post=post, parent__isnull=True)
    roots = Comment.objects.filter(post=post).visible_roots()
    if own_ids:
        roots = roots | Comment.objects.filter(post=post, parent__isnull=True, pk__in=own_ids)
    return roots


class ThreadRow(NamedTuple):
    """The least of a comment that says whether it shows (``threads.comments_shown``)."""

    pk: int
    parent_id: int | None
    status: str


@dataclass(slots=True)
class ThreadComment:
    """A comment as a comment list shows it: plain values, no model instance (building
    hundreds of those was a third of an uncached page's time). No e-mail, IP or password
    hash is loaded."""

    pk: int
    parent_id: int | None
    thread_id: int
    depth: int
    status: str
    created_at: datetime
    edited_at: datetime | None
    body: str
    guest_name: str
    user_id: int | None
    username: str | None
    first_name: str | None
    last_name: str | None
    display_name: str | None
    avatar: str | None
    deleted_at: datetime | None
    guideline_number: int | None = None
    guideline_title: str | None = None
    # ``body`` as HTML, stored when it was written (``Comment.body_html``); "" if it was not.
    body_html: str = ""

    @property
    def author_name(self) -> str:
        """The same name ``Comment.author_name`` gives, from the same two rules."""
        member_name = None
        if self.user_id is not None:
            member_name = public_name(
                display_name=self.display_name or "",
                first_name=self.first_name or "",
                last_name=self.last_name or "",
                username=self.username or "",
                is_deleted=self.deleted_at is not None,
            )
        return comment_author_name(member_name=member_name, guest_name=self.guest_name)

    @property
    def avatar_url(self) -> str:
        return default_storage.url(self.avatar) if self.avatar else ""


THREAD_FIELDS = (
    "pk", "parent_id", "thread_id", "depth", "status", "created_at", "edited_at", "body",
    "guest_name", "user_id", "user__username", "user__first_name", "user__last_name",
    "user__display_name", "user__avatar", "user__deleted_at", "guideline__number",
    "guideline__title", "body_html",
)  # fmt: skip


def comment_thread_for_post(
    *,
    post: Post,
    settings: DiscussionSettings,
    page: int,
    own_ids: Iterable[int] = (),
    moderator: bool = False,
    order: Order = Order.OLDEST,
) -> ThreadPage | None:
    """Comment page ``page`` (1-based) of ``post``: whole threads in ``order`` (the
    top-level comments oldest or newest first, the replies in each thread always oldest
    first), top-level comments numbered across pages by first posting whatever the order.
    None when the page does not exist (page 1 always does).

    Two queries whatever the size of the discussion: the page's top-level comments with
    their numbers, the total and the post's newest published comment, then every comment
    of those threads.
    """
    own = frozenset(own_ids)
    per_page = settings.comments_per_page
    published = Case(
        When(status=Comment.Status.PUBLISHED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    thread_order, order = order, ["created_at", "pk"]
    offset = (page - 1) * per_page
    rows = list(
        _roots(post, own, moderator)
        .annotate(
            number=Window(Sum(published), order_by=[*order]),
            total=Window(Count("pk")),
            newest=Subquery(
                Comment.objects.filter(post=post)
                .published()
                .order_by("-created_at", "-pk")
                .values("pk")[:1]
            ),
        )
        .order_by(*(order if thread_order is Order.OLDEST else [f"-{f}" for f in order]))
        .values_list("pk", "number", "total", "newest")[offset : offset + per_page]
    )
    if not rows:
        return ThreadPage([], 1, 1, thread_order) if page == 1 else None
    total, newest = rows[0][2:]
    comments = (
        ThreadComment(*values)
        for values in Comment.objects.filter(thread_id__in=[row[0] for row in rows])
        .order_by(*order)
        .values_list(*THREAD_FIELDS)
    )
    threads = build_threads(
        comments, root_numbers={row[0]: row[1] for row in rows}, own_ids=own, moderator=moderator
    )
    pages = max(1, math.ceil(total / per_page))
    return ThreadPage(threads, page, pages, thread_order, newest)


def comment_page_number(
    *, comment: Comment, settings: DiscussionSettings, order: Order = Order.OLDEST
) -> int:
    """The comment page on which ``comment``'s thread is shown in ``order`` (one query)."""
    root = comment.thread or comment
    if order is Order.OLDEST:
        ahead = Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
    else:
        ahead = Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__gt=root.pk)
    before = _roots(comment.post, frozenset()).filter(ahead).count()
    return before // settings.comments_per_page + 1


def comment_location(*, comment: Comment, order: Order = Order.OLDEST) -> str:
    """The address that shows ``comment``: its post, the right comment page in ``order``,
    its anchor. Two queries: the settings and the page."""
    settings = discussion_settings_get()
    page = comment_page_number(comment=comment, settings=settings, order=order)
    params = [param for param in (order.param, f"cpage={page}" if page > 1 else "") if param]
    query = f"?{'&'.join(params)}" if params else ""
    return f"{comment.post.get_absolute_url()}{query}#{comment.anchor}"


def comment_get_shown(*, pk: int) -> Comment | None:
    """A comment a reader can reach on its post page (``rules.comment_shown_as``: published,
    or kept as a placeholder for the published replies below it), with its post and thread
    root, or None. One query for a published comment, two for any other."""
    comment = Comment.objects.select_related("post", "thread").filter(pk=pk).first()
    if comment is None or not comment.post.is_published:
        return None
    if comment.status == Comment.Status.PUBLISHED:
        return comment
    thread = Comment.objects.filter(thread_id=comment.thread_id, created_at__gte=comment.created_at)
    rows = [
        ThreadRow(*values)
        for values in thread.order_by("created_at", "pk").values_list("pk", "parent_id", "status")
    ]
    return comment if comment.pk in comments_shown(rows) else None


def comment_get_reply_target(*, post: Post, pk: int) -> Comment | None:
    """The published comment of ``post`` a reader asked to answer, or None."""
    return Comment.objects.published().select_related("user").filter(post=post, pk=pk).first()


@dataclass(frozen=True)
class PersonalComments:
    """What one viewer sees of a post's discussion that nobody else does."""

    # Their own comments that nobody else sees yet: held, or taken for spam.
    waiting: frozenset[int] = frozenset()
    # Their own comments they may still edit (``rules.comment_is_editable``).
    editable: frozenset[int] = frozenset()

    @property
    def ids(self) -> frozenset[int]:
        return self.waiting | self.editable

    def __bool__(self) -> bool:
        return bool(self.waiting or self.editable)


def comment_ids_personal_to(
    *,
    post: Post,
    user: User | None,
    session_ids: Iterable[int],
    now: datetime | None = None,
    commenter_ids: Collection[int] | None = None,
) -> PersonalComments:
    """Comments of ``post`` this viewer sees differently from everybody else: their own
    held comments (a guest's are known by the session) and, for members, those they may
    still edit. One query at most, none for a member missing from ``commenter_ids`` (when
    given: every member with a comment of any status on ``post``, ``post_commenter_ids``)
    with no comment in their session; whether a comment is editable is the edit rule's
    call."""
    session_ids = [pk for pk in session_ids if isinstance(pk, int)]
    member = user is not None and user.is_authenticated
    if not member and not session_ids:
        return PersonalComments()
    if member and not session_ids and commenter_ids is not None and user.pk not in commenter_ids:
        return PersonalComments()
    now = now or timezone.now()
    # Spam counts only for the browser that sent it (its session), like a held comment.
    waiting = Q(pk__in=session_ids, status__in=(Comment.Status.PENDING, Comment.Status.SPAM))
    if member:
        waiting |= Q(user=user, status=Comment.Status.PENDING)
        # Narrow the rows to those the edit rule might accept; the rule decides below.
        waiting |= Q(
            user=user,
            status__in=rules.EDITABLE_STATUSES,
            created_at__gte=now - rules.edit_window(),
        )
    rows = Comment.objects.filter(waiting, post=post).values_list(
        "pk", "user_id", "status", "created_at"
    )
    waiting_ids, editable = set(), set()
    for pk, author_id, status, created_at in rows:
        if status != Comment.Status.PUBLISHED:
            waiting_ids.add(pk)
        if member and rules.comment_is_editable(
            author_id=author_id, viewer_id=user.pk, status=status, created_at=created_at, now=now
        ):
            editable.add(pk)
    return PersonalComments(frozenset(waiting_ids), frozenset(editable))


def post_commenter_ids(*, post: Post) -> frozenset[int]:
    """The members with a comment of any status on ``post``; one query."""
    rows = Comment.objects.filter(post=post, user__isnull=False).values_list("user_id", flat=True)
    return frozenset(rows.order_by().distinct())


def comment_list_latest(*, post: Post | None = None, limit: int = 30) -> list[Comment]:
    """The newest published comments, site-wide or on one published post, for feeds. Every
    published comment can be reached on its post page (``rules.comment_shown_as``), so each
    item's permalink leads to it."""
    comments = Comment.objects.published().filter(post__in=Post.objects.published())
    if post is not None:
        comments = comments.filter(post=post)
    return list(comments.select_related("user", "post").order_by("-created_at", "-pk")[:limit])


def comment_list_for_export(*, user: User) -> list[dict[str, Any]]:
    """Every comment ``user`` wrote, oldest first, as plain data for their download: its id,
    the post's title and address, the comment it replies to, when it was written and last
    edited, its status and its text. One query."""
    comments = Comment.objects.filter(user=user).select_related("post").order_by("created_at", "pk")
    return [
        {
            "id": comment.pk,
            "post_title": comment.post.title,
            "post_url": django_settings.SITE_URL + comment.post.get_absolute_url(),
            "parent_id": comment.parent_id,
            "created_at": comment.created_at.isoformat(),
            "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
            "status": comment.status,
            "body": comment.body,
        }
        for comment in comments
    ]


def post_ids_commented_by(*, user: User) -> list[int]:
    """The posts ``user`` has written any comment on (in any status). One query."""
    return list(
        Comment.objects.filter(user=user).order_by().values_list("post_id", flat=True).distinct()
    )


def guideline_list() -> list[Guideline]:
    """Every guideline, in number order (one query)."""
    return list(Guideline.objects.order_by("number"))


def report_comment_get(*, pk: int) -> Comment | None:
    """The comment ``pk`` if readers may report it (published, on a published post), with
    its post and member author; otherwise None. One query."""
    comment = Comment.objects.select_related("post", "user").filter(pk=pk).first()
    if comment is None or comment.status != Comment.Status.PUBLISHED:
        return None
    return comment if comment.post.is_published else None

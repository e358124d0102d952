"""The reads behind the moderators' pages in the admin: the queues' counts (also on the
admin index) and the 30-day overview.

Each function runs a fixed number of queries whatever the amount of data.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.models import Post
from comments.models import Appeal, Comment, ModerationEvent, Report

OVERVIEW_DAYS = 30
BUSIEST_POSTS = 10


def open_reports_of_outer_comment() -> QuerySet:
    """The open reports of the comment in the outer query (for ``Exists`` and counts)."""
    return Report.objects.filter(comment=OuterRef("pk"), resolution=Report.Resolution.OPEN)


def reports_most_cited_guideline(*, comments: QuerySet) -> int | None:
    """The id of the guideline the open reports on ``comments`` cite most often (the lowest
    numbered of equals), or None when none is reported: what a hide of those comments most
    likely cites, offered as the first choice. One query."""
    cited = (
        Report.objects.filter(comment__in=comments.order_by().values("pk"))
        .filter(resolution=Report.Resolution.OPEN)
        .values("guideline")
        .annotate(n=Count("pk"))
        .order_by("-n", "guideline__number")
        .first()
    )
    return cited["guideline"] if cited else None


@dataclass(frozen=True)
class QueueCounts:
    """What waits for a moderator: comments with open reports, those reports, held
    comments, authors' appeals."""

    reported_comments: int
    open_reports: int
    held_comments: int
    open_appeals: int = 0


def moderation_queue_counts() -> QueueCounts:
    """The sizes of the reports queue, the held-comments queue and the appeals waiting for a
    decision. Three indexed queries."""
    reports = Report.objects.filter(resolution=Report.Resolution.OPEN).aggregate(
        comments=Count("comment", distinct=True), reports=Count("pk")
    )
    held = Comment.objects.filter(status=Comment.Status.PENDING).count()
    return QueueCounts(
        reported_comments=reports["comments"],
        open_reports=reports["reports"],
        held_comments=held,
        open_appeals=Appeal.objects.filter(decision=Appeal.Decision.OPEN).count(),
    )


@dataclass(frozen=True)
class Series:
    """One line of the overview: a count per day, oldest day first."""

    key: str
    label: str
    description: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def peak(self) -> int:
        return max(self.counts, default=0)


@dataclass(frozen=True)
class DailyOverview:
    days: list[date]
    series: list[Series]

    def rows(self) -> list[tuple[date, list[int]]]:
        """The same numbers a day at a time, for the table."""
        return [
            (day, [series.counts[i] for series in self.series]) for i, day in enumerate(self.days)
        ]


def _per_day(queryset: QuerySet, field: str, distinct: str) -> dict[date, int]:
    rows = (
        queryset.annotate(day=TruncDate(field))
        .values("day")
        .annotate(n=Count(distinct, distinct=True))
        .order_by()
    )
    return {row["day"]: row["n"] for row in rows}


def moderation_daily_overview(*, today: date | None = None) -> DailyOverview:
    """Per day over the last 30 days (today included, in the site's time zone): new
    comments, and the comments held, reported, hidden and marked spam that day, each
    comment counted once a day. Three queries.

    Held, hidden and spam come from the moderation log, so they count what happened that
    day (by a person or a rule), whatever the comment's status is now.
    """
    today = today or timezone.localdate()
    days = [today - timedelta(days=n) for n in range(OVERVIEW_DAYS - 1, -1, -1)]
    since = timezone.make_aware(datetime.combine(days[0], time.min))

    new = _per_day(Comment.objects.filter(created_at__gte=since), "created_at", "pk")
    reported = _per_day(Report.objects.filter(created_at__gte=since), "created_at", "comment")
    moved: dict[str, dict[date, int]] = {}
    events = (
        ModerationEvent.objects.filter(
            created_at__gte=since,
            to_status__in=[Comment.Status.PENDING, Comment.Status.HIDDEN, Comment.Status.SPAM],
        )
        .annotate(day=TruncDate("created_at"))
        .values("day", "to_status")
        .annotate(n=Count("comment", distinct=True))
        .order_by()
    )
    for row in events:
        moved.setdefault(row["to_status"], {})[row["day"]] = row["n"]

    def series(key: str, label: str, description: str, by_day: dict[date, int]) -> Series:
        return Series(key, label, description, [by_day.get(day, 0) for day in days])

    return DailyOverview(
        days=days,
        series=[
            series("new", _("New"), _("comments posted"), new),
            series(
                "held",
                _("Held"),
                _("comments held for a moderator"),
                moved.get(Comment.Status.PENDING, {}),
            ),
            series("reported", _("Reported"), _("comments reported by readers"), reported),
            series(
                "hidden", _("Hidden"), _("comments hidden"), moved.get(Comment.Status.HIDDEN, {})
            ),
            series(
                "spam", _("Spam"), _("comments marked spam"), moved.get(Comment.Status.SPAM, {})
            ),
        ],
    )


def busiest_posts(*, today: date | None = None, limit: int = BUSIEST_POSTS) -> list[Post]:
    """The posts with the most comments posted in the last 30 days, most first, each with
    ``recent_comments`` and ``recent_removed`` (of those, now hidden or spam). One query."""
    today = today or timezone.localdate()
    first_day = today - timedelta(days=OVERVIEW_DAYS - 1)
    since = timezone.make_aware(datetime.combine(first_day, time.min))
    removed = Q(comments__status__in=[Comment.Status.HIDDEN, Comment.Status.SPAM])
    return list(
        Post.objects.filter(comments__created_at__gte=since)
        .annotate(
            recent_comments=Count("comments"),
            recent_removed=Count("comments", filter=removed),
        )
        .only("pk", "title", "slug", "published_at")
        .order_by("-recent_comments", "title", "pk")[:limit]
    )

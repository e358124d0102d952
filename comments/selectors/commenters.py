"""What the site knows about a commenter's record, for the moderation policy to judge
(``comments.moderation.is_trusted_commenter``)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import User
from comments import rules
from comments.models import Comment, DiscussionSettings, ModerationEvent, Report
from comments.moderation import is_trusted_commenter

# A removal stands while the comment stays in one of these.
REMOVED = (Comment.Status.HIDDEN, Comment.Status.SPAM)


@dataclass(frozen=True)
class CommenterRecord:
    """``published``: the member's published comments. ``upheld_removals``: their comments
    a moderator hid or marked spam (or a report on which was upheld) since a given time,
    and that are still hidden or spam: a removal undone by a restore does not count."""

    published: int
    upheld_removals: int


def member_commenter_record(*, user: User, since: datetime) -> CommenterRecord:
    """``user``'s record as a commenter, counting the comments written as a guest under
    their confirmed address too (``rules.written_by``). A removal by a rule alone (held or
    hidden pending review) is not a moderator's decision and does not count. One query,
    over the member's own comments only."""
    by_moderator = ModerationEvent.objects.filter(
        comment=OuterRef("pk"),
        actor__isnull=False,
        to_status__in=REMOVED,
        created_at__gte=since,
    )
    upheld_report = Report.objects.filter(
        comment=OuterRef("pk"), resolution=Report.Resolution.UPHELD, resolved_at__gte=since
    )
    removed = Q(status__in=REMOVED) & (Q(Exists(by_moderator)) | Q(Exists(upheld_report)))
    counts = Comment.objects.filter(rules.written_by(user=user, guest_email="")).aggregate(
        published=Count("pk", filter=Q(status=Comment.Status.PUBLISHED)),
        upheld_removals=Count("pk", filter=removed),
    )
    return CommenterRecord(**counts)


def commenter_is_trusted(*, user: User | None, settings: DiscussionSettings, now: datetime) -> bool:
    """Whether ``user`` is a member the settings trust (``is_trusted_commenter``), judged on
    their record over the settings' ``trusted_clean_days`` before ``now``. One query, for
    members other than staff (whose comments are never held anyway); none for guests."""
    if user is None or user.is_staff:
        return False
    since = now - timedelta(days=settings.trusted_clean_days)
    record = member_commenter_record(user=user, since=since)
    return is_trusted_commenter(
        published=record.published, upheld_removals=record.upheld_removals, settings=settings
    )

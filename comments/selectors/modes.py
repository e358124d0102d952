"""The reads behind discussion modes: a post's schedule and the mode in force now.

The post page and the posting service ask ``post_discussion_get`` for the discussion
settings and the mode together. A post without a schedule (most posts) costs no query
more than the settings did: the settings' query says whether the post has one. A post with
a schedule has it from the shared cache, kept under the post's comment version, which
every edit of the schedule moves (``comments.services.modes``); one query more when the
cache does not have it.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Exists, Q
from django.utils import timezone

from blog.models import Post
from comments.models import Comment, DiscussionSettings, ModeChange
from comments.modes.rules import Change, DiscussionMode, discussion_mode_at
from core.cache import cache_get, cache_set

SCHEDULE_SECONDS = 24 * 60 * 60


def post_schedule(*, post: Post) -> tuple[Change, ...]:
    """``post``'s scheduled changes, as plain values, in time order; one query."""
    rows = ModeChange.objects.filter(post=post).values_list("starts_at", "mode", "slow_minutes")
    return tuple(Change(at, mode, minutes) for at, mode, minutes in rows)


def post_schedule_cached(*, post: Post) -> tuple[Change, ...]:
    """``post_schedule``, from the shared cache when it has it (under the post's comment
    version, so an edit of the schedule is never served stale)."""
    key = f"comments:modes:{post.pk}:v{post.comment_version}"
    schedule = cache_get(key)
    if not isinstance(schedule, tuple):
        schedule = post_schedule(post=post)
        cache_set(key, schedule, SCHEDULE_SECONDS)
    return schedule


def post_discussion_mode(
    *, post: Post, settings: DiscussionSettings, schedule: Sequence[Change], now: datetime
) -> DiscussionMode:
    """The mode of ``post``'s discussion at ``now`` (``rules.discussion_mode_at``), from
    its publication, its switch, the site's automatic closing and ``schedule``. No query."""
    is_published = post.status == Post.Status.PUBLISHED and post.published_at is not None
    return discussion_mode_at(
        now=now,
        schedule=schedule,
        published_at=post.published_at if is_published else None,
        comments_enabled=post.comments_enabled,
        close_after_days=settings.close_after_days,
    )


def post_discussion_get(
    *, post: Post, now: datetime | None = None
) -> tuple[DiscussionSettings, DiscussionMode]:
    """The site's discussion settings and the mode of ``post``'s discussion at ``now``
    (default: the present). One query for a post without a schedule; with one, one more
    when the cache does not have it."""
    now = now or timezone.now()
    has_schedule = Exists(ModeChange.objects.filter(post_id=post.pk))
    settings = DiscussionSettings.objects.filter(pk=1).annotate(has_schedule=has_schedule).first()
    if settings is None:  # no settings row yet: the defaults
        settings = DiscussionSettings(pk=1)
        settings.has_schedule = True  # unknown: ask
    schedule = post_schedule_cached(post=post) if settings.has_schedule else ()
    mode = post_discussion_mode(post=post, settings=settings, schedule=schedule, now=now)
    return settings, mode


def last_comment_at_by(*, post: Post, sender: Q, excluding: int | None = None) -> datetime | None:
    """When the person ``sender`` selects (``rules.written_by``) last commented on ``post``,
    whatever became of the comment (slow mode counts them all), leaving out the comment
    ``excluding``; None if never. One query."""
    earlier = Comment.objects.filter(sender, post=post).exclude(pk=excluding)
    return earlier.order_by("-created_at").values_list("created_at", flat=True).first()

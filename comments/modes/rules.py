"""The discussion's mode at any moment, worked out from plain values: no database, no clock,
no settings module. Every place that needs the mode calls ``discussion_mode_at`` with what
it has, so the posting service, the page and the cache keys cannot disagree.

Three things decide the mode, in this order:

1. The post's own switch, "comments enabled": off means closed, whatever the schedule says
   (a draft, and a post before its publication time, take no comments either).
2. The post's schedule: each change holds from its time until the next one; a change with
   no time holds from the start. Before the first change the discussion is open.
3. The site's "close comments after N days" (``DiscussionSettings.close_after_days``): one
   more change, to closed, at publication plus N days, merged into the post's schedule.
   A change the editor scheduled at that moment or later wins over it: a post can be kept
   open, or reopened, on purpose.

Two changes in a row to the same mode are one (the timeline never says "members only
until 18:00, then members only"), so ``until`` is always a real change.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    """How a discussion takes new comments (``ModeChange.mode``)."""

    OPEN = "open", _("Open to everyone")
    MEMBERS = "members", _("Members only")
    SLOW = "slow", _("Slow mode")
    HELD = "held", _("Held: a moderator reads every comment first")
    CLOSED = "closed", _("Closed")


@dataclass(frozen=True)
class Change:
    """From ``at`` (None: from the start) the discussion is in ``mode``; ``slow_minutes``
    is slow mode's wait between one person's comments (None for the other modes)."""

    at: datetime | None
    mode: str
    slow_minutes: int | None = None

    @property
    def setting(self) -> tuple[str, int | None]:
        """What a reader would notice: the mode, and slow mode's wait."""
        return (self.mode, self.slow_minutes if self.mode == Mode.SLOW else None)


@dataclass(frozen=True)
class DiscussionMode:
    """The mode in force at one moment: since when, until when, and what comes next."""

    mode: str
    slow_minutes: int | None = None
    # When it came into force (None: from the start) and when it changes (None: never).
    since: datetime | None = None
    until: datetime | None = None
    # What it changes to at ``until``.
    then: Change | None = None

    @property
    def accepts_comments(self) -> bool:
        """Whether anybody at all may comment now (members only takes members' comments)."""
        return self.mode != Mode.CLOSED

    @property
    def key(self) -> str:
        """Every fact of this mode a page shows, for cache keys: a scheduled change makes a
        new key at the first request after it, with nothing written anywhere."""
        then = self.then.setting if self.then else None
        since = self.since.isoformat() if self.since else "-"
        until = self.until.isoformat() if self.until else "-"
        return f"{self.mode}:{self.slow_minutes}:{since}:{until}:{then}"


CLOSED = DiscussionMode(Mode.CLOSED)


def discussion_timeline(*, schedule: Iterable[Change], closes_at: datetime | None) -> list[Change]:
    """The changes of a discussion in time order: the first holds from the start, and each
    differs from the one before. ``closes_at`` is the site's automatic closing, if any; a
    scheduled change at the same moment wins over it."""
    automatic = [Change(closes_at, Mode.CLOSED)] if closes_at is not None else []
    # From-the-start first; at one moment the automatic closing before the editor's change.
    steps = sorted(
        [(0, change) for change in automatic] + [(1, change) for change in schedule],
        key=lambda item: (item[1].at is not None, item[1].at or datetime.min, item[0]),
    )
    timeline = [Change(None, Mode.OPEN)]
    for _order, step in steps:
        while timeline and timeline[-1].at == step.at:
            timeline.pop()  # the later of two changes at one moment wins
        if timeline and timeline[-1].setting == step.setting:
            continue
        mode, minutes = step.setting
        timeline.append(Change(step.at, mode, minutes))
    return timeline


def discussion_mode_at(
    *,
    now: datetime,
    schedule: Iterable[Change],
    published_at: datetime | None,
    comments_enabled: bool,
    close_after_days: int | None,
) -> DiscussionMode:
    """The mode of a post's discussion at ``now``, with the next change (see the module's
    docstring for how the switch, the schedule and the automatic closing combine).

    ``published_at`` is None for a post that is not published (a draft): closed, as is a
    post before its publication time (no page shows it, so no "until" is given away)."""
    if published_at is None or now < published_at or not comments_enabled:
        return CLOSED
    closes_at = published_at + timedelta(days=close_after_days) if close_after_days else None
    timeline = discussion_timeline(schedule=schedule, closes_at=closes_at)
    current, following = _in_force(timeline, now)
    return DiscussionMode(
        mode=current.mode,
        slow_minutes=current.slow_minutes,
        since=current.at,
        until=following.at if following else None,
        then=following,
    )


def _in_force(timeline: list[Change], moment: datetime) -> tuple[Change, Change | None]:
    """The change in force at ``moment`` and the one after it (None: there is none)."""
    index = 0
    for position, change in enumerate(timeline):
        if change.at is None or change.at <= moment:
            index = position
    following = timeline[index + 1] if index + 1 < len(timeline) else None
    return timeline[index], following


# --- Who may comment, and when ------------------------------------------------------------


class Refusal(NamedTuple):
    """Why a comment is refused under the mode in force: ``code`` tells the view how to
    answer (``closed``, ``members_only``, ``slow``), ``wait_until`` when slow mode lets the
    person comment again."""

    code: str
    wait_until: datetime | None = None


def slow_mode_wait_until(
    *, mode: DiscussionMode, last_comment_at: datetime | None, now: datetime
) -> datetime | None:
    """When slow mode lets a person comment again, given when they last commented on the
    post (any comment of theirs, whatever became of it); None when they may now."""
    if mode.mode != Mode.SLOW or last_comment_at is None or not mode.slow_minutes:
        return None
    free_at = last_comment_at + timedelta(minutes=mode.slow_minutes)
    return free_at if free_at > now else None


def mode_refusal(
    *,
    mode: DiscussionMode,
    is_member: bool,
    is_staff: bool,
    last_comment_at: datetime | None,
    now: datetime,
) -> Refusal | None:
    """Why the mode in force refuses a comment from this person, or None when it takes it.
    Closed refuses everyone; members only refuses guests; slow mode refuses a second
    comment within its wait. Staff are members and never wait (they answer, explain and
    moderate, which slow mode must not hold back); held refuses nobody: it holds."""
    if not mode.accepts_comments:
        return Refusal("closed")
    if mode.mode == Mode.MEMBERS and not is_member:
        return Refusal("members_only")
    if is_staff:
        return None
    wait_until = slow_mode_wait_until(mode=mode, last_comment_at=last_comment_at, now=now)
    return Refusal("slow", wait_until) if wait_until is not None else None


def holds_every_comment(mode: DiscussionMode) -> bool:
    """Whether every comment waits for a moderator (held mode; ``assess_comment`` still
    publishes staff's at once, as it always does)."""
    return mode.mode == Mode.HELD


# --- What a schedule must be -------------------------------------------------------------


class ScheduleProblem(StrEnum):
    """What can be wrong with a schedule (``wording.schedule_problem_message`` words it)."""

    SLOW_NEEDS_MINUTES = "slow needs minutes"
    MINUTES_FOR_SLOW_ONLY = "minutes for slow only"
    TWO_FROM_THE_START = "two from the start"
    TWO_AT_ONE_TIME = "two at one time"


def change_problem(*, mode: str, slow_minutes: int | None) -> ScheduleProblem | None:
    """What is wrong with one scheduled change (its ``slow_minutes`` field), or None."""
    if mode == Mode.SLOW and not slow_minutes:
        return ScheduleProblem.SLOW_NEEDS_MINUTES
    if mode != Mode.SLOW and slow_minutes is not None:
        return ScheduleProblem.MINUTES_FOR_SLOW_ONLY
    return None


def schedule_clash(
    starts: Iterable[datetime | None],
) -> tuple[ScheduleProblem, datetime | None] | None:
    """Two changes of one schedule at one moment (which would leave the mode in force to
    chance), with that moment; None when every change has its own."""
    seen: set[datetime | None] = set()
    for start in starts:
        if start in seen:
            if start is None:
                return ScheduleProblem.TWO_FROM_THE_START, None
            return ScheduleProblem.TWO_AT_ONE_TIME, start
        seen.add(start)
    return None

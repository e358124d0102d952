"""The discussion modes' rules as tables, without the database: the mode in force at each
moment of a schedule, how the post's switch and the site's automatic closing join in, who
may comment under each mode, slow mode's wait, what readers read, and what a schedule must
be (comments.modes.rules and comments.modes.wording)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from comments.modes.rules import (
    Change,
    DiscussionMode,
    Mode,
    Refusal,
    ScheduleProblem,
    change_problem,
    discussion_mode_at,
    discussion_timeline,
    mode_refusal,
    schedule_clash,
    slow_mode_wait_until,
)
from comments.modes.wording import mode_notice, refusal_message, schedule_problem_message

PUBLISHED = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
NOON = datetime(2025, 11, 28, 12, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2025 (UTC, the tests' time zone)."""
    return datetime(2025, 11, day, hour, minute, tzinfo=UTC)


def mode_at(now, schedule=(), *, enabled=True, close_after_days=None, published_at=PUBLISHED):
    return discussion_mode_at(
        now=now,
        schedule=schedule,
        published_at=published_at,
        comments_enabled=enabled,
        close_after_days=close_after_days,
    )


# "Members only until 18:00, then open", "close on 1 December at 09:00".
MEMBERS_THEN_OPEN = (Change(None, Mode.MEMBERS), Change(at(28, 18), Mode.OPEN))
CLOSE_ON_THE_FIRST = (Change(datetime(2025, 12, 1, 9, 0, tzinfo=UTC), Mode.CLOSED),)


# --- The mode in force --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "now", "mode", "until", "then"),
    [
        # No schedule: open for good.
        ((), NOON, Mode.OPEN, None, None),
        # Members only until 18:00, then open: each side of the change, and at it.
        (MEMBERS_THEN_OPEN, NOON, Mode.MEMBERS, at(28, 18), Mode.OPEN),
        (MEMBERS_THEN_OPEN, at(28, 17, 59), Mode.MEMBERS, at(28, 18), Mode.OPEN),
        (MEMBERS_THEN_OPEN, at(28, 18), Mode.OPEN, None, None),
        # Closing on a date: open until then, closed after.
        (CLOSE_ON_THE_FIRST, NOON, Mode.OPEN, CLOSE_ON_THE_FIRST[0].at, Mode.CLOSED),
        (CLOSE_ON_THE_FIRST, at(30, 23), Mode.OPEN, CLOSE_ON_THE_FIRST[0].at, Mode.CLOSED),
        (CLOSE_ON_THE_FIRST, CLOSE_ON_THE_FIRST[0].at, Mode.CLOSED, None, None),
        # A change still to come does nothing yet; in the listed order or not.
        ((Change(at(29, 9), Mode.HELD), Change(at(28, 9), Mode.SLOW, 10)), NOON, Mode.SLOW,
         at(29, 9), Mode.HELD),
        # Closed, then reopened to members.
        ((Change(None, Mode.CLOSED), Change(at(29, 9), Mode.MEMBERS)), NOON, Mode.CLOSED,
         at(29, 9), Mode.MEMBERS),
    ],
)  # fmt: skip
def test_the_mode_in_force_and_its_next_change(schedule, now, mode, until, then):
    found = mode_at(now, schedule)
    assert (found.mode, found.until) == (mode, until)
    assert (found.then.mode if found.then else None) == then


def test_slow_mode_carries_its_minutes_and_other_modes_none():
    schedule = (Change(None, Mode.SLOW, 10), Change(at(29, 9), Mode.OPEN, 5))
    assert mode_at(NOON, schedule).slow_minutes == 10
    assert mode_at(at(29, 10), schedule).slow_minutes is None


def test_two_changes_in_a_row_to_one_mode_are_one():
    schedule = (
        Change(None, Mode.MEMBERS),
        Change(at(28, 15), Mode.MEMBERS),  # the same again: no change at 15:00
        Change(at(28, 18), Mode.OPEN),
    )
    found = mode_at(NOON, schedule)
    assert (found.mode, found.until, found.then.mode) == (Mode.MEMBERS, at(28, 18), Mode.OPEN)
    assert found == mode_at(at(28, 16), schedule)


def test_slow_mode_with_another_wait_is_a_change():
    schedule = (Change(None, Mode.SLOW, 10), Change(at(28, 18), Mode.SLOW, 30))
    found = mode_at(NOON, schedule)
    assert (found.until, found.then.slow_minutes) == (at(28, 18), 30)


# --- The post's switch, its publication and the automatic closing --------------------------


@pytest.mark.parametrize(
    ("enabled", "published_at", "now"),
    [
        (False, PUBLISHED, NOON),  # switched off: closed whatever the schedule says
        (True, None, NOON),  # a draft
        (True, at(29, 8), NOON),  # scheduled for later: closed, and no "until" told
    ],
)
def test_the_switch_off_a_draft_and_a_post_to_come_are_closed_for_good(enabled, published_at, now):
    found = mode_at(now, MEMBERS_THEN_OPEN, enabled=enabled, published_at=published_at)
    assert found == DiscussionMode(Mode.CLOSED)
    assert not found.accepts_comments


@pytest.mark.parametrize(
    ("schedule", "now", "mode", "until"),
    [
        # Closing after 10 days: at publication + 10 days (30 November, 08:00).
        ((), NOON, Mode.OPEN, at(30, 8)),
        ((), at(30, 8), Mode.CLOSED, None),
        # The post's own change before it still applies, and ends there.
        ((Change(None, Mode.MEMBERS),), NOON, Mode.MEMBERS, at(30, 8)),
        # A change at that very moment, or after it, wins: kept open, or reopened.
        ((Change(at(30, 8), Mode.OPEN),), at(30, 9), Mode.OPEN, None),
        ((Change(at(30, 8), Mode.SLOW, 5),), at(30, 9), Mode.SLOW, None),
        ((Change(at(30, 20), Mode.OPEN),), at(30, 9), Mode.CLOSED, at(30, 20)),
        ((Change(at(30, 20), Mode.OPEN),), at(30, 20), Mode.OPEN, None),
        # A scheduled closing before the automatic one: closed from then on.
        ((Change(at(29, 8), Mode.CLOSED),), at(29, 9), Mode.CLOSED, None),
    ],
)
def test_the_automatic_closing_is_one_more_change_the_schedule_can_overrule(
    schedule, now, mode, until
):
    found = mode_at(now, schedule, close_after_days=10)
    assert (found.mode, found.until) == (mode, until)


def test_the_timeline_starts_open_and_never_repeats_itself():
    timeline = discussion_timeline(
        schedule=[Change(at(28, 9), Mode.OPEN), Change(at(29, 9), Mode.HELD)],
        closes_at=at(29, 9),  # the held change at the same moment wins over it
    )
    assert timeline == [Change(None, Mode.OPEN), Change(at(29, 9), Mode.HELD)]


def test_the_key_changes_with_every_fact_a_page_shows():
    keys = {
        mode_at(NOON).key,
        mode_at(NOON, MEMBERS_THEN_OPEN).key,
        mode_at(NOON, (Change(None, Mode.MEMBERS), Change(at(28, 19), Mode.OPEN))).key,
        mode_at(NOON, (Change(None, Mode.MEMBERS), Change(at(28, 18), Mode.HELD))).key,
        mode_at(NOON, (Change(None, Mode.SLOW, 10),)).key,
        mode_at(NOON, (Change(None, Mode.SLOW, 20),)).key,
        mode_at(at(28, 18), MEMBERS_THEN_OPEN).key,
    }
    assert len(keys) == 7
    assert mode_at(NOON, MEMBERS_THEN_OPEN).key == mode_at(at(28, 17), MEMBERS_THEN_OPEN).key


# --- Who may comment ------------------------------------------------------------------------

SLOW = DiscussionMode(Mode.SLOW, slow_minutes=10)
THREE_MINUTES_AGO = NOON - timedelta(minutes=3)


@pytest.mark.parametrize(
    ("mode", "is_member", "is_staff", "last", "refusal"),
    [
        (DiscussionMode(Mode.OPEN), False, False, NOON, None),
        (DiscussionMode(Mode.CLOSED), True, True, None, Refusal("closed")),
        (DiscussionMode(Mode.MEMBERS), False, False, None, Refusal("members_only")),
        (DiscussionMode(Mode.MEMBERS), True, False, None, None),
        (DiscussionMode(Mode.HELD), False, False, None, None),  # held holds, refuses nobody
        (SLOW, False, False, None, None),  # a first comment
        (SLOW, True, False, THREE_MINUTES_AGO, Refusal("slow", NOON + timedelta(minutes=7))),
        (SLOW, False, False, NOON - timedelta(minutes=10), None),  # waited long enough
        (SLOW, True, True, THREE_MINUTES_AGO, None),  # staff never wait
    ],
)  # fmt: skip
def test_who_may_comment_under_each_mode(mode, is_member, is_staff, last, refusal):
    found = mode_refusal(
        mode=mode, is_member=is_member, is_staff=is_staff, last_comment_at=last, now=NOON
    )
    assert found == refusal


def test_slow_mode_wait_counts_from_the_persons_last_comment():
    last = NOON - timedelta(minutes=4, seconds=30)
    assert slow_mode_wait_until(mode=SLOW, last_comment_at=last, now=NOON) == last + timedelta(
        minutes=10
    )
    assert (
        slow_mode_wait_until(mode=DiscussionMode(Mode.OPEN), last_comment_at=last, now=NOON) is None
    )


# --- What readers read --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "now", "notice"),
    [
        ((), NOON, ""),
        (MEMBERS_THEN_OPEN, NOON, "Members only until 18:00, then open to everyone."),
        (CLOSE_ON_THE_FIRST, NOON, "Comments close on 1 December at 09:00."),
        (CLOSE_ON_THE_FIRST, datetime(2025, 12, 1, 8, tzinfo=UTC), "Comments close at 09:00."),
        ((Change(None, Mode.SLOW, 10),), NOON, "Slow mode: one comment every 10 minutes."),
        ((Change(None, Mode.SLOW, 1),), NOON, "Slow mode: one comment every minute."),
        ((Change(None, Mode.SLOW, 10), Change(at(28, 18), Mode.OPEN)), NOON,
         "Slow mode: one comment every 10 minutes until 18:00, then open to everyone."),
        ((Change(None, Mode.MEMBERS),), NOON, "Only members can comment on this post."),
        ((Change(None, Mode.HELD),), NOON,
         "Every comment waits for a moderator before it appears."),
        ((Change(None, Mode.HELD), Change(at(29, 9), Mode.CLOSED)), NOON,
         "Every comment waits for a moderator until 29 November at 09:00, then closed."),
        ((Change(None, Mode.CLOSED),), NOON, "Comments are closed."),
        ((Change(None, Mode.CLOSED), Change(at(28, 18), Mode.SLOW, 5)), NOON,
         "Comments are closed until 18:00, then slow mode: one comment every 5 minutes."),
        ((Change(at(28, 18), Mode.MEMBERS),), NOON,
         "Open to everyone until 18:00, then members only."),
        ((Change(datetime(2026, 1, 5, 9, tzinfo=UTC), Mode.CLOSED),), NOON,
         "Comments close on 5 January 2026 at 09:00."),
    ],
)  # fmt: skip
def test_the_line_readers_see(schedule, now, notice):
    assert mode_notice(mode_at(now, schedule), now) == notice


def test_times_are_written_in_the_sites_time_zone():
    with timezone.override("Europe/Paris"):
        assert mode_notice(mode_at(NOON, MEMBERS_THEN_OPEN), NOON) == (
            "Members only until 19:00, then open to everyone."
        )


@pytest.mark.parametrize(
    ("refusal", "mode", "message"),
    [
        (Refusal("closed"), DiscussionMode(Mode.CLOSED), "Comments are closed on this article."),
        (Refusal("closed"), DiscussionMode(Mode.CLOSED, until=at(28, 18)),
         "Comments are closed on this article until 18:00."),
        (Refusal("members_only"), DiscussionMode(Mode.MEMBERS),
         "Only members can comment on this post right now. Sign in or create an account."),
        # The wait ends at 12:07:30: "12:08", never a minute they would still be refused in.
        (Refusal("slow", NOON + timedelta(minutes=7, seconds=30)), SLOW,
         "This discussion is in slow mode: one comment every 10 minutes per person. "
         "You can comment again at 12:08."),
        (Refusal("slow", datetime(2025, 11, 29, 0, 5, tzinfo=UTC)), SLOW,
         "This discussion is in slow mode: one comment every 10 minutes per person. "
         "You can comment again on 29 November at 00:05."),
    ],
)  # fmt: skip
def test_what_a_refused_person_reads(refusal, mode, message):
    assert refusal_message(refusal, mode=mode, now=NOON) == message


# --- What a schedule must be --------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "minutes", "problem"),
    [
        (Mode.SLOW, 10, None),
        (Mode.SLOW, None, ScheduleProblem.SLOW_NEEDS_MINUTES),
        (Mode.SLOW, 0, ScheduleProblem.SLOW_NEEDS_MINUTES),
        (Mode.OPEN, None, None),
        (Mode.MEMBERS, 5, ScheduleProblem.MINUTES_FOR_SLOW_ONLY),
        (Mode.CLOSED, 0, ScheduleProblem.MINUTES_FOR_SLOW_ONLY),
    ],
)
def test_a_change_needs_minutes_for_slow_mode_and_only_for_it(mode, minutes, problem):
    assert change_problem(mode=mode, slow_minutes=minutes) == problem


@pytest.mark.parametrize(
    ("starts", "clash"),
    [
        ([None, at(28, 9), at(29, 9)], None),
        ([at(28, 9), None, at(28, 9)], (ScheduleProblem.TWO_AT_ONE_TIME, at(28, 9))),
        ([None, at(28, 9), None], (ScheduleProblem.TWO_FROM_THE_START, None)),
        ([], None),
    ],
)
def test_no_two_changes_at_one_moment(starts, clash):
    assert schedule_clash(starts) == clash


def test_each_schedule_problem_has_its_own_message():
    messages = {schedule_problem_message(problem, at(28, 9)) for problem in ScheduleProblem}
    assert len(messages) == len(ScheduleProblem)
    assert (
        "Two changes are set for the same time (28 November 2025, 09:00). Please keep one of them."
        in messages
    )

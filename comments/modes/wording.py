"""What people read about discussion modes: the line under a post's discussion ("Members
only until 18:00, then open to everyone"), the refusals' messages and the schedule's
problems in the admin. Times are written in the site's time zone: a time alone for today
("18:00"), with the day otherwise ("1 December at 09:00").
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.modes.rules import Change, DiscussionMode, Mode, Refusal, ScheduleProblem


def _time(moment: datetime, now: datetime) -> tuple[str, bool]:
    """``moment`` as readers read it, and whether it is today (then it is a time alone)."""
    local, today = timezone.localtime(moment), timezone.localtime(now).date()
    time = date_format(local, "H:i")
    if local.date() == today:
        return time, True
    day = date_format(local, "j F" if local.year == today.year else "j F Y")
    return _("%(day)s at %(time)s") % {"day": day, "time": time}, False


def moment_text(moment: datetime, now: datetime) -> str:
    """ "18:00" today, "1 December at 09:00" another day (with the year if not this one)."""
    return _time(moment, now)[0]


def at_moment_text(moment: datetime, now: datetime) -> str:
    """ "at 18:00" today, "on 1 December at 09:00" another day."""
    text, today = _time(moment, now)
    return (_("at %(time)s") if today else _("on %(day)s")) % {"time": text, "day": text}


def _slow(minutes: int | None) -> str:
    n = minutes or 0
    return ngettext(
        "slow mode: one comment every minute", "slow mode: one comment every %(n)s minutes", n
    ) % {"n": n}


def _described(mode: str, slow_minutes: int | None) -> str:
    """A mode as the start of a sentence ("Members only")."""
    if mode == Mode.SLOW:
        return _slow(slow_minutes).capitalize()
    return {
        Mode.OPEN: _("Open to everyone"),
        Mode.MEMBERS: _("Members only"),
        Mode.HELD: _("Every comment waits for a moderator"),
        Mode.CLOSED: _("Comments are closed"),
    }[mode]


def _then(change: Change) -> str:
    """The mode a discussion changes to, after "then" ("open to everyone")."""
    if change.mode == Mode.SLOW:
        return _slow(change.slow_minutes)
    return {
        Mode.OPEN: _("open to everyone"),
        Mode.MEMBERS: _("members only"),
        Mode.HELD: _("every comment waits for a moderator"),
        Mode.CLOSED: _("closed"),
    }[change.mode]


# What the line says when no change is ahead (nothing, for an open discussion).
_STANDING = {
    Mode.MEMBERS: lambda m: _("Only members can comment on this post."),
    Mode.SLOW: lambda m: _("%(slow)s.") % {"slow": _slow(m.slow_minutes).capitalize()},
    Mode.HELD: lambda m: _("Every comment waits for a moderator before it appears."),
    Mode.CLOSED: lambda m: _("Comments are closed."),
}


def mode_notice(mode: DiscussionMode, now: datetime) -> str:
    """The line readers see about the discussion's mode and its next change, or "" for an
    open discussion with nothing scheduled."""
    if mode.until is None or mode.then is None:
        standing = _STANDING.get(mode.mode)
        return standing(mode) if standing else ""
    if mode.mode == Mode.OPEN and mode.then.mode == Mode.CLOSED:
        return _("Comments close %(when)s.") % {"when": at_moment_text(mode.until, now)}
    return _("%(mode)s until %(when)s, then %(then)s.") % {
        "mode": _described(mode.mode, mode.slow_minutes),
        "when": moment_text(mode.until, now),
        "then": _then(mode.then),
    }


def refusal_message(refusal: Refusal, *, mode: DiscussionMode, now: datetime) -> str:
    """What a person is told when the mode in force refuses their comment."""
    if refusal.code == "members_only":
        return _("Only members can comment on this post right now. Sign in or create an account.")
    if refusal.code == "slow" and refusal.wait_until is not None:
        # Shown to the minute, and a minute that has begun counts as begun: never earlier
        # than the moment they may.
        wait_until = refusal.wait_until
        if wait_until.second or wait_until.microsecond:
            wait_until = wait_until.replace(second=0, microsecond=0) + timedelta(minutes=1)
        return _("This discussion is in %(slow)s per person. You can comment again %(when)s.") % {
            "slow": _slow(mode.slow_minutes),
            "when": at_moment_text(wait_until, now),
        }
    if mode.until is not None:
        return _("Comments are closed on this article until %(when)s.") % {
            "when": moment_text(mode.until, now)
        }
    return _("Comments are closed on this article.")


def schedule_problem_message(problem: ScheduleProblem, when: datetime | None = None) -> str:
    """What an editor reads about a problem with a post's schedule."""
    match problem:
        case ScheduleProblem.SLOW_NEEDS_MINUTES:
            return _(
                "Slow mode needs the minutes each person waits between two comments: 1 or more."
            )
        case ScheduleProblem.MINUTES_FOR_SLOW_ONLY:
            return _("Minutes apply to slow mode only. Please leave them empty.")
        case ScheduleProblem.TWO_FROM_THE_START:
            return _("Only one change can hold from the start. Please give the others a time.")
        case _:
            stamp = date_format(timezone.localtime(when), "j F Y, H:i") if when else ""
            return _(
                "Two changes are set for the same time (%(when)s). Please keep one of them."
            ) % {"when": stamp}

"""The discussion's rules that several places need, each written once.

Pure functions over plain values: the service that enforces a rule, the comment list
written in Python that shows or hides a link, the selector that picks rows and the demo
data all call the same function with the values they have, so they cannot disagree.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings as django_settings
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from comments.models import Comment


def written_by(*, user: User | None, guest_email: str) -> Q:
    """The comments one person wrote: a member's, with those written as a guest under the
    member's (confirmed) address; a guest's, by e-mail address. Never by IP address: people
    behind one address (an office, a phone network) are different people."""
    if user is not None:
        written = Q(user=user)
        if user.email:
            written |= Q(user__isnull=True, guest_email__iexact=user.email)
        return written
    return Q(user__isnull=True, guest_email__iexact=guest_email)


# Statuses whose text the member who wrote it may still change (in the edit window).
EDITABLE_STATUSES = frozenset({Comment.Status.PUBLISHED, Comment.Status.PENDING})


def edit_window() -> timedelta:
    """How long after posting a member may edit their comment (``COMMENT_EDIT_MINUTES``)."""
    return timedelta(minutes=django_settings.COMMENT_EDIT_MINUTES)


def comment_is_editable(
    *,
    author_id: int | None,
    viewer_id: int | None,
    status: str,
    created_at: datetime,
    now: datetime,
) -> bool:
    """Whether the member ``viewer_id`` may still change a comment's text: only its member
    author, only while it is published or awaiting moderation, and only within the edit
    window. Guests never edit (they have no account to prove who they are)."""
    if viewer_id is None or author_id != viewer_id:
        return False
    return status in EDITABLE_STATUSES and now <= created_at + edit_window()


def comment_takes_replies(*, status: str) -> bool:
    """Whether a comment can be answered at all: only a published one. A reply to a hidden,
    held or spam comment would hang under something readers cannot see."""
    return status == Comment.Status.PUBLISHED


def reply_nests_under(*, depth: int, max_depth: int) -> bool:
    """Whether a reply to a comment at ``depth`` (0 is top level) nests under it.
    ``max_depth`` counts the levels including the top-level comment, so the deepest level
    is ``max_depth - 1``; a reply to a comment there joins its parent's level instead, as
    WordPress does."""
    return depth < max_depth - 1


# Which statuses each moderation action may change a comment from. The services refuse
# anything else; the post page offers a moderator exactly the buttons this allows.
# (A hide also confirms a comment already hidden by reports; the service adds that case.)
MODERATION_FROM: dict[str, frozenset[str]] = {
    "approve": frozenset({Comment.Status.PENDING}),
    "hide": frozenset({Comment.Status.PUBLISHED, Comment.Status.PENDING}),
    "restore": frozenset({Comment.Status.HIDDEN, Comment.Status.SPAM}),
    "spam": frozenset({Comment.Status.PUBLISHED, Comment.Status.PENDING, Comment.Status.HIDDEN}),
}


def moderation_actions_for(status: str) -> list[str]:
    """The moderation actions that apply to a comment with ``status``, in the order a
    moderator reads them (``approve``, ``hide``, ``restore``, ``spam``)."""
    return [action for action, sources in MODERATION_FROM.items() if status in sources]


class Shown(StrEnum):
    """How one comment shows to one viewer (``comment_shown_as``)."""

    COMMENT = "comment"  # in full, to everyone
    PLACEHOLDER = "placeholder"  # one line in its place, kept for the replies below it
    OWN = "own"  # in full to the browser that sent it, marked as awaiting moderation
    MODERATED = "moderated"  # in full to a moderator, marked with its status


def comment_shown_as(
    *, status: str, is_own: bool, has_shown_reply: bool, moderator: bool = False
) -> Shown | None:
    """How a comment shows to one viewer, or None when it is left out. The one rule for
    what a reader can reach; the thread builder applies it to every comment of a page.

    - A published comment shows in full to everyone.
    - A moderator sees every comment in full, marked with its status.
    - A held or spam comment shows in full to the browser that sent it, as awaiting
      moderation, and to nobody else (telling a spammer which it was would help them).
    - Any other comment (hidden, or someone else's held or spam one) stays as a
      placeholder while a shown reply hangs under it, and is left out otherwise.

    Why a placeholder rather than dropping the replies or moving them up a level: a
    published reply was written in good faith to a comment that was public at the time
    (a comment is published when answered; it can be held by an edit, hidden or marked
    spam later). Dropping it would hide a published comment that the heading counts and
    the feeds list, and its permalink would lead nowhere; moving it under another comment
    would make it answer something it never answered. Readers of Reddit or Discourse know
    the "[removed]" line. A hidden comment's placeholder names the guideline it broke; a
    held or spam one says only that it is awaiting moderation or was removed, so an
    author probing the word lists by editing learns nothing from it.

    What the rest of the app relies on, and why it can: every published comment is
    reachable (each of its ancestors is published or a placeholder), so the heading's
    count (``Post.comment_count``), the comment feeds and permalinks take every published
    comment as shown; and a comment that is not published shows to readers exactly when a
    published comment hangs somewhere below it, which ``CommentQuerySet.visible_roots``
    writes in SQL for top-level comments and ``comment_get_shown`` asks of any comment.
    """
    if status == Comment.Status.PUBLISHED:
        return Shown.COMMENT
    if moderator:
        return Shown.MODERATED
    if is_own and status in (Comment.Status.PENDING, Comment.Status.SPAM):
        return Shown.OWN
    return Shown.PLACEHOLDER if has_shown_reply else None


def comment_has_author(*, user_id: int | None, guest_name: str) -> bool:
    """Whether someone stands behind a comment who could be suspended: a member, or a guest
    who gave a name. A purged comment, or one whose member closed their account, has
    nobody left behind it."""
    return user_id is not None or bool(guest_name)


def suspension_end_words(ends_at: datetime) -> str:
    """When a suspension ends, as people read it, in the site's time zone: "3 December 2026
    at 14:05"."""
    local = timezone.localtime(ends_at)
    return _("%(day)s at %(time)s") % {
        "day": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def suspension_message(
    *, ends_at: datetime | None, guideline_number: int, guideline_title: str
) -> str:
    """What a suspended person reads where the comment form would be, and on the 403 page
    when they send a comment anyway: until when, and why."""
    values = {"number": guideline_number, "title": guideline_title}
    if ends_at is None:
        return (
            _(
                "You can’t comment here any more because a moderator suspended you for breaking "
                "our Community Guidelines: see guideline %(number)s, “%(title)s”."
            )
            % values
        )
    values["until"] = suspension_end_words(ends_at)
    return (
        _(
            "You can’t comment until %(until)s because a moderator suspended you for breaking "
            "our Community Guidelines: see guideline %(number)s, “%(title)s”."
        )
        % values
    )

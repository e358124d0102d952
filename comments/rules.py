"""The discussion's rules that several places need, each written once.

Pure functions over plain values: the service that enforces a rule, the comment list
written in Python that shows or hides a link, the selector that picks rows and the demo
data all call the same function with the values they have, so they cannot disagree.
"""

from datetime import datetime, timedelta

from django.conf import settings as django_settings

from comments.models import Comment

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

"""Appeals: a hidden comment's author asks, once, for it back; a moderator restores it or
upholds the removal, with a note that the author is e-mailed.

The author needs no account: the signed link in the hidden-comment e-mail
(``comments.notifications.appeal_url``) names the comment and works for
``COMMENT_APPEAL_DAYS`` days, and whoever holds it may appeal. A restore goes through
``comment_restore``, like any other, so the comment count, the caches and the moderation log
follow; an upheld removal leaves the comment as it is and adds an ``uphold`` entry to the
log. Either way the decision is e-mailed to the author from the task worker once it is
committed.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from comments.models import Appeal, Comment
from comments.services.moderation import (
    ModerationRefused,
    _lock,
    _record,
    comment_restore,
    user_may_moderate,
)
from comments.services.posting import Action
from comments.tasks import send_appeal_decision_email

APPEAL_MAX_LENGTH = 1000


class AppealRefused(Exception):
    """An appeal, or a decision on one, that is not allowed; ``message`` is for the person
    acting. ``code``: ``appealed`` (already appealed), ``closed`` (the comment is no longer
    hidden), ``invalid`` (the text), ``forbidden`` or ``decided``."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def appeal_refusal(*, comment: Comment) -> AppealRefused | None:
    """Why ``comment``'s author may not appeal (now), or None when they may: they already
    did (once per comment), or the comment is no longer hidden. ``comment`` should come with
    its appeal loaded (``select_related("appeal")``), or this asks the database."""
    if _has_appeal(comment):
        return AppealRefused(
            _(
                "You have already appealed against this removal. A comment can be appealed "
                "once; a moderator e-mails you the decision."
            ),
            code="appealed",
        )
    if comment.status == Comment.Status.PUBLISHED:
        return AppealRefused(
            _("This comment is visible again, so there is nothing to appeal."), code="closed"
        )
    if comment.status != Comment.Status.HIDDEN:
        return AppealRefused(_("This comment can no longer be appealed."), code="closed")
    return None


def _has_appeal(comment: Comment) -> bool:
    if Comment.appeal.is_cached(comment):
        return hasattr(comment, "appeal")
    return Appeal.objects.filter(comment_id=comment.pk).exists()


def _clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in text:
        raise AppealRefused(
            _("Your appeal contains a character we can’t store (a null byte). Please remove it."),
            code="invalid",
        )
    if not text:
        raise AppealRefused(
            _("Please say in a few words why the comment should be restored."), code="invalid"
        )
    if len(text) > APPEAL_MAX_LENGTH:
        raise AppealRefused(
            _("Please keep your appeal under %(max)s characters; it has %(n)s.")
            % {"max": f"{APPEAL_MAX_LENGTH:,}", "n": f"{len(text):,}"},
            code="invalid",
        )
    return text


def appeal_create(*, comment: Comment, text: str) -> Appeal:
    """Store the author's appeal against ``comment``'s removal and return it. Refuses
    (``AppealRefused``, nothing stored) an empty, over-long or NUL-carrying text, a comment
    that is no longer hidden, and a second appeal on the same comment."""
    text = _clean_text(text)
    try:
        with transaction.atomic():
            locked = _lock(comment)
            refusal = appeal_refusal(comment=locked)
            if refusal is not None:
                raise refusal
            return Appeal.objects.create(comment=locked, text=text, created_at=timezone.now())
    except ModerationRefused as gone:
        raise AppealRefused(gone.message, code="closed") from None
    except IntegrityError:
        # Sent twice at the same moment: the first one is the appeal.
        raise appeal_refusal(comment=comment) or AppealRefused(
            _("You have already appealed against this removal."), code="appealed"
        ) from None


def appeal_decide(*, appeal: Appeal, moderator: User, restore: bool, note: str = "") -> Appeal:
    """Decide an open appeal and return it: ``restore`` publishes the comment again
    (``comment_restore``, logged as a restore); otherwise the removal is upheld (logged as
    ``uphold``). Once committed, the author is e-mailed the decision and ``note``.

    Refuses anyone but a moderator, an appeal already decided, and upholding a comment that
    was published again meanwhile (restore it to close the appeal)."""
    if not user_may_moderate(moderator):
        raise AppealRefused(_("Only moderators can decide appeals."), code="forbidden")
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().filter(pk=appeal.pk).first()
        if locked is None:
            raise AppealRefused(_("This appeal no longer exists."), code="decided")
        if locked.decision != Appeal.Decision.OPEN:
            raise AppealRefused(
                _("This appeal has already been decided: %(decision)s.")
                % {"decision": locked.get_decision_display().lower()},
                code="decided",
            )
        comment = _lock(Comment(pk=locked.comment_id))
        if restore:
            _restore(comment, moderator=moderator, note=note)
        else:
            _uphold(comment, moderator=moderator, note=note)
        locked.decision = Appeal.Decision.RESTORED if restore else Appeal.Decision.UPHELD
        locked.decided_at = timezone.now()
        locked.decided_by = moderator
        locked.decision_note = note
        locked.save(update_fields=["decision", "decided_at", "decided_by", "decision_note"])
        pk = locked.pk
        transaction.on_commit(lambda: send_appeal_decision_email.enqueue(appeal_id=pk))
    for field in ("decision", "decided_at", "decided_by", "decision_note"):
        setattr(appeal, field, getattr(locked, field))
    return appeal


def _restore(comment: Comment, *, moderator: User, note: str) -> None:
    # Published again meanwhile (restored from the comment list, say): nothing to undo.
    if comment.status == Comment.Status.PUBLISHED:
        return
    logged = " ".join(part for part in (_("Restored on appeal."), note) if part)
    try:
        comment_restore(comment=comment, moderator=moderator, note=logged)
    except ModerationRefused as refused:
        raise AppealRefused(refused.message, code="closed") from None


def _uphold(comment: Comment, *, moderator: User, note: str) -> None:
    if comment.status == Comment.Status.PUBLISHED:
        raise AppealRefused(
            _(
                "This comment has been published again meanwhile, so the removal can’t be "
                "upheld. Restore it to close the appeal."
            ),
            code="closed",
        )
    _record(
        comment,
        actor=moderator,
        action=Action.UPHOLD,
        from_status=comment.status,
        guideline=comment.guideline,
        note=note,
    )

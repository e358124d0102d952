"""Moderation: after a comment is posted, only these services change its status."""

from collections.abc import Collection

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from comments import rules
from comments.akismet import akismet_enabled
from comments.models import Comment, Guideline, ModerationEvent, Report
from comments.rendering import comment_body_html
from comments.services.posting import (
    RULE_MAX_LENGTH,
    Action,
    _queue_notifications,
    post_comments_bump,
)
from comments.spamfilter.service import comment_forget, comment_learn, settle_claim
from comments.tasks import (
    learn_settled_comments,
    send_akismet_feedback,
    send_comment_hidden_email,
)

# --- Moderation ---------------------------------------------------------------
#
# After a comment is posted, only these services change its status. Each one locks the
# comment's row and re-reads its status inside the lock, so two moderators acting at the
# same moment are served one after the other and the second sees the first one's result
# (never a lost update); refuses a change that makes no sense from that status; appends
# one ModerationEvent; bumps the post's comment version; and queues its e-mails for after
# the commit. Moderators never change a comment's text, and nothing here deletes one.
# A moderator's decision also teaches the spam filter (``comments.spamfilter``): Spam, and
# Hide for a guideline about spam, teach it spam; Approve and Restore teach it legitimate.


class ModerationRefused(Exception):
    """A moderation action that is not allowed. ``code``: ``"forbidden"`` (the actor may
    not do it), ``"status"`` (it makes no sense from the comment's current status) or
    ``"invalid"`` (something it needs is missing). ``message`` is for the moderator."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _status_words(status: str) -> str:
    return {
        Comment.Status.PUBLISHED: _("published"),
        Comment.Status.PENDING: _("awaiting moderation"),
        Comment.Status.HIDDEN: _("hidden"),
        Comment.Status.SPAM: _("marked as spam"),
    }.get(status, status)


def user_may_moderate(user: User | None) -> bool:
    """Whether ``user`` moderates comments: an active staff account with the
    ``comments.change_comment`` permission (the Moderators group; superusers have every
    permission). ``accounts.services.roles`` keeps ``is_staff`` in step with the roles, so
    asking it first spares a member's post page the two permission queries."""
    return (
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("comments.change_comment")
    )


def _require_moderator(user: User | None, *, message: str) -> None:
    if not user_may_moderate(user):
        raise ModerationRefused(message, code="forbidden")


def _lock(comment: Comment) -> Comment:
    """The comment's row, read again and locked until the transaction ends."""
    locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if locked is None:
        raise ModerationRefused(_("This comment no longer exists."), code="invalid")
    return locked


def _refuse_unless(locked: Comment, allowed: Collection[str], message: str) -> None:
    """Refuse with ``message`` (which may name %(status)s) unless the comment's status is
    one of ``allowed``."""
    if locked.status not in allowed:
        raise ModerationRefused(message % {"status": _status_words(locked.status)}, code="status")


def _open_reports(comment: Comment):
    return Report.objects.filter(comment_id=comment.pk, resolution=Report.Resolution.OPEN)


def _resolve_open_reports(comment: Comment, *, by: User | None, resolution: str) -> int:
    return _open_reports(comment).update(
        resolution=resolution, resolved_by=by, resolved_at=timezone.now()
    )


def _record(
    locked: Comment,
    *,
    actor: User | None,
    action: Action,
    from_status: str,
    guideline: Guideline | None = None,
    note: str = "",
    rule: str = "",
) -> ModerationEvent:
    return ModerationEvent.objects.create(
        comment=locked,
        actor=actor,
        rule=rule[:RULE_MAX_LENGTH],
        action=action,
        from_status=from_status,
        to_status=locked.status,
        guideline=guideline,
        note=note,
    )


def comment_status_change_log(*, comment: Comment, from_status: str, rule: str) -> ModerationEvent:
    """Log a status change made by ``rule`` rather than by a moderator (a newer WordPress
    export, say), after the caller stored it: the log shows every change of status."""
    to = comment.status
    if to == Comment.Status.SPAM:
        action = Action.SPAM
    elif to == Comment.Status.HIDDEN:
        action = Action.HIDE
    elif to == Comment.Status.PENDING:
        action = Action.HOLD
    elif from_status == Comment.Status.PENDING:
        action = Action.APPROVE
    else:
        action = Action.RESTORE
    return _record(comment, actor=None, action=action, from_status=from_status, rule=rule)


def _set_status(locked: Comment, status: str, *fields: str) -> None:
    locked.status = status
    locked.save(update_fields=["status", *fields])


def _copy(locked: Comment, comment: Comment, *fields: str) -> Comment:
    """Bring the caller's instance up to date with what the service stored."""
    for field in ("status", *fields):
        setattr(comment, field, getattr(locked, field))
    return comment


def _learn_settled() -> None:
    learn_settled_comments.enqueue()


def _teach(locked: Comment, *, is_spam: bool) -> None:
    """Teach the spam filter a moderator's decision on ``locked`` (and Akismet, from the
    task worker, when it is configured); and, at most once an hour, have the task worker
    learn the comments left a week without reports."""
    comment_learn(comment=locked, is_spam=is_spam)
    if akismet_enabled():
        pk = locked.pk
        transaction.on_commit(lambda: send_akismet_feedback.enqueue(comment_id=pk, is_spam=is_spam))
    if settle_claim(now=timezone.now()):
        transaction.on_commit(_learn_settled)


def _never_published(locked: Comment) -> bool:
    """Whether nobody has been told about this comment yet: it was held or marked spam when
    posted and no moderation has published it since. One query."""
    events = ModerationEvent.objects.filter(comment_id=locked.pk).filter(
        Q(from_status="") | Q(to_status=Comment.Status.PUBLISHED)
    )
    seen = list(events.values_list("from_status", "to_status"))
    held_when_posted = any(pair[0] == "" for pair in seen)
    published_since = any(pair[1] == Comment.Status.PUBLISHED for pair in seen)
    return held_when_posted and not published_since


def comment_hide(
    *,
    comment: Comment,
    moderator: User | None,
    guideline: Guideline | None,
    note: str = "",
    rule: str = "",
    notify_author: bool = True,
) -> Comment:
    """Hide a published or held comment for breaking ``guideline`` and return it.

    By a moderator: their open reports on it are upheld, and once committed its author (a
    member, or a guest who left an e-mail) is e-mailed the guideline and the start of the
    comment. A moderator may also hide a comment that is already hidden while reports on it
    are still open (one a rule hid pending review): that confirms the hide, with the same
    effects. By a rule (``moderator`` None, ``rule`` such as ``"auto-hide"``): the comment
    is hidden pending review, its reports stay open for a moderator to decide, and nobody is
    e-mailed yet. With ``notify_author`` False nobody is e-mailed either ("Remove everything
    by this person" hides many comments of one author at once).

    Refuses (``ModerationRefused``) an actor who is not a moderator, no actor and no rule,
    no guideline, and a comment that is spam or (without open reports) already hidden.
    """
    if moderator is None and not rule:
        raise ModerationRefused(_("Only moderators can hide comments."), code="forbidden")
    if moderator is not None:
        _require_moderator(moderator, message=_("Only moderators can hide comments."))
    if guideline is None:
        raise ModerationRefused(_("Choose the guideline the comment breaks."), code="invalid")
    by_person = moderator is not None
    with transaction.atomic():
        locked = _lock(comment)
        before = locked.status
        confirms = by_person and before == Comment.Status.HIDDEN and _open_reports(locked).exists()
        if not confirms:
            _refuse_unless(
                locked,
                rules.MODERATION_FROM[Action.HIDE],
                _("Only a published or held comment can be hidden; this one is %(status)s."),
            )
        locked.guideline = guideline
        _set_status(locked, Comment.Status.HIDDEN, "guideline")
        if by_person:
            _resolve_open_reports(locked, by=moderator, resolution=Report.Resolution.UPHELD)
            if guideline.about_spam:
                _teach(locked, is_spam=True)
        _record(
            locked,
            actor=moderator,
            action=Action.HIDE,
            from_status=before,
            guideline=guideline,
            note=note,
            rule=rule,
        )
        post_comments_bump(locked.post_id)
        if by_person and notify_author:
            pk = locked.pk
            transaction.on_commit(lambda: send_comment_hidden_email.enqueue(comment_id=pk))
    return _copy(locked, comment, "guideline")


def comment_restore(*, comment: Comment, moderator: User, note: str = "") -> Comment:
    """Publish again a hidden comment or one marked spam, and return it.

    Its open reports (left by a hide pending review) are dismissed: restoring says the
    comment may stay. The guideline it was hidden for is kept, for the record. A comment
    nobody has been told about yet (held or spam when posted) has its notifications sent.
    Refuses anyone but a moderator, and a comment that is published or awaiting moderation
    (approve that one instead).
    """
    _require_moderator(moderator, message=_("Only moderators can restore comments."))
    with transaction.atomic():
        locked = _lock(comment)
        before = locked.status
        _refuse_unless(
            locked,
            rules.MODERATION_FROM[Action.RESTORE],
            _("Only a hidden comment or spam can be restored; this one is %(status)s."),
        )
        notify = _never_published(locked)
        _set_status(locked, Comment.Status.PUBLISHED)
        _resolve_open_reports(locked, by=moderator, resolution=Report.Resolution.DISMISSED)
        _record(locked, actor=moderator, action=Action.RESTORE, from_status=before, note=note)
        _teach(locked, is_spam=False)
        post_comments_bump(locked.post_id)
        if notify:
            pk = locked.pk
            transaction.on_commit(lambda: _queue_notifications(pk))
    return _copy(locked, comment)


def comment_mark_spam(*, comment: Comment, moderator: User, note: str = "") -> Comment:
    """Mark a comment as spam (from published, held or hidden) and return it. Its open
    reports are upheld. Nobody is e-mailed: spammers are told nothing. Refuses anyone but a
    moderator, and a comment already marked as spam."""
    _require_moderator(moderator, message=_("Only moderators can mark comments as spam."))
    with transaction.atomic():
        locked = _lock(comment)
        before = locked.status
        if before not in rules.MODERATION_FROM[Action.SPAM]:
            raise ModerationRefused(_("This comment is already marked as spam."), code="status")
        _set_status(locked, Comment.Status.SPAM)
        _resolve_open_reports(locked, by=moderator, resolution=Report.Resolution.UPHELD)
        _record(locked, actor=moderator, action=Action.SPAM, from_status=before, note=note)
        _teach(locked, is_spam=True)
        post_comments_bump(locked.post_id)
    return _copy(locked, comment)


def comment_approve(*, comment: Comment, moderator: User, note: str = "") -> Comment:
    """Publish a comment that was held for moderation and return it; once committed, the
    notifications it never sent (to the comment it answers, to the article's author) go
    out. Refuses anyone but a moderator, and a comment that is not awaiting moderation."""
    _require_moderator(moderator, message=_("Only moderators can approve comments."))
    with transaction.atomic():
        locked = _lock(comment)
        before = locked.status
        _refuse_unless(
            locked,
            rules.MODERATION_FROM[Action.APPROVE],
            _("Only a comment awaiting moderation can be approved; this one is %(status)s."),
        )
        _set_status(locked, Comment.Status.PUBLISHED)
        _record(locked, actor=moderator, action=Action.APPROVE, from_status=before, note=note)
        _teach(locked, is_spam=False)
        post_comments_bump(locked.post_id)
        pk = locked.pk
        transaction.on_commit(lambda: _queue_notifications(pk))
    return _copy(locked, comment)


def reports_dismiss(*, comment: Comment, moderator: User, note: str = "") -> int:
    """Dismiss the open reports on ``comment``, leaving the comment as it is, and return
    how many were dismissed. With none open it does nothing and returns 0 (a second
    moderator dismissing the same reports finds them gone). Refuses anyone but a moderator.
    """
    _require_moderator(moderator, message=_("Only moderators can dismiss reports."))
    with transaction.atomic():
        locked = _lock(comment)
        dismissed = _resolve_open_reports(
            locked, by=moderator, resolution=Report.Resolution.DISMISSED
        )
        if dismissed:
            _record(
                locked,
                actor=moderator,
                action=Action.DISMISS_REPORTS,
                from_status=locked.status,
                note=note,
            )
            post_comments_bump(locked.post_id)
    return dismissed


def comment_purge(*, comment: Comment, actor: User, note: str = "") -> Comment:
    """Erase a comment's text and everything that says who wrote it, and return it.

    Superusers only. The row stays, hidden, so its replies keep their place: the thread
    shows it as a placeholder while it has published replies. The body becomes empty; the
    member, guest name and e-mail, IP hash and user agent are cleared; open reports on it
    are upheld. Refuses anyone but an active superuser, and a comment already purged.
    """
    if actor is None or not (actor.is_active and actor.is_superuser):
        raise ModerationRefused(_("Only an administrator can purge a comment."), code="forbidden")
    with transaction.atomic():
        locked = _lock(comment)
        before = locked.status
        if locked.body == "" and locked.user_id is None and not locked.guest_email:
            raise ModerationRefused(_("This comment has already been purged."), code="status")
        # What the spam filter learnt from its words goes with them.
        comment_forget(comment=locked)
        locked.body = ""
        locked.body_html = comment_body_html("")
        locked.user = None
        locked.guest_name = ""
        locked.guest_email = ""
        locked.ip_hash = ""
        locked.user_agent = ""
        locked.notify_on_reply = False
        erased = (
            "body", "body_html", "user", "guest_name", "guest_email", "ip_hash", "user_agent",
            "notify_on_reply",
        )  # fmt: skip
        _set_status(locked, Comment.Status.HIDDEN, *erased)
        _resolve_open_reports(locked, by=actor, resolution=Report.Resolution.UPHELD)
        _record(locked, actor=actor, action=Action.PURGE, from_status=before, note=note)
        post_comments_bump(locked.post_id)
    return _copy(locked, comment, *erased)

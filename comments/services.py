"""Every change to comments happens here, each in one transaction that also bumps the
post's comment version, so a cached thread is never served stale."""

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from blog.models import Post
from comments.models import (
    Comment,
    DiscussionSettings,
    Guideline,
    ModerationEvent,
    Report,
)
from comments.moderation import Verdict, assess_comment
from comments.selectors import (
    SETTINGS_CACHE_KEY,
    discussion_settings_get,
    post_discussion_is_open,
)
from comments.tasks import send_comment_hidden_email, send_comment_notifications

USER_AGENT_MAX = 255


class CommentRefused(Exception):
    """A comment the rules do not accept. ``code`` tells the view how to answer;
    ``field`` names the form field the message belongs to, if any."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


def ip_hash(ip: str) -> str:
    """A keyed hash of an IP address: enough to spot one sender, useless to anyone without
    the secret key."""
    if not ip:
        return ""
    return salted_hmac("comments.ip", ip, algorithm="sha256").hexdigest()


def _clean_body(body: str, *, max_length: int) -> str:
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in body:
        raise CommentRefused(
            _("Your comment contains a character we can’t store (a null byte). Please remove it."),
            code="invalid",
            field="body",
        )
    if not body:
        raise CommentRefused(_("Please write a comment first."), code="invalid", field="body")
    if len(body) > max_length:
        raise CommentRefused(
            _("Please keep your comment under %(max)s characters; it has %(n)s.")
            % {"max": f"{max_length:,}", "n": f"{len(body):,}"},
            code="invalid",
            field="body",
        )
    return body


def post_comments_bump(post_id: int) -> None:
    """Recount the post's published comments and move its comment version on, so cached
    threads are replaced. Every comment change calls it inside its own transaction."""
    published = (
        Comment.objects.filter(post_id=OuterRef("pk"), status=Comment.Status.PUBLISHED)
        .order_by()
        .values("post_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Post.objects.filter(pk=post_id).update(
        comment_version=F("comment_version") + 1,
        comment_count=Coalesce(Subquery(published), 0),
    )


def _reply_parent(
    *, post: Post, parent_id: int | None, settings: DiscussionSettings
) -> Comment | None:
    if parent_id is None:
        return None
    parent = Comment.objects.filter(pk=parent_id, post=post).first()
    if parent is None:
        raise CommentRefused(
            _("The comment you’re replying to isn’t part of this discussion."),
            code="invalid",
            field="parent",
        )
    if parent.status != Comment.Status.PUBLISHED:
        raise CommentRefused(
            _("The comment you’re replying to has been removed, so it can’t take replies."),
            code="invalid",
            field="parent",
        )
    # Past the maximum depth a reply joins its parent's level, as WordPress does.
    while parent.depth >= settings.max_depth - 1 and parent.parent_id is not None:
        parent = parent.parent
    return parent


def _same_sender(*, user: User | None, guest_email: str, hashed_ip: str) -> Q:
    if user is not None:
        return Q(user=user)
    sender = Q(user__isnull=True, guest_email__iexact=guest_email)
    if hashed_ip:
        sender |= Q(ip_hash=hashed_ip)
    return sender


def _check_not_repeated(
    *, post: Post, sender: Q, body: str, now: datetime, settings: DiscussionSettings
) -> None:
    if (
        Comment.objects.filter(sender, post=post, body=body)
        .exclude(status=Comment.Status.SPAM)
        .exists()
    ):
        raise CommentRefused(
            _("You’ve already posted this comment here."), code="duplicate", field="body"
        )
    if settings.flood_interval:
        since = now - timedelta(seconds=settings.flood_interval)
        if Comment.objects.filter(sender, created_at__gt=since).exists():
            raise CommentRefused(
                _(
                    "You’re commenting faster than we allow. Please wait %(n)s seconds "
                    "and send it again."
                )
                % {"n": settings.flood_interval},
                code="flood",
            )


def _check_commenter(
    *, user: User | None, guest_name: str, guest_email: str, settings: DiscussionSettings
) -> tuple[str, str]:
    if user is not None:
        if not user.is_active:
            raise CommentRefused(_("This account can’t comment."), code="forbidden")
        if not user.can_comment:
            raise CommentRefused(
                _("Please confirm your e-mail address to comment."), code="unverified"
            )
        return "", ""
    if not settings.guests_allowed:
        raise CommentRefused(_("Please sign in to comment."), code="forbidden")
    guest_name = guest_name.strip()
    if not guest_name or "\x00" in guest_name or not guest_name.isprintable():
        raise CommentRefused(
            _("Please give a name to show with your comment."), code="invalid", field="name"
        )
    if not guest_email or "\x00" in guest_email:
        raise CommentRefused(
            _("Please give your e-mail address; it is never shown."), code="invalid", field="email"
        )
    return guest_name, guest_email.strip()


def _is_first_time(*, user: User | None, guest_email: str) -> bool:
    """Whether the sender has no published comment yet: a member by account (or by earlier
    guest comments under their verified address), a guest by e-mail in any case. One query."""
    if user is not None:
        earlier = Q(user=user)
        if user.email:
            earlier |= Q(user__isnull=True, guest_email__iexact=user.email)
    else:
        earlier = Q(user__isnull=True, guest_email__iexact=guest_email)
    return not Comment.objects.published().filter(earlier).exists()


def _assess(
    *, body: str, user: User | None, guest_email: str, settings: DiscussionSettings
) -> Verdict:
    is_trusted = user is not None and user.is_staff
    # Only the first-time mode asks; other modes spare the query.
    is_first_time = (
        not is_trusted
        and settings.moderation_mode == DiscussionSettings.ModerationMode.FIRST_TIME
        and _is_first_time(user=user, guest_email=guest_email)
    )
    return assess_comment(
        body=body, settings=settings, is_first_time=is_first_time, is_trusted=is_trusted
    )


def _event_by_rule(*, comment: Comment, verdict: Verdict, from_status: str = "") -> None:
    """Log the hold or spam verdict a new (or edited) comment got. The reasons stay in the
    log: the sender is never told which rule caught them."""
    action = Action.SPAM if verdict.status == Comment.Status.SPAM else Action.HOLD
    ModerationEvent.objects.create(
        comment=comment,
        actor=None,
        rule=", ".join(verdict.reasons)[:RULE_MAX_LENGTH],
        action=action,
        from_status=from_status,
        to_status=verdict.status,
    )


def comment_create(
    *,
    post: Post,
    body: str,
    user: User | None = None,
    guest_name: str = "",
    guest_email: str = "",
    parent_id: int | None = None,
    notify_on_reply: bool = False,
    submission_key: str | None = None,
    ip: str = "",
    user_agent: str = "",
) -> Comment:
    """Post a comment on ``post`` as ``user`` or as a guest, and return it.

    Refuses (``CommentRefused``, nothing stored) a post that is not published or closed, a
    guest where accounts are required, an empty, over-long or NUL-carrying body, a missing
    name or e-mail, a parent that is not a published comment of the same post, the same body
    twice from one person, and a second comment within the flood interval. A second submit
    of the same form (same ``submission_key``) returns the first comment instead.

    The moderation policy (``comments.moderation.assess_comment``) sets its status:
    published, pending (held for a moderator) or spam; a held or spam comment gets a
    ``ModerationEvent`` naming the rules, and is returned like any other, so the sender
    learns nothing about why. Notifications are queued, for a published comment only, once
    the transaction commits.
    """
    settings = discussion_settings_get()
    if submission_key:
        earlier = Comment.objects.filter(submission_key=submission_key, post=post).first()
        if earlier is not None:
            return earlier
    if not post_discussion_is_open(post=post, settings=settings):
        raise CommentRefused(_("Comments are closed on this article."), code="closed")
    guest_name, guest_email = _check_commenter(
        user=user, guest_name=guest_name, guest_email=guest_email, settings=settings
    )
    body = _clean_body(body, max_length=settings.max_length)
    parent = _reply_parent(post=post, parent_id=parent_id, settings=settings)
    now = timezone.now()
    hashed_ip = ip_hash(ip)
    _check_not_repeated(
        post=post,
        sender=_same_sender(user=user, guest_email=guest_email, hashed_ip=hashed_ip),
        body=body,
        now=now,
        settings=settings,
    )
    verdict = _assess(body=body, user=user, guest_email=guest_email, settings=settings)
    comment = Comment(
        post=post,
        parent=parent,
        thread=parent.thread if parent else None,
        depth=parent.depth + 1 if parent else 0,
        user=user,
        guest_name=guest_name,
        guest_email=guest_email,
        body=body,
        created_at=now,
        notify_on_reply=notify_on_reply,
        ip_hash=hashed_ip,
        user_agent=user_agent[:USER_AGENT_MAX],
        submission_key=submission_key or None,
        status=verdict.status,
    )
    try:
        with transaction.atomic():
            comment.save()
            if parent is None:
                Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
                comment.thread_id = comment.pk
            if verdict.is_published:
                transaction.on_commit(lambda: _queue_notifications(comment.pk))
            else:
                _event_by_rule(comment=comment, verdict=verdict)
            post_comments_bump(post.pk)
    except IntegrityError:
        # The same form raced in twice; the first one won.
        earlier = Comment.objects.filter(submission_key=submission_key, post=post).first()
        if earlier is None:
            raise
        return earlier
    return comment


def discussion_settings_save(*, settings: DiscussionSettings) -> DiscussionSettings:
    """Store the discussion settings and replace the cached copy, so every app instance
    applies them from the next request."""
    settings.full_clean()
    with transaction.atomic():
        settings.save()
        transaction.on_commit(lambda: cache.delete(SETTINGS_CACHE_KEY))
    cache.delete(SETTINGS_CACHE_KEY)
    return settings


def comment_can_edit(*, comment: Comment, user: User | None, now: datetime | None = None) -> bool:
    """Whether ``user`` may still change ``comment``'s text: only its member author, only
    while it is published or pending, and only for the first few minutes."""
    if user is None or not user.is_authenticated or comment.user_id != user.pk:
        return False
    if comment.status not in (Comment.Status.PUBLISHED, Comment.Status.PENDING):
        return False
    now = now or timezone.now()
    window = timedelta(minutes=django_settings.COMMENT_EDIT_MINUTES)
    return now <= comment.created_at + window


def comment_edit(*, comment: Comment, user: User, body: str) -> Comment:
    """Replace the text of ``user``'s own recent comment and mark it edited.
    Refuses anyone else, a comment past the edit window, and a body the rules refuse."""
    if not comment_can_edit(comment=comment, user=user):
        raise CommentRefused(
            _("You can only edit your own comment, within %(n)s minutes of posting it.")
            % {"n": django_settings.COMMENT_EDIT_MINUTES},
            code="forbidden",
        )
    settings = discussion_settings_get()
    body = _clean_body(body, max_length=settings.max_length)
    if body == comment.body:
        return comment
    # The rules look at the new text too, or an edit could slip past them. Only whether
    # it now breaks one matters; a first-time hold was decided when it was posted.
    verdict = assess_comment(
        body=body, settings=settings, is_first_time=False, is_trusted=user.is_staff
    )
    with transaction.atomic():
        comment.body = body
        comment.edited_at = timezone.now()
        fields = ["body", "edited_at"]
        if verdict.status != Comment.Status.PUBLISHED:
            from_status = comment.status
            comment.status = verdict.status
            fields.append("status")
        comment.save(update_fields=fields)
        if verdict.status != Comment.Status.PUBLISHED:
            _event_by_rule(comment=comment, verdict=verdict, from_status=from_status)
        post_comments_bump(comment.post_id)
    return comment


def comment_unsubscribe(*, comment: Comment) -> Comment:
    """Stop reply notifications for ``comment``. Safe to repeat. Nothing shown changes, so
    the post's comment version stays."""
    Comment.objects.filter(pk=comment.pk).update(notify_on_reply=False)
    comment.notify_on_reply = False
    return comment


def _queue_notifications(comment_id: int) -> None:
    send_comment_notifications.enqueue(comment_id=comment_id)


# --- Moderation ---------------------------------------------------------------
#
# After a comment is posted, only these services change its status. Each one locks the
# comment's row and re-reads its status inside the lock, so two moderators acting at the
# same moment are served one after the other and the second sees the first one's result
# (never a lost update); refuses a change that makes no sense from that status; appends
# one ModerationEvent; bumps the post's comment version; and queues its e-mails for after
# the commit. Moderators never change a comment's text, and nothing here deletes one.


class Action(StrEnum):
    """What a moderation event records (``ModerationEvent.action``)."""

    HOLD = "hold"  # held by a rule when posted
    SPAM = "spam"  # marked spam, by a rule when posted or by a moderator
    HIDE = "hide"
    RESTORE = "restore"
    APPROVE = "approve"
    DISMISS_REPORTS = "dismiss reports"
    PURGE = "purge"


RULE_MAX_LENGTH = ModerationEvent._meta.get_field("rule").max_length


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


def _is_moderator(user: User | None) -> bool:
    # Superusers have every permission; inactive accounts have none.
    return user is not None and user.has_perm("comments.change_comment")


def _require_moderator(user: User | None, *, message: str) -> None:
    if not _is_moderator(user):
        raise ModerationRefused(message, code="forbidden")


def _lock(comment: Comment) -> Comment:
    """The comment's row, read again and locked until the transaction ends."""
    locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if locked is None:
        raise ModerationRefused(_("This comment no longer exists."), code="invalid")
    return locked


def _refuse_unless(locked: Comment, allowed: tuple[str, ...], message: str) -> None:
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


def _set_status(locked: Comment, status: str, *fields: str) -> None:
    locked.status = status
    locked.save(update_fields=["status", *fields])


def _copy(locked: Comment, comment: Comment, *fields: str) -> Comment:
    """Bring the caller's instance up to date with what the service stored."""
    for field in ("status", *fields):
        setattr(comment, field, getattr(locked, field))
    return comment


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
) -> Comment:
    """Hide a published or held comment for breaking ``guideline`` and return it.

    By a moderator: their open reports on it are upheld, and once committed its author (a
    member, or a guest who left an e-mail) is e-mailed the guideline and the start of the
    comment. A moderator may also hide a comment that is already hidden while reports on it
    are still open (one a rule hid pending review): that confirms the hide, with the same
    effects. By a rule (``moderator`` None, ``rule`` such as ``"auto-hide"``): the comment
    is hidden pending review, its reports stay open for a moderator to decide, and nobody is
    e-mailed yet.

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
                (Comment.Status.PUBLISHED, Comment.Status.PENDING),
                _("Only a published or held comment can be hidden; this one is %(status)s."),
            )
        locked.guideline = guideline
        _set_status(locked, Comment.Status.HIDDEN, "guideline")
        if by_person:
            _resolve_open_reports(locked, by=moderator, resolution=Report.Resolution.UPHELD)
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
        if by_person:
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
            (Comment.Status.HIDDEN, Comment.Status.SPAM),
            _("Only a hidden comment or spam can be restored; this one is %(status)s."),
        )
        notify = _never_published(locked)
        _set_status(locked, Comment.Status.PUBLISHED)
        _resolve_open_reports(locked, by=moderator, resolution=Report.Resolution.DISMISSED)
        _record(locked, actor=moderator, action=Action.RESTORE, from_status=before, note=note)
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
        if before == Comment.Status.SPAM:
            raise ModerationRefused(_("This comment is already marked as spam."), code="status")
        _set_status(locked, Comment.Status.SPAM)
        _resolve_open_reports(locked, by=moderator, resolution=Report.Resolution.UPHELD)
        _record(locked, actor=moderator, action=Action.SPAM, from_status=before, note=note)
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
            (Comment.Status.PENDING,),
            _("Only a comment awaiting moderation can be approved; this one is %(status)s."),
        )
        _set_status(locked, Comment.Status.PUBLISHED)
        _record(locked, actor=moderator, action=Action.APPROVE, from_status=before, note=note)
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
        locked.body = ""
        locked.user = None
        locked.guest_name = ""
        locked.guest_email = ""
        locked.ip_hash = ""
        locked.user_agent = ""
        locked.notify_on_reply = False
        erased = (
            "body", "user", "guest_name", "guest_email", "ip_hash", "user_agent",
            "notify_on_reply",
        )  # fmt: skip
        _set_status(locked, Comment.Status.HIDDEN, *erased)
        _resolve_open_reports(locked, by=actor, resolution=Report.Resolution.UPHELD)
        _record(locked, actor=actor, action=Action.PURGE, from_status=before, note=note)
        post_comments_bump(locked.post_id)
    return _copy(locked, comment, *erased)

"""Posting and editing comments, and what they share with moderation: the post's
comment counter and version, bumped in the same transaction as every change."""

from datetime import datetime
from enum import StrEnum

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from blog.models import Post
from comments import rules
from comments.akismet import akismet_check_new, akismet_opinion_record
from comments.models import (
    Comment,
    DiscussionSettings,
    ModerationEvent,
)
from comments.moderation import SPAM_FILTER, Verdict, assess_comment
from comments.modes.rules import holds_every_comment
from comments.rendering import comment_body_html
from comments.selectors.commenters import commenter_is_trusted
from comments.selectors.modes import post_discussion_get
from comments.services.admission import (
    CommentRefused,
    check_commenter,
    check_mode,
    check_network_rate,
    check_not_repeated,
    check_not_suspended,
    earlier_submission,
    normal_body,
    submission_key,
)
from comments.spamfilter.model import Score
from comments.spamfilter.service import assessment_record, new_comment_score, score_explanation
from comments.tasks import send_comment_notifications
from core.pagecache import pages_changed

USER_AGENT_MAX = 255


def ip_hash(ip: str) -> str:
    """A keyed hash of an IP address: enough to spot one sender, useless to anyone without
    the secret key."""
    if not ip:
        return ""
    return salted_hmac("comments.ip", ip, algorithm="sha256").hexdigest()


def _clean_body(body: str, *, max_length: int) -> str:
    body = normal_body(body)
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
    threads are replaced, and the shared pages' version (``update()`` sends no signal).
    Every comment change calls it inside its own transaction. The
    count is what a reader can reach: every published comment shows, under placeholders if
    need be (``rules.comment_shown_as``)."""
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
    pages_changed()


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
    if not rules.comment_takes_replies(status=parent.status):
        raise CommentRefused(
            _("The comment you’re replying to has been removed, so it can’t take replies."),
            code="invalid",
            field="parent",
        )
    while (
        not rules.reply_nests_under(depth=parent.depth, max_depth=settings.max_depth)
        and parent.parent_id is not None
    ):
        parent = parent.parent
    return parent


def _is_first_time(*, user: User | None, guest_email: str) -> bool:
    """Whether the sender has no published comment yet. One query."""
    written = rules.written_by(user=user, guest_email=guest_email)
    return not Comment.objects.published().filter(written).exists()


def _assess(
    *,
    body: str,
    user: User | None,
    guest_name: str,
    guest_email: str,
    settings: DiscussionSettings,
    now: datetime,
    akismet_says_spam: bool = False,
    is_held_discussion: bool = False,
) -> tuple[Verdict, Score | None]:
    """The verdict on a new comment, and the spam filter's score (None for staff, who are
    never held, and while the filter has not learnt enough)."""
    is_trusted = user is not None and user.is_staff
    # Only the first-time mode asks; other modes spare the query.
    is_first_time = (
        not is_trusted
        and settings.moderation_mode == DiscussionSettings.ModerationMode.FIRST_TIME
        and _is_first_time(user=user, guest_email=guest_email)
    )
    score = None
    if not is_trusted:
        score = new_comment_score(
            body=body,
            user=user,
            guest_name=guest_name,
            guest_email=guest_email,
            at=now,
            settings=settings,
        )
    verdict = assess_comment(
        body=body,
        settings=settings,
        is_first_time=is_first_time,
        is_trusted=is_trusted,
        spam_score=score.value if score is not None else None,
        is_trusted_commenter=commenter_is_trusted(user=user, settings=settings, now=now),
        akismet_says_spam=akismet_says_spam,
        is_held_discussion=is_held_discussion,
    )
    return verdict, score


def _event_by_rule(
    *, comment: Comment, verdict: Verdict, from_status: str = "", note: str = ""
) -> None:
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
        note=note,
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
    form_key: str | None = None,
    ip: str = "",
    user_agent: str = "",
    remembered_email: str = "",
) -> Comment:
    """Post a comment on ``post`` as ``user`` or as a guest, and return it.

    Refuses (``CommentRefused``, nothing stored) a post that is not published or closed, a
    guest where accounts are required or the discussion is members only, an empty,
    over-long or NUL-carrying body, a missing name or e-mail, a parent that is not a
    published comment of the same post, the same body twice from one person, a second
    comment from one person within the flood interval or within slow mode's wait (checked
    again under a lock on the post as it is stored, so two sent at once cannot both pass),
    and a guest's comment past the per-network rate (``COMMENTS_PER_IP_PER_MINUTE``). A
    second submit of the same form (same ``form_key``) by the same person with the same
    words in the same place returns the first comment instead (``submission_key``); the
    same on another post is refused. Other people sending the same form key each get their
    own comment. A suspended sender is refused (code ``suspended``; a guest is known by the
    address they give, by ``remembered_email``, the one their browser remembers, and by
    their network).

    The moderation policy (``comments.moderation.assess_comment``) sets its status:
    published, pending (held for a moderator, as every comment is in a held discussion) or
    spam; a held or spam comment gets a ``ModerationEvent`` naming the rules, and is
    returned like any other, so the sender learns nothing about why. Notifications are
    queued, for a published comment only, once the transaction commits.
    """
    now = timezone.now()
    settings, mode = post_discussion_get(post=post, now=now)
    key = (
        submission_key(
            form_key=form_key, user=user, guest_email=guest_email, parent_id=parent_id, body=body
        )
        if form_key
        else None
    )
    earlier = earlier_submission(key=key, post=post)
    if earlier is not None:
        return earlier
    check_mode(post=post, mode=mode, user=user, sender=None, now=now)
    guest_name, guest_email = check_commenter(
        user=user, guest_name=guest_name, guest_email=guest_email, settings=settings
    )
    hashed_ip = ip_hash(ip)
    check_not_suspended(user=user, emails=(guest_email, remembered_email), hashed_ip=hashed_ip)
    body = _clean_body(body, max_length=settings.max_length)
    parent = _reply_parent(post=post, parent_id=parent_id, settings=settings)
    sender = rules.written_by(user=user, guest_email=guest_email)
    check_not_repeated(post=post, sender=sender, body=body, now=now, settings=settings)
    check_mode(post=post, mode=mode, user=user, sender=sender, now=now)
    # Last, so only a comment that would otherwise be stored counts against the network.
    check_network_rate(user=user, hashed_ip=hashed_ip)
    # Outside the transaction: a slow answer holds no lock (and is cut short).
    opinion = akismet_check_new(
        post=post,
        body=body,
        user=user,
        guest_name=guest_name,
        guest_email=guest_email,
        ip=ip,
        user_agent=user_agent,
    )
    verdict, score = _assess(
        body=body,
        user=user,
        guest_name=guest_name,
        guest_email=guest_email,
        settings=settings,
        now=now,
        akismet_says_spam=opinion is not None and opinion.says_spam,
        is_held_discussion=holds_every_comment(mode),
    )
    comment = Comment(
        post=post,
        parent=parent,
        thread_id=parent.thread_id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        user=user,
        guest_name=guest_name,
        guest_email=guest_email,
        body=body,
        body_html=comment_body_html(body),
        created_at=now,
        notify_on_reply=notify_on_reply,
        ip_hash=hashed_ip,
        # A NUL is no part of any browser's name, and PostgreSQL would refuse the row.
        user_agent=user_agent.replace("\x00", "")[:USER_AGENT_MAX],
        submission_key=key,
        status=verdict.status,
    )
    try:
        with transaction.atomic():
            if mode.slow_minutes:
                # One comment of a person at a time under slow mode: the second waits for
                # the post's row, then sees the first (SQLite writes one at a time anyway).
                list(Post.objects.select_for_update().filter(pk=post.pk).values_list("pk"))
            comment.save()
            if mode.slow_minutes:
                check_mode(
                    post=post, mode=mode, user=user, sender=sender, now=now, excluding=comment.pk
                )
            if parent is None:
                Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
                comment.thread_id = comment.pk
            note = ""
            if score is not None:
                assessment_record(comment=comment, score=score, settings=settings)
                if SPAM_FILTER in verdict.reasons:
                    note = score_explanation(score=score, settings=settings)
            if opinion is not None:
                # The log shows both opinions beside the verdict they led to.
                akismet_opinion_record(comment=comment, opinion=opinion)
                note = "; ".join(filter(None, [note, f"Akismet: {opinion.explanation}"]))
            if verdict.is_published:
                transaction.on_commit(lambda: _queue_notifications(comment.pk))
            else:
                _event_by_rule(comment=comment, verdict=verdict, note=note)
            post_comments_bump(post.pk)
    except IntegrityError:
        # Another request stored its comment between the checks above and this one: the
        # same form sent twice at once (the unique key let the first through), or, rarer,
        # the parent purged meanwhile. Nothing of this one was stored.
        earlier = earlier_submission(key=key, post=post)
        if earlier is None:
            raise CommentRefused(
                _(
                    "The discussion changed while your comment was on its way, so it wasn’t "
                    "saved. Please send it again."
                ),
                code="conflict",
            ) from None
        return earlier
    return comment


def discussion_settings_save(*, settings: DiscussionSettings) -> DiscussionSettings:
    """Store the discussion settings; every app instance applies them from its next
    request (``discussion_settings_get`` reads them from the database)."""
    settings.full_clean()
    settings.save()
    return settings


def comment_can_edit(*, comment: Comment, user: User | None, now: datetime | None = None) -> bool:
    """Whether ``user`` may still change ``comment``'s text: only its member author, only
    while it is published or pending, and only for the first few minutes."""
    return rules.comment_is_editable(
        author_id=comment.user_id,
        viewer_id=user.pk if user is not None and user.is_authenticated else None,
        status=comment.status,
        created_at=comment.created_at,
        now=now or timezone.now(),
    )


def comment_edit(*, comment: Comment, user: User, body: str) -> Comment:
    """Replace the text of ``user``'s own recent comment and mark it edited.
    Refuses anyone else, a comment past the edit window, a suspended member, and a body
    the rules refuse."""
    if not comment_can_edit(comment=comment, user=user):
        raise CommentRefused(
            _("You can only edit your own comment, within %(n)s minutes of posting it.")
            % {"n": django_settings.COMMENT_EDIT_MINUTES},
            code="forbidden",
        )
    check_not_suspended(user=user, emails=(), hashed_ip="")
    settings, mode = post_discussion_get(post=comment.post)
    body = _clean_body(body, max_length=settings.max_length)
    if body == comment.body:
        return comment
    # The rules look at the new text too, or an edit could slip past them. Only whether
    # it now breaks one matters; a first-time hold was decided when it was posted. In a
    # held discussion the new text waits for a moderator, as a new comment would.
    now = timezone.now()
    verdict = assess_comment(
        body=body,
        settings=settings,
        is_first_time=False,
        is_trusted=user.is_staff,
        is_trusted_commenter=commenter_is_trusted(user=user, settings=settings, now=now),
        is_held_discussion=holds_every_comment(mode),
    )
    with transaction.atomic():
        comment.body = body
        comment.body_html = comment_body_html(body)
        comment.edited_at = now
        fields = ["body", "body_html", "edited_at"]
        if verdict.status != Comment.Status.PUBLISHED:
            from_status = comment.status
            comment.status = verdict.status
            fields.append("status")
        comment.save(update_fields=fields)
        if verdict.status != Comment.Status.PUBLISHED:
            _event_by_rule(comment=comment, verdict=verdict, from_status=from_status)
        post_comments_bump(comment.post_id)
    return comment


def _queue_notifications(comment_id: int) -> None:
    send_comment_notifications.enqueue(comment_id=comment_id)


class Action(StrEnum):
    """What a moderation event records (``ModerationEvent.action``)."""

    HOLD = "hold"  # held by a rule when posted
    SPAM = "spam"  # marked spam, by a rule when posted or by a moderator
    HIDE = "hide"
    RESTORE = "restore"
    APPROVE = "approve"
    DISMISS_REPORTS = "dismiss reports"
    PURGE = "purge"
    UPHOLD = "uphold"  # a removal upheld on appeal


RULE_MAX_LENGTH = ModerationEvent._meta.get_field("rule").max_length

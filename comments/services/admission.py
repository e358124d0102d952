"""Whether a comment may be posted now, before anything is stored: who may comment at all
(``commenter_refusal``), a suspended sender, the discussion's mode in force, the same form
sent twice, a repeated text, flood control and the per-network rate. Each check raises
``CommentRefused`` with the message the sender reads; ``comments.services.posting`` runs
them in order."""

import hashlib
import json
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.ratelimit import rate_limit
from blog.models import Post
from comments.models import Comment, DiscussionSettings
from comments.modes.rules import DiscussionMode, mode_refusal
from comments.modes.wording import refusal_message
from comments.selectors.modes import last_comment_at_by
from comments.selectors.suspensions import suspension_active_for, suspension_notice


class CommentRefused(Exception):
    """A comment the rules do not accept. ``code`` tells the view how to answer;
    ``field`` names the form field the message belongs to, if any."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


def normal_body(body: str) -> str:
    """The text as stored: one kind of line break, no space around it."""
    return body.replace("\r\n", "\n").replace("\r", "\n").strip()


def submission_key(
    *, form_key: str, user: User | None, guest_email: str, parent_id: int | None, body: str
) -> str:
    """What makes one sending of a comment form the same as another: the form's one-time
    key, who sends it (a member's id, or a guest's e-mail address in any case), the comment
    it answers and the text. A second submit of one form by one person (a double click,
    the "not posted yet" page sending it again) gives the same value; two guests sending
    one shared cached page's form (the same key) give two. The stored ``submission_key``;
    a sha256 in hex, 64 characters."""
    sender = f"user:{user.pk}" if user is not None else f"guest:{guest_email.strip().lower()}"
    parts = [form_key, sender, parent_id, normal_body(body)]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def earlier_submission(*, key: str | None, post: Post) -> Comment | None:
    """The comment this same sending (its ``submission_key``) already posted, which a
    second submit of it gets back instead of posting again. The same form and words from
    the same person on another article are refused: the form was copied, not sent twice.
    One query."""
    if key is None:
        return None
    earlier = Comment.objects.filter(submission_key=key).first()
    if earlier is None or earlier.post_id == post.pk:
        return earlier
    raise CommentRefused(
        _(
            "This form has already been used to send a comment. Please reload the page and "
            "send yours again."
        ),
        code="used",
    )


def check_not_repeated(
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


def check_mode(
    *,
    post: Post,
    mode: DiscussionMode,
    user: User | None,
    sender: Q | None,
    now: datetime,
    excluding: int | None = None,
) -> None:
    """Refuse what the discussion's mode in force refuses (``modes.rules.mode_refusal``):
    anything when closed, a guest's comment when members only, and, once ``sender`` (the
    comments of the person sending) is known, a second comment within slow mode's wait.
    ``excluding``: the comment being stored, left out of the count."""
    is_staff = user is not None and user.is_staff
    last_comment_at = (
        last_comment_at_by(post=post, sender=sender, excluding=excluding)
        if sender is not None and mode.slow_minutes and not is_staff
        else None
    )
    refusal = mode_refusal(
        mode=mode,
        is_member=user is not None,
        is_staff=is_staff,
        last_comment_at=last_comment_at,
        now=now,
    )
    if refusal is not None:
        message = refusal_message(refusal, mode=mode, now=now)
        raise CommentRefused(message, code=refusal.code)


def commenter_refusal(*, user: User | None, settings: DiscussionSettings) -> CommentRefused | None:
    """Why ``user`` (None for a guest) may not comment at all, or None when they may: an
    inactive account, a member who has not confirmed their e-mail address (code
    ``unverified``), a guest where the settings require an account. ``comment_create``
    refuses with it; the post page offers the form only to those it lets through."""
    if user is not None:
        if not user.is_active:
            return CommentRefused(_("This account can’t comment."), code="forbidden")
        if not user.can_comment:
            return CommentRefused(
                _("Please confirm your e-mail address to comment."), code="unverified"
            )
        return None
    if not settings.guests_allowed:
        return CommentRefused(_("Please sign in to comment."), code="forbidden")
    return None


def check_commenter(
    *, user: User | None, guest_name: str, guest_email: str, settings: DiscussionSettings
) -> tuple[str, str]:
    refusal = commenter_refusal(user=user, settings=settings)
    if refusal is not None:
        raise refusal
    if user is not None:
        return "", ""
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


def check_not_suspended(*, user: User | None, emails: tuple[str, ...], hashed_ip: str) -> None:
    """Refuse a suspended sender with what they are told where the form would be (who a
    suspension covers: ``selectors.suspensions.suspension_matching``). One query."""
    suspension = suspension_active_for(user=user, emails=emails, ip_hash=hashed_ip)
    if suspension is not None:
        raise CommentRefused(suspension_notice(suspension), code="suspended")


def check_network_rate(*, user: User | None, hashed_ip: str) -> None:
    """Refuse a guest's comment once their network (hashed IP address) has sent more than
    ``COMMENTS_PER_IP_PER_MINUTE`` guest comments in a minute. Looser than the flood
    interval, which is per person, so people sharing an address are not held back by each
    other, while one sender giving a new e-mail address each time is. Members are counted
    by their account only: a confirmed address is not thrown away so easily."""
    if user is not None or not hashed_ip:
        return
    limit = django_settings.COMMENTS_PER_IP_PER_MINUTE
    wait = rate_limit("comments:ip", hashed_ip, limit=limit, seconds=60)
    if wait:
        raise CommentRefused(
            _(
                "More comments have come from your network in the last minute than we accept "
                "from one connection. Please wait %(n)s seconds and send yours again."
            )
            % {"n": wait},
            code="rate",
        )

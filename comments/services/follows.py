"""Following a post's discussion by e-mail: a member starts and stops with one click, a
guest asks with their address and follows once they open the link e-mailed to it (nothing
is stored before). The digests themselves are ``comments.follows.digest``'s."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services.registration import TooManyEmails, account_email_limit
from blog.models import Post
from comments.follows.mail import FollowRequest
from comments.follows.models import DiscussionFollow
from comments.selectors.follows import followed_comment_newest
from comments.selectors.modes import post_discussion_get
from comments.tasks import send_follow_confirmation


class FollowRefused(Exception):
    """Why a follow was not started; ``message`` is for the person who asked. ``code``:
    ``closed`` (the discussion takes no comments), ``unverified`` (a member whose address
    is not confirmed), ``gone`` (the article is not published), ``too_many`` (e-mail
    limits)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def follow_refusal(*, post: Post) -> FollowRefused | None:
    """Why nobody may start following ``post`` now, or None: an article readers cannot see,
    or a discussion that takes no comments (there will be nothing new to send). Stopping is
    always allowed."""
    if not post.is_published:
        return FollowRefused(_("That article isn’t available."), code="gone")
    _settings, mode = post_discussion_get(post=post)
    if not mode.accepts_comments:
        return FollowRefused(
            _("This discussion is closed, so there will be no new comments to send you."),
            code="closed",
        )
    return None


def normalised_address(email: str) -> str:
    """A follower's address as stored and compared: trimmed, in lower case."""
    return email.strip().lower()


def follow_member(*, post: Post, user: User) -> DiscussionFollow:
    """Make ``user`` follow ``post``'s discussion from now on (comments already there are
    not sent) and return the follow; following again returns the same one. Refuses a
    member whose address is not confirmed (``User.can_comment``: the address we may write
    to) and what ``follow_refusal`` refuses."""
    if not user.can_comment:
        raise FollowRefused(
            _("Please confirm your e-mail address to follow discussions."), code="unverified"
        )
    refusal = follow_refusal(post=post)
    if refusal is not None:
        raise refusal
    return _follow(post_id=post.pk, user=user, email="")


def follow_request(*, post: Post, email: str, ip: str) -> None:
    """A guest asks to follow ``post``'s discussion at ``email``: the task worker sends the
    address the one e-mail it gets before it is confirmed, with the confirmation link (none
    if it already follows; the person asking is told the same either way). Counted against
    the site's hourly e-mail limits per address and per IP address, like sign-up e-mails;
    refuses past them, and what ``follow_refusal`` refuses. Stores nothing."""
    refusal = follow_refusal(post=post)
    if refusal is not None:
        raise refusal
    address = normalised_address(email)
    try:
        account_email_limit(email=address, ip=ip)
    except TooManyEmails as error:
        raise FollowRefused(error.message, code="too_many") from None
    send_follow_confirmation.enqueue(post_id=post.pk, email=address)


def follow_request_post(*, request: FollowRequest) -> Post:
    """The article a guest's confirmation link is for, if it may still be followed. Refuses
    an article that is gone or no longer published, and a discussion closed since."""
    post = Post.objects.filter(pk=request.post_id).first()
    if post is None:
        raise FollowRefused(_("That article isn’t available any more."), code="gone")
    refusal = follow_refusal(post=post)
    if refusal is not None:
        raise refusal
    return post


def follow_confirm(*, request: FollowRequest) -> DiscussionFollow:
    """Start the follow a guest's confirmation link asks for and return it; the same one
    when it was confirmed before. Refuses what ``follow_request_post`` refuses."""
    post = follow_request_post(request=request)
    return _follow(post_id=post.pk, user=None, email=normalised_address(request.email))


def _follow(*, post_id: int, user: User | None, email: str) -> DiscussionFollow:
    existing = DiscussionFollow.objects.filter(post_id=post_id, user=user, email=email).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return DiscussionFollow.objects.create(
                post_id=post_id,
                user=user,
                email=email,
                confirmed_at=timezone.now(),
                seen_through=followed_comment_newest(post_id=post_id),
            )
    except IntegrityError:  # the same follow started at the same moment (a double click)
        return DiscussionFollow.objects.get(post_id=post_id, user=user, email=email)


def follow_stop(*, follow_id: int) -> DiscussionFollow | None:
    """Stop follow ``follow_id`` (from the link in its e-mails) and return it as it was, or
    None when it was stopped already. Safe to repeat."""
    follow = DiscussionFollow.objects.select_related("post").filter(pk=follow_id).first()
    if follow is not None:
        follow.delete()
    return follow


def follow_stop_member(*, post: Post, user: User) -> bool:
    """Stop ``user`` following ``post``; whether they were. Safe to repeat."""
    deleted, _rows = DiscussionFollow.objects.filter(post=post, user=user).delete()
    return bool(deleted)


def member_follows_stop(*, user: User) -> int:
    """Stop every follow of ``user`` (their account is closing); how many there were."""
    deleted, _rows = DiscussionFollow.objects.filter(user=user).delete()
    return deleted

"""The digests of a followed discussion, worked out and sent by the task worker
(``comments.tasks``).

When a comment becomes public (posted, approved, or restored before anyone was told), the
task worker records it as a ``FollowedComment`` of its post if anyone follows the post, and
gives every follower with nothing pending a ``digest_due_at`` one digest period
(``COMMENT_FOLLOW_DIGEST_MINUTES``) away, with a task to run then. Nobody's due time moves
while one is pending, and it is set again only after their digest went, so a follower gets
at most one e-mail a period, and moderators have a period to remove a comment before it
goes out.

The digest task sends each due follower the comments recorded after their ``seen_through``
that are still published and that they did not write, then moves ``seen_through`` past
everything it read: run twice, it sends nothing the second time. Its queries are the same
few whatever the number of followers or comments.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from comments.follows.mail import digest_message
from comments.follows.models import DiscussionFollow, FollowedComment
from comments.models import Comment
from comments.notifications import wrote_comment


def digest_period() -> timedelta:
    """The least time between two digests to one follower."""
    return timedelta(minutes=settings.COMMENT_FOLLOW_DIGEST_MINUTES)


def follow_address(follow: DiscussionFollow) -> str:
    """Where ``follow``'s digests go: a guest's confirmed address, or the member's current
    one; "" for a member whose account is deactivated or closed."""
    if follow.user_id is None:
        return follow.email
    user = follow.user
    if not user.is_active or user.deleted_at is not None:
        return ""
    return user.email


def follow_digest_schedule(
    *, comment_id: int, now: datetime | None = None, deferred: bool = True
) -> tuple[int, datetime] | None:
    """Record comment ``comment_id`` for its post's followers and return ``(post_id, due)``
    when a digest task must be queued for ``due``; None when the comment is not published,
    nobody follows its post, it was recorded already, or every follower has a digest
    pending. ``deferred`` False (a task backend that runs tasks at once) makes the digest
    due now. Call it inside a transaction that queues the task, so neither is kept alone."""
    now = now or timezone.now()
    post_id = (
        Comment.objects.filter(pk=comment_id, status=Comment.Status.PUBLISHED)
        .values_list("post_id", flat=True)
        .first()
    )
    if post_id is None:
        return None
    # Locked until the transaction ends, so a digest being sent for the post cannot read
    # the followers before this comment is recorded and move them past it afterwards.
    followers = DiscussionFollow.objects.filter(post_id=post_id)
    if not list(followers.select_for_update().values_list("pk", flat=True)):
        return None
    recorded = FollowedComment.objects.filter(comment_id=comment_id)
    if recorded.exists():
        return None
    # bulk_create sends no post_save: recording changes nothing a page shows, so it does
    # not move the shared pages' version (core.receivers).
    FollowedComment.objects.bulk_create(
        [FollowedComment(post_id=post_id, comment_id=comment_id, published_at=now)]
    )
    due = now + digest_period() if deferred else now
    if not followers.filter(digest_due_at__isnull=True).update(digest_due_at=due):
        return None
    return post_id, due


def follow_digests_send(*, post_id: int, now: datetime | None = None) -> int:
    """Send the digests of ``post_id``'s followers that are due and return how many went.

    A follower gets the comments recorded since their last digest that are still published
    (hidden or spam meanwhile: left out), less their own; none at all while the post is not
    published, or when their account is deactivated. Every follower it looked at is moved
    past the comments it read and has nothing pending afterwards. Sends in the transaction
    that records it: if the mail server refuses, nothing is recorded and the task's retry
    sends them again. Four queries whatever the number of followers and comments."""
    now = now or timezone.now()
    with transaction.atomic():
        follows = list(
            DiscussionFollow.objects.select_for_update(of=("self",))
            .select_related("post", "user")
            .filter(post_id=post_id, digest_due_at__lte=now)
            .order_by("pk")
        )
        if not follows:
            return 0
        entries = list(
            FollowedComment.objects.filter(
                post_id=post_id, pk__gt=min(follow.seen_through for follow in follows)
            )
            .select_related("comment__user")
            .order_by("pk")
        )
        newest = entries[-1].pk if entries else 0
        live = follows[0].post.is_published
        messages, sent = [], []
        for follow in follows:
            address = follow_address(follow)
            comments = [
                entry.comment
                for entry in entries
                if entry.pk > follow.seen_through
                and entry.comment.status == Comment.Status.PUBLISHED
                and not wrote_comment(
                    comment=entry.comment, user_id=follow.user_id, address=address
                )
            ]
            if live and address and comments:
                messages.append(digest_message(follow=follow, address=address, comments=comments))
                sent.append(follow.pk)
        if messages:
            mailers.default.send_messages(messages)
        looked_at = DiscussionFollow.objects.filter(pk__in=[follow.pk for follow in follows])
        looked_at.update(seen_through=Greatest(F("seen_through"), newest), digest_due_at=None)
        if sent:
            DiscussionFollow.objects.filter(pk__in=sent).update(last_sent_at=now)
    return len(messages)

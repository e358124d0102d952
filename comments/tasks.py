"""Background work for comments: e-mails never block a request, nor does the spam filter's
learning from settled comments, nor what moderators' decisions tell Akismet. The services
queue these once their transaction commits; ``comments.notifications`` writes the e-mails,
and ``comments.follows`` the digests of followed discussions."""

from datetime import datetime

from django.core.mail import mailers
from django.db import transaction
from django.tasks import task

from blog.models import Post
from comments.akismet import akismet_submit, feedback_for
from comments.follows.digest import follow_digest_schedule, follow_digests_send
from comments.follows.mail import confirmation_message
from comments.follows.models import DiscussionFollow
from comments.models import Appeal, Comment, CommentAssessment
from comments.notifications import (
    appeal_decision_message,
    comment_hidden_message,
    comment_notifications_send,
)
from comments.spamfilter import service as spamfilter_service
from core.mail import retry_on_mail_errors


@task
@retry_on_mail_errors
def send_comment_notifications(*, comment_id: int) -> int:
    """E-mail the people who asked to hear about comment ``comment_id`` and return how many
    e-mails went out (none if the comment is gone or not published); and record it for the
    digests of those following its discussion (``schedule_follow_digest``; a retry finds it
    recorded). Addresses are not returned: a database backend stores the result."""
    comment = (
        Comment.objects.select_related("post__author", "user", "parent__user")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    schedule_follow_digest(comment_id=comment.pk)
    return len(comment_notifications_send(comment=comment))


@task
@retry_on_mail_errors
def send_comment_hidden_email(*, comment_id: int) -> int:
    """Tell the author of comment ``comment_id`` that a moderator hid it: which guideline it
    broke (number, title and a link to it) and the start of the comment. Returns how many
    e-mails went out: none if the comment is gone, no longer hidden (restored meanwhile),
    has no guideline or no address, or its member's account is deactivated."""
    comment = (
        Comment.objects.select_related("post", "user", "guideline").filter(pk=comment_id).first()
    )
    if (
        comment is None
        or comment.status != Comment.Status.HIDDEN
        or comment.guideline is None
        or not comment.author_email
        or (comment.user is not None and not comment.user.is_active)
    ):
        return 0
    mailers.default.send_messages([comment_hidden_message(comment)])
    return 1


@task
def learn_settled_comments() -> int:
    """Teach the spam filter that the comments published a week ago and never reported or
    hidden are legitimate, a batch at a time until none is left (or ten batches: the next
    run goes on). Queued by the moderation services at most once an hour; returns how many
    were learnt."""
    learnt = 0
    for _ in range(10):
        batch = spamfilter_service.settled_learn()
        learnt += batch
        if batch < spamfilter_service.SETTLE_BATCH:
            break
    return learnt


@task
@retry_on_mail_errors
def send_appeal_decision_email(*, appeal_id: int) -> int:
    """Tell the author of appeal ``appeal_id`` what a moderator decided (restored, or the
    removal upheld) and the moderator's note. Returns how many e-mails went out: none if the
    appeal is gone or still open, the comment has no address, or its member's account is
    deactivated."""
    appeal = (
        Appeal.objects.select_related("comment__post", "comment__user").filter(pk=appeal_id).first()
    )
    if appeal is None or appeal.decision == Appeal.Decision.OPEN:
        return 0
    comment = appeal.comment
    if not comment.author_email or (comment.user is not None and not comment.user.is_active):
        return 0
    mailers.default.send_messages([appeal_decision_message(appeal)])
    return 1


@task
def send_akismet_feedback(*, comment_id: int, is_spam: bool) -> str:
    """Tell Akismet a moderator's decision on comment ``comment_id`` where Akismet got it
    wrong (``comments.akismet.feedback_for``): ``"spam"`` or ``"ham"`` when sent,
    ``"agreed"`` when there was nothing to tell, ``"undone"`` when the decision was undone
    meanwhile (or the comment is gone or erased), ``"failed"`` when Akismet did not take
    it (logged; the decision stands)."""
    comment = Comment.objects.select_related("user").filter(pk=comment_id).first()
    if comment is None or not comment.body:
        return "undone"
    published = comment.status == Comment.Status.PUBLISHED
    if published == is_spam:
        return "undone"
    judged = (
        CommentAssessment.objects.filter(comment=comment, source=CommentAssessment.Source.AKISMET)
        .values_list("verdict", flat=True)
        .first()
    )
    feedback = feedback_for(is_spam=is_spam, akismet_verdict=judged)
    if feedback is None:
        return "agreed"
    return feedback if akismet_submit(comment=comment, as_spam=feedback == "spam") else "failed"


@task
@retry_on_mail_errors
def send_follow_confirmation(*, post_id: int, email: str) -> int:
    """Send ``email`` the link that confirms it follows post ``post_id``; returns how many
    e-mails went out: none when the address follows the post already or the article is no
    longer published. Queued by ``comments.services.follows.follow_request``."""
    post = Post.objects.published().filter(pk=post_id).first()
    if post is None or DiscussionFollow.objects.filter(post=post, email=email).exists():
        return 0
    mailers.default.send_messages([confirmation_message(post=post, email=email)])
    return 1


def schedule_follow_digest(*, comment_id: int) -> datetime | None:
    """Record comment ``comment_id``, just made public, for its post's followers and, when
    some have no digest pending, queue ``send_follow_digest`` for one digest period from now
    (at once on a backend that cannot wait), in the same transaction
    (``comments.follows.digest.follow_digest_schedule``), so neither is kept without the
    other. Returns when that digest is due, or None when none was queued. Run by
    ``send_comment_notifications``: one task for everything a new comment tells people."""
    deferred = send_follow_digest.get_backend().supports_defer
    with transaction.atomic():
        scheduled = follow_digest_schedule(comment_id=comment_id, deferred=deferred)
        if scheduled is None:
            return None
        post_id, due = scheduled
        digest = send_follow_digest.using(run_after=due) if deferred else send_follow_digest
        digest.enqueue(post_id=post_id)
    return due


@task
@retry_on_mail_errors
def send_follow_digest(*, post_id: int) -> int:
    """Send the digests of post ``post_id``'s followers that are due and return how many
    went (``comments.follows.digest.follow_digests_send``). Safe to run twice: the second
    run finds nothing new."""
    return follow_digests_send(post_id=post_id)

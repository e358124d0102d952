"""Background work for comments: e-mails never block a request, nor does the spam filter's
learning from settled comments, nor what moderators' decisions tell Akismet. The services
queue these once their transaction commits; ``comments.notifications`` writes the e-mails."""

from django.core.mail import mailers
from django.tasks import task

from comments.akismet import akismet_submit, feedback_for
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
    e-mails went out (none if the comment is gone or not published). Addresses are not
    returned: a database backend stores the result."""
    comment = (
        Comment.objects.select_related("post__author", "user", "parent__user")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
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

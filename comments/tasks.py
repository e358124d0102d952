"""Background work for comments: e-mails never block a request."""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator

from comments.models import Comment
from comments.notifications import comment_notifications_send

HIDDEN_EXCERPT_CHARS = 300


@task
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
    mailers.default.send_messages([_comment_hidden_message(comment)])
    return 1


def _comment_hidden_message(comment: Comment) -> EmailMessage:
    guideline = comment.guideline
    context = {
        "site_name": settings.SITE_NAME,
        "recipient_name": comment.author_name,
        "post_title": comment.post.title,
        "post_url": settings.SITE_URL + comment.post.get_absolute_url(),
        "excerpt": Truncator(comment.body).chars(HIDDEN_EXCERPT_CHARS),
        "guideline_number": guideline.number,
        "guideline_title": guideline.title,
        "guideline_url": settings.SITE_URL + guideline.get_absolute_url(),
    }
    # Sent from a worker, outside any request: use the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("comments/email/comment_hidden_subject.txt", context)
        body = render_to_string("comments/email/comment_hidden.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[comment.author_email],
        headers={"Auto-Submitted": "auto-generated"},
    )

"""Background work for comments: e-mails never block a request."""

from django.tasks import task

from comments.models import Comment


@task
def send_comment_notifications(*, comment_id: int) -> int:
    """E-mail the people who asked to hear about comment ``comment_id`` and return how many
    e-mails went out (none if the comment is gone or not published). Addresses are not
    returned: a database backend stores the result."""
    # comments.services queues this task, and notifications use those services.
    from comments.notifications import comment_notifications_send

    comment = (
        Comment.objects.select_related("post__author", "user", "parent__user")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    return len(comment_notifications_send(comment=comment))

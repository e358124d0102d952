"""Background work for comments: e-mails never block a request."""

from django.tasks import task


@task
def send_comment_notifications(*, comment_id: int) -> None:
    """E-mail the people who asked to hear about ``comment_id``. Filled in by notifications."""

"""Background work for the blog: the e-mails of review before publishing. ``blog.review``
queues them once a step is committed; the task reads the step back, since the world may
have changed by the time a worker runs it."""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.mail import mailers
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts.models import User
from blog.models import PostReviewEvent
from core.mail import plain_message, retry_on_mail_errors

Step = PostReviewEvent.Step


def review_editors(*, besides: User | None = None) -> list[User]:
    """The active people who may approve posts (given the publish permission through a role
    or in person) and have an address, but not ``besides``: whoever is told a post waits."""
    permission = Permission.objects.filter(
        content_type__app_label="blog", codename="publish_post"
    ).first()
    editors = (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    if besides is not None:
        editors = editors.exclude(pk=besides.pk)
    return list(editors)


@task
@retry_on_mail_errors
def send_review_email(*, event_id: int) -> int:
    """Tell the other side about review step ``event_id``: every editor that a post was
    submitted; its author that it was published, scheduled or sent back (with the editor's
    comment). Nobody is told of their own step. Returns how many e-mails went out: none
    if the step is gone or its post's state has moved on since (a later step tells)."""
    event = PostReviewEvent.objects.select_related("post__author", "by").filter(pk=event_id).first()
    if event is None or event.step == Step.WITHDRAWN:
        return 0
    post = event.post
    if post.review_events.filter(pk__gt=event.pk).exists():
        return 0  # Withdrawn, decided or submitted again before the worker got here.
    if event.step == Step.SUBMITTED:
        recipients = review_editors(besides=event.by)
    else:
        author = post.author
        told = author.is_active and author.email and author.pk != event.by_id
        recipients = [author] if told else []
    context = {
        "site_name": settings.SITE_NAME,
        "post_title": post.title,
        "by_name": event.by.public_name if event.by else "",
        "comment": event.comment,
        "admin_url": settings.SITE_URL + reverse("admin:blog_post_change", args=[post.pk]),
        "post_url": settings.SITE_URL + post.get_absolute_url(),
        "publish_at": (
            date_format(timezone.localtime(event.publish_at), "j F Y, H:i")
            if event.publish_at
            else ""
        ),
    }
    messages = [
        plain_message(
            f"blog/email/review_{event.step}",
            {**context, "recipient_name": person.public_name},
            to=person.email,
        )
        for person in recipients
    ]
    if messages:
        mailers.default.send_messages(messages)
    return len(messages)

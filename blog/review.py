"""Review before publishing: the only code that moves a post through review.

A contributor submits a draft; an editor approves it (publishing it now or scheduling it)
or sends it back with a comment saying what to change; the contributor may withdraw a
post still waiting, to change it. Each step is one transaction that locks the post, checks
the state it finds, logs a ``PostReviewEvent`` and, once committed, queues the e-mail that
tells the other side (``blog.tasks.send_review_email``). A step the post's state does not
allow is refused with a ValidationError saying why, and nothing changes.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from accounts.models import User
from blog.models import REVIEW_COMMENT_MAX_LENGTH, Post, PostReviewEvent
from blog.rules import post_may_edit, user_may_publish
from blog.services import post_publish
from blog.tasks import send_review_email

Step = PostReviewEvent.Step
ReviewState = Post.ReviewState


def _locked(post: Post) -> Post:
    """``post`` read again under a row lock, so two people acting at once take turns and the
    second one sees what the first did."""
    fresh = Post.objects.select_for_update().get(pk=post.pk)
    for field in ("status", "published_at", "review_state", "submitted_at"):
        setattr(post, field, getattr(fresh, field))
    return post


def _log(post: Post, step: str, by: User, *, tell: bool = True, **fields) -> PostReviewEvent:
    event = PostReviewEvent.objects.create(post=post, step=step, by=by, **fields)
    if tell and step != Step.WITHDRAWN:  # the author's own step; nobody needs telling
        transaction.on_commit(lambda: send_review_email.enqueue(event_id=event.pk))
    return event


def _refuse_unless_draft(post: Post) -> None:
    if post.status == Post.Status.PUBLISHED:
        if post.is_scheduled:
            raise ValidationError(_("This post is already scheduled for publication."))
        raise ValidationError(_("This post is already published."))


def _refuse_unless_waiting(post: Post) -> None:
    if post.review_state != ReviewState.WAITING:
        raise ValidationError(
            _("This post is not waiting for review (someone may have dealt with it already).")
        )


@transaction.atomic
def review_submit(*, post: Post, by: User, tell: bool = True) -> PostReviewEvent:
    """Put the draft ``post`` in the editors' review queue, as ``by`` (who may edit it), and
    e-mail the editors unless ``tell`` is False (the demo content, which nobody wrote).

    Refuses a post ``by`` may not change, a post already published or scheduled, one already
    waiting, and one with no title or no text in its body."""
    post = _locked(post)
    if post.review_state == ReviewState.WAITING:
        raise ValidationError(_("This post is already waiting for review."))
    _refuse_unless_draft(post)
    if not post_may_edit(by, post):
        raise ValidationError(_("Only the post’s author or an editor can submit it for review."))
    missing = [
        label
        for label, empty in (
            (_("a title"), not post.title.strip()),
            (_("some text in the body"), not strip_tags(post.body or "").strip()),
        )
        if empty
    ]
    if missing:
        raise ValidationError(
            _("Please give the post %(missing)s before submitting it for review.")
            % {"missing": _(" and ").join(missing)}
        )
    now = timezone.now()
    post.review_state, post.submitted_at = ReviewState.WAITING, now
    post.save(update_fields=["review_state", "submitted_at", "updated_at"])
    return _log(post, Step.SUBMITTED, by, tell=tell, at=now)


@transaction.atomic
def review_approve(*, post: Post, by: User, at: datetime | None = None) -> PostReviewEvent:
    """Approve the waiting ``post`` as the editor ``by``: publish it now, or schedule it for
    ``at`` (a time to come) through ``post_publish``.

    Refuses someone who may not publish, a post not waiting for review, a time that has
    passed, and whatever ``post_publish`` refuses (a slug taken that day)."""
    if not user_may_publish(by):
        raise ValidationError(_("Only editors can approve a post."))
    post = _locked(post)
    _refuse_unless_waiting(post)
    now = timezone.now()
    if at is not None and at <= now:
        raise ValidationError(
            _("Please choose a publication time in the future, or leave it empty to publish now.")
        )
    post.review_state, post.submitted_at = ReviewState.NONE, None
    post_publish(post=post, at=at, by=by)
    step = Step.SCHEDULED if at is not None else Step.PUBLISHED
    return _log(post, step, by, publish_at=post.published_at, at=now)


@transaction.atomic
def review_send_back(*, post: Post, by: User, comment: str) -> PostReviewEvent:
    """Return the waiting ``post`` to its author as the editor ``by``, with ``comment``
    saying what to change (plain text, required, at most ``REVIEW_COMMENT_MAX_LENGTH``
    characters). The author may then edit it and submit it again."""
    if not user_may_publish(by):
        raise ValidationError(_("Only editors can send a post back."))
    comment = "\n".join(
        line.rstrip() for line in (comment or "").replace("\x00", "").strip().splitlines()
    )
    if not comment:
        raise ValidationError(_("Please say what the author should change."))
    if len(comment) > REVIEW_COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("Please keep the comment to %(limit)d characters (it has %(count)d).")
            % {"limit": REVIEW_COMMENT_MAX_LENGTH, "count": len(comment)}
        )
    post = _locked(post)
    _refuse_unless_waiting(post)
    post.review_state, post.submitted_at = ReviewState.SENT_BACK, None
    post.save(update_fields=["review_state", "submitted_at", "updated_at"])
    return _log(post, Step.SENT_BACK, by, comment=comment)


@transaction.atomic
def review_withdraw(*, post: Post, by: User) -> PostReviewEvent:
    """Take ``post`` out of the review queue as its author ``by``, to change it; it is a
    draft again and can be submitted later. Nobody is e-mailed."""
    if post.author_id != by.pk:
        raise ValidationError(_("Only the post’s author can withdraw it from review."))
    post = _locked(post)
    _refuse_unless_waiting(post)
    post.review_state, post.submitted_at = ReviewState.NONE, None
    post.save(update_fields=["review_state", "submitted_at", "updated_at"])
    return _log(post, Step.WITHDRAWN, by)

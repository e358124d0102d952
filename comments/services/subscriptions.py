"""Stopping the e-mails a member or guest asked for, from the signed link in one of them
(``comments.notifications`` makes and reads the links)."""

from accounts.models import User
from comments.models import Comment
from comments.notifications import Kind, Subscription


def comment_unsubscribe(*, comment: Comment) -> Comment:
    """Stop reply notifications for ``comment``. Safe to repeat. Nothing shown changes, so
    the post's comment version stays."""
    Comment.objects.filter(pk=comment.pk).update(notify_on_reply=False)
    comment.notify_on_reply = False
    return comment


def user_unsubscribe_post_comments(*, user: User) -> User:
    """Stop e-mails to ``user`` about comments on their articles. Safe to repeat."""
    if user.notify_on_post_comments:
        user.notify_on_post_comments = False
        user.save(update_fields=["notify_on_post_comments"])
    return user


def subscription_stop(*, subscription: Subscription) -> None:
    """Stop the e-mails ``subscription`` names. Safe to repeat."""
    if subscription.kind is Kind.REPLIES and subscription.comment is not None:
        comment_unsubscribe(comment=subscription.comment)
    elif subscription.kind is Kind.POST_COMMENTS and subscription.user is not None:
        user_unsubscribe_post_comments(user=subscription.user)

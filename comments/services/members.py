"""What a change to a member's account does to their comments. accounts tells comments
about the change through ``accounts.signals`` (see ``comments.receivers``); the work is
done here, inside the account service's transaction."""

from accounts.models import User
from comments.models import Comment
from comments.selectors import post_ids_commented_by
from comments.services.posting import post_comments_bump


def member_threads_bump(*, user: User) -> None:
    """Move the comment version of every post ``user`` commented on, so no cached thread
    keeps showing their old name or avatar."""
    for post_id in post_ids_commented_by(user=user):
        post_comments_bump(post_id)


def member_comments_anonymise(*, user: User) -> None:
    """Detach every comment of ``user`` from them, for an account being closed: the comments
    stay where they are (threads keep their shape) and show as “Former member”, with no
    e-mail, IP hash or browser kept and no reply e-mails. Each post they were on gets a new
    comment version."""
    post_ids = post_ids_commented_by(user=user)
    Comment.objects.filter(user=user).update(
        user=None,
        guest_name="",
        guest_email="",
        notify_on_reply=False,
        ip_hash="",
        user_agent="",
    )
    for post_id in post_ids:
        post_comments_bump(post_id)

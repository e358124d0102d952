"""Reads about who follows which discussion by e-mail (``comments.follows``)."""

from django.conf import settings
from django.db.models import Max

from accounts.models import User
from blog.models import Post
from comments.follows.models import DiscussionFollow, FollowedComment


def post_follower_ids(*, post: Post) -> frozenset[int]:
    """The members following ``post``'s discussion. One query."""
    ids = DiscussionFollow.objects.filter(post=post, user__isnull=False).values_list(
        "user_id", flat=True
    )
    return frozenset(ids)


def follow_list_for_user(*, user: User) -> list[DiscussionFollow]:
    """The discussions ``user`` follows, newest first, with their posts. One query."""
    return list(DiscussionFollow.objects.filter(user=user).select_related("post"))


def followed_comment_newest(*, post_id: int) -> int:
    """The id of the newest comment waiting for ``post_id``'s digests (0 for none): where a
    new follower's digests start. One query."""
    newest = FollowedComment.objects.filter(post_id=post_id).aggregate(newest=Max("pk"))
    return newest["newest"] or 0


def follow_list_for_export(*, user: User) -> list[dict[str, str]]:
    """The discussions ``user`` follows, as plain data for their download: the post's title
    and address and since when. One query."""
    return [
        {
            "post_title": follow.post.title,
            "post_url": settings.SITE_URL + follow.post.get_absolute_url(),
            "following_since": follow.confirmed_at.isoformat(),
        }
        for follow in follow_list_for_user(user=user)
    ]

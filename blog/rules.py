"""Who may do what with a post: the one copy of each rule, asked by the services, the
admin and every view.

Editors (whoever may publish) work on every post. Contributors (whoever may write posts but
not publish them) work only on their own, and only while they are drafts that are not
waiting for review: they never change a live or scheduled post, nor someone else's draft.
People who may only read posts (moderators) read them all.
"""

from django.db.models import QuerySet

from accounts.models import User
from blog.models import Post

PUBLISH_PERMISSION = "blog.publish_post"


def user_may_publish(user: User) -> bool:
    """Whether ``user`` may publish, schedule and unpublish posts, and approve or send back
    posts waiting for review."""
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def user_writes_own_posts_only(user: User) -> bool:
    """Whether ``user`` writes posts for review (a contributor): they may add and change
    posts, but not publish, so they see and change only their own."""
    return (
        user.is_active
        and (user.has_perm("blog.add_post") or user.has_perm("blog.change_post"))
        and not user.has_perm(PUBLISH_PERMISSION)
    )


def posts_visible_to(user: User, posts: QuerySet[Post]) -> QuerySet[Post]:
    """The posts of ``posts`` that ``user`` may open in the admin: a contributor's own,
    everyone else's all (the admin's own permissions decide the rest)."""
    if user_writes_own_posts_only(user):
        return posts.filter(author_id=user.pk)
    return posts


def post_may_edit(user: User, post: Post) -> bool:
    """Whether ``user`` may change ``post``: editors any post; contributors their own drafts
    that are not waiting for review (they withdraw it first)."""
    if not user.is_active or not user.has_perm("blog.change_post"):
        return False
    if user.has_perm(PUBLISH_PERMISSION):
        return True
    return (
        post.author_id == user.pk
        and post.status == Post.Status.DRAFT
        and post.review_state != Post.ReviewState.WAITING
    )

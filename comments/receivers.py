"""How comments answers the signals of the apps below it (accounts, blog). Connected in
``CommentsConfig.ready()``; each receiver hands over to a service, selector or the
discussion block, so no rule lives here."""

from typing import Any

from django.http import HttpRequest

from accounts.models import User
from blog.models import Post
from comments.demo import seed_demo_comments
from comments.discussion import discussion_context
from comments.selectors import comment_list_for_export
from comments.selectors.follows import follow_list_for_export
from comments.services.follows import member_follows_stop
from comments.services.members import member_comments_anonymise, member_threads_bump


def member_appearance_changed(sender: type, *, user: User, **kwargs: Any) -> None:
    member_threads_bump(user=user)


def account_closing(sender: type, *, user: User, **kwargs: Any) -> None:
    member_comments_anonymise(user=user)
    member_follows_stop(user=user)


def account_exporting(sender: type, *, user: User, **kwargs: Any) -> dict[str, Any]:
    return {
        "comments": comment_list_for_export(user=user),
        "follows": follow_list_for_export(user=user),
    }


def post_page_context(
    sender: type, *, request: HttpRequest, post: Post, **kwargs: Any
) -> dict[str, Any]:
    return discussion_context(request, post)


def demo_seeded(sender: type, **kwargs: Any) -> list[str]:
    return seed_demo_comments()

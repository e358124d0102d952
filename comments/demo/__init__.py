"""Demo discussions for development: threaded comments under the demo articles.

The comments are stored directly rather than through ``comment_create``, which stamps
every comment with the current time and refuses quick or repeated comments: demo
threads need to look as if they grew over hours and days after each article came out.
A demo article that already has comments is left alone, so running this twice adds
nothing twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import User
from blog.models import Post
from comments.demo.discussions import DISCUSSIONS, GUESTS, DemoComment, DemoDiscussion
from comments.demo.guidelines import seed_guidelines
from comments.models import Comment
from comments.rendering import comment_body_html
from comments.rules import reply_nests_under
from comments.selectors import discussion_settings_get
from comments.services import post_comments_bump

__all__ = [
    "DISCUSSIONS",
    "GUESTS",
    "DemoComment",
    "DemoDiscussion",
    "DiscussionSummary",
    "demo_members",
    "seed_demo_comments",
    "seed_demo_discussions",
]

# The latest demo comment lands at most this far into the time since publication.
_FIT = 0.9


@dataclass(frozen=True)
class DiscussionSummary:
    """What one run did: comments added, and on how many posts."""

    added: int
    posts: int


def demo_members() -> set[str]:
    """The usernames of the demo members who take part in the discussions."""
    return {c.member for d in DISCUSSIONS.values() for c in _walk(d.threads) if c.member}


def seed_demo_comments() -> list[str]:
    """Add the demo discussions and the Community Guidelines that are missing, and return
    the lines ``seed_demo`` prints about them."""
    discussions = seed_demo_discussions()
    guidelines = seed_guidelines()
    if discussions.added:
        noun = "post" if discussions.posts == 1 else "posts"
        added = f"Demo comments: {discussions.added} added on {discussions.posts} {noun}."
    else:
        added = "Demo comments: 0 added."
    return [added, f"Community guidelines: {guidelines} added."]


def seed_demo_discussions(now: datetime | None = None) -> DiscussionSummary:
    """Add the demo discussions to the demo posts that are out and have no comments yet.

    Each post gets its comments in one transaction, then a recount and a new comment
    version; a discussion marked closed also turns the post's comments off. Scheduled,
    draft and missing posts, and posts with any comment already, are skipped. Needs the
    demo members from ``accounts.demo.seed_demo_users``.
    """
    now = now or timezone.now()
    members = {u.username: u for u in User.objects.filter(username__in=demo_members())}
    missing = demo_members() - members.keys()
    if missing:
        raise User.DoesNotExist(f"Demo members missing: {', '.join(sorted(missing))}")
    max_depth = discussion_settings_get().max_depth
    posts = (
        Post.objects.published(now=now)
        .filter(slug__in=DISCUSSIONS)
        .exclude(Exists(Comment.objects.filter(post=OuterRef("pk"))))
        .order_by("published_at")
    )
    added = [
        _seed_discussion(
            post, DISCUSSIONS[post.slug], members=members, now=now, max_depth=max_depth
        )
        for post in posts
    ]
    return DiscussionSummary(added=sum(added), posts=len(added))


@transaction.atomic
def _seed_discussion(
    post: Post,
    discussion: DemoDiscussion,
    *,
    members: dict[str, User],
    now: datetime,
    max_depth: int,
) -> int:
    # A post out for less time than its discussion spans gets the same threads, squeezed.
    span = _latest(discussion.threads)
    scale = min(1.0, _FIT * (now - post.published_at) / span) if span else 1.0
    added = 0

    def add(comments: Iterable[DemoComment], parent: Comment | None, since: datetime) -> None:
        nonlocal added
        for item in comments:
            at = since + item.after * scale
            comment = _store(item, post=post, parent=parent, at=at, members=members)
            added += 1
            # Past the maximum depth a reply joins its parent's level, as comment_create does.
            if reply_nests_under(depth=comment.depth, max_depth=max_depth):
                add(item.replies, comment, at)
            else:
                add(item.replies, parent, at)

    add(discussion.threads, None, post.published_at)
    if discussion.closed:
        Post.objects.filter(pk=post.pk).update(comments_enabled=False)
    post_comments_bump(post.pk)
    return added


def _store(
    item: DemoComment,
    *,
    post: Post,
    parent: Comment | None,
    at: datetime,
    members: dict[str, User],
) -> Comment:
    name, email = GUESTS[item.who] if item.member is None else ("", "")
    comment = Comment.objects.create(
        post=post,
        parent=parent,
        thread_id=parent.thread_id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        user=members[item.member] if item.member else None,
        guest_name=name,
        guest_email=email,
        body=item.body,
        body_html=comment_body_html(item.body),
        status=Comment.Status.PUBLISHED,
        created_at=at,
    )
    if parent is None:
        Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
        comment.thread_id = comment.pk
    return comment


def _walk(comments: Iterable[DemoComment]) -> Iterable[DemoComment]:
    for comment in comments:
        yield comment
        yield from _walk(comment.replies)


def _latest(comments: Iterable[DemoComment], since: timedelta = timedelta()) -> timedelta:
    """How long after the article the last of ``comments`` and their replies comes."""
    return max(
        (max(since + c.after, _latest(c.replies, since + c.after)) for c in comments),
        default=since,
    )

"""The stored HTML of comment bodies (``Comment.body_html``): the posting and moderation
services write it with ``body``; this rewrites it for every comment when the way a body is
shown (``comments.rendering.comment_body_html``) changes."""

from collections.abc import Callable

from django.db import transaction

from comments.models import Comment
from comments.rendering import comment_body_html
from comments.services.posting import post_comments_bump

BATCH_SIZE = 500


def comment_bodies_rerender(
    *, batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Write ``body_html`` again from ``body`` for every comment, with today's rules, and
    return (comments whose HTML changed, posts they are on).

    Rows are read in batches of ``batch_size`` by primary key, each batch locked, compared
    and written in one transaction, so an edit made meanwhile is never overwritten with the
    HTML of its old text. Each post with a changed comment gets a new comment version in
    the same transaction, so no cached thread keeps the old HTML. ``progress`` is called
    with the number of comments read after each batch."""
    changed = posts = read = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(
                Comment.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "post_id", "body", "body_html")[:batch_size]
            )
            if not rows:
                break
            stale = []
            post_ids = set()
            for pk, post_id, body, stored in rows:
                html = comment_body_html(body)
                if html != stored:
                    stale.append(Comment(pk=pk, body_html=html))
                    post_ids.add(post_id)
            Comment.objects.bulk_update(stale, ["body_html"])
            for post_id in sorted(post_ids):
                post_comments_bump(post_id)
        changed += len(stale)
        posts += len(post_ids)
        read += len(rows)
        last = rows[-1][0]
        if progress is not None:
            progress(read)
    return changed, posts

"""schema.org data about a post's discussion, as JSON-LD: the top-level comments a comment
page shows, each a ``Comment`` with its author's public name, date, address, the start of
its text and how many replies it has, added to the post's ``NewsArticle``
(``blog.structured_data``) by naming the article's ``@id``.

Why only the top-level comments, and only the start of their text: issue 12's byte budget
for the post page with 500 comments (docs/decisions.md, "Comments in the structured
data"). It is written into the shared cached thread (``comments.discussion``), so it
follows every change that moves the thread's key: a new, hidden or edited comment, a
renamed member, another comment page.
"""

from typing import Any

from django.http import HttpRequest

from blog.models import Post
from blog.structured_data import post_article_id
from comments import rules
from comments.rules import Shown
from comments.selectors import ThreadPage
from comments.threads import CommentNode

# The most characters of a comment's text given, cut at a word: enough to say what it is
# about (search engines want some text), little enough for the page's byte budget.
EXCERPT_CHARS = 80


def _public(node: CommentNode) -> bool:
    """Whether everyone sees ``node``'s comment in full (``rules.comment_shown_as``): a
    placeholder, a held or spam comment its author or a moderator sees is no reader's."""
    comment = node.comment
    shown = rules.comment_shown_as(status=comment.status, is_own=False, has_shown_reply=False)
    return shown is Shown.COMMENT


def _public_replies(node: CommentNode) -> int:
    """How many replies under ``node`` everyone sees in full, at any depth."""
    return sum(_public(child) + _public_replies(child) for child in node.children)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` on one line, cut at the last whole word within ``limit`` characters
    (an ellipsis included) when it is longer."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if line[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def comment_data(node: CommentNode, *, page_address: str) -> dict[str, Any]:
    """One top-level comment as a schema.org ``Comment``: what Google asks of one (author
    with a name, datePublished, text) with its address, its last edit and its replies."""
    comment = node.comment
    data: dict[str, Any] = {
        "@type": "Comment",
        # The anchor the comment list gives each comment (``Comment.anchor``).
        "url": f"{page_address}#comment-{comment.pk}",
        "author": {"@type": "Person", "name": comment.author_name},
        "datePublished": comment.created_at.isoformat(timespec="seconds"),
        "text": excerpt(comment.body),
    }
    if comment.edited_at is not None:
        data["dateModified"] = comment.edited_at.isoformat(timespec="seconds")
    replies = _public_replies(node)
    if replies:
        data["commentCount"] = replies
    return data


def thread_page_data(
    thread_page: ThreadPage, *, post: Post, request: HttpRequest
) -> dict[str, Any] | None:
    """The JSON-LD for comment page ``thread_page`` of ``post``: its top-level comments
    everyone sees, under the post's article; None when there are none."""
    address = request.build_absolute_uri(post.get_absolute_url())
    if thread_page.number > 1:
        address += f"?cpage={thread_page.number}"
    comments = [
        comment_data(node, page_address=address) for node in thread_page.threads if _public(node)
    ]
    if not comments:
        return None
    return {
        "@context": "https://schema.org",
        "@id": post_article_id(post, request=request),
        "comment": comments,
    }

"""Turning the flat rows of a comment page into the nested threads a reader sees.

Pure functions over already-loaded comments: no queries here, so the tree can be
tested without a database and the page's query count does not depend on it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from comments.models import Comment


@dataclass
class CommentNode:
    """A comment as displayed: its number (top-level only), its replies, and how it shows."""

    comment: Comment
    number: int | None = None
    children: list["CommentNode"] = field(default_factory=list)
    # A hidden comment kept only because published replies hang under it.
    is_placeholder: bool = False
    # The viewer's own comment that nobody else sees yet.
    is_own_pending: bool = False
    # Shown only because the viewer moderates: a hidden, held or spam comment in full.
    is_moderated: bool = False

    @property
    def depth(self) -> int:
        return self.comment.depth


def _shown_as(
    comment: Comment, own_ids: frozenset[int], has_shown_child: bool, moderator: bool
) -> str | None:
    """ "comment", "placeholder", "own-pending", "moderated" or None (left out) for one
    comment and this viewer."""
    status = comment.status
    if status == Comment.Status.PUBLISHED:
        return "comment"
    if moderator:
        return "moderated"
    # The sender of a held comment, or of one the rules took for spam, sees it waiting:
    # telling a spammer which it was would help them.
    if status in (Comment.Status.PENDING, Comment.Status.SPAM) and comment.pk in own_ids:
        return "own-pending"
    if status == Comment.Status.HIDDEN and has_shown_child:
        return "placeholder"
    # Spam disappears with whatever hangs under it; so does anyone else's pending comment.
    return None


def build_threads(
    rows: Iterable[Comment],
    *,
    root_numbers: Mapping[int, int | None],
    own_ids: Iterable[int] = (),
    moderator: bool = False,
) -> list[CommentNode]:
    """Nest ``rows`` (every comment of the page's threads) under the roots in ``root_numbers``.

    ``root_numbers`` maps each top-level comment on the page, in display order, to its
    number (None when it is not numbered, such as a placeholder). Rows come oldest first,
    so a parent always precedes its replies; the tree is built in one forward pass and
    pruned in one backward pass. Replies whose parent is missing from ``rows`` are dropped.
    A ``moderator`` sees every comment, the ones readers don't see marked as moderated.
    """
    own = frozenset(own_ids)
    ordered = [c for c in rows if c.thread_id in root_numbers]
    children: dict[int, list[Comment]] = {}
    for comment in ordered:
        if comment.parent_id is not None:
            children.setdefault(comment.parent_id, []).append(comment)

    # Backward pass: a reply comes after its parent, so by the time we reach a
    # comment we already know whether anything under it is shown.
    shown: dict[int, str] = {}
    for comment in reversed(ordered):
        has_shown_child = any(child.pk in shown for child in children.get(comment.pk, ()))
        how = _shown_as(comment, own, has_shown_child, moderator)
        if how is not None:
            shown[comment.pk] = how

    nodes: dict[int, CommentNode] = {}
    for comment in ordered:
        how = shown.get(comment.pk)
        if how is None or (comment.parent_id is not None and comment.parent_id not in nodes):
            continue
        node = CommentNode(
            comment,
            is_placeholder=how == "placeholder",
            is_own_pending=how == "own-pending",
            is_moderated=how == "moderated",
        )
        nodes[comment.pk] = node
        if comment.parent_id is not None:
            nodes[comment.parent_id].children.append(node)

    roots = []
    for root_id, number in root_numbers.items():
        node = nodes.get(root_id)
        if node is not None:
            shown_to_all = not (node.is_placeholder or node.is_own_pending or node.is_moderated)
            node.number = number if shown_to_all else None
            roots.append(node)
    return roots


@dataclass
class FlatItem:
    """One comment in document order, with how many nested lists close after it, so a
    template renders the whole tree in one loop instead of one include per comment."""

    node: CommentNode
    has_children: bool
    closes: int = 0

    @property
    def closers(self) -> range:
        return range(self.closes)


def flatten(threads: list[CommentNode]) -> list[FlatItem]:
    """The threads in reading order (depth first)."""
    items: list[FlatItem] = []

    def walk(node: CommentNode) -> None:
        items.append(FlatItem(node, has_children=bool(node.children)))
        for child in node.children:
            walk(child)
        if node.children:
            items[-1].closes += 1

    for root in threads:
        walk(root)
    return items

"""Turning the flat rows of a comment page into the nested threads a reader sees.

Pure functions over already-loaded comments: no queries here, so the tree can be
tested without a database and the page's query count does not depend on it.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from comments import rules
from comments.models import Comment
from comments.rules import Shown


class Order(StrEnum):
    """The order a reader asked for a post's threads in (``?order=``). Oldest first is the
    default and the canonical page; newest first puts the newest top-level threads first,
    on the first comment page, and keeps each thread's replies in the order they were
    written, so a conversation still reads down. Either way comments keep their numbers,
    which count top-level comments by first posting."""

    OLDEST = "oldest"
    NEWEST = "newest"

    @classmethod
    def parse(cls, value: str | None) -> "Order":
        """The order ``value`` names; the default for anything else (absent, misspelt)."""
        try:
            return cls(value)
        except ValueError:
            return cls.OLDEST

    @property
    def param(self) -> str:
        """The query parameter a link carries to stay in this order ("order=newest"); ""
        for the default, so the canonical addresses stay as they were."""
        return "" if self is Order.OLDEST else f"order={self.value}"

    @property
    def query(self) -> str:
        """``param`` ready for more parameters after it ("order=newest&"), or ""."""
        return f"{self.param}&" if self.param else ""


@dataclass
class CommentNode:
    """A comment as displayed: its number (top-level only), its replies, and how it shows."""

    comment: Comment
    number: int | None = None
    children: list["CommentNode"] = field(default_factory=list)
    # A comment readers don't see, kept as one line because shown replies hang under it.
    is_placeholder: bool = False
    # The viewer's own comment that nobody else sees yet.
    is_own_pending: bool = False
    # Shown only because the viewer moderates: a hidden, held or spam comment in full.
    is_moderated: bool = False

    @property
    def depth(self) -> int:
        return self.comment.depth


def comments_shown(
    rows: Sequence, *, own_ids: frozenset[int] = frozenset(), moderator: bool = False
) -> dict[int, Shown]:
    """How each comment of ``rows`` shows to this viewer (``rules.comment_shown_as``); the
    ones left out are missing. ``rows`` (anything with ``pk``, ``parent_id`` and ``status``)
    come oldest first, whole threads or whole subtrees, so one backward pass sees every
    reply before its parent."""
    children: dict[int, list[int]] = {}
    for comment in rows:
        if comment.parent_id is not None:
            children.setdefault(comment.parent_id, []).append(comment.pk)
    shown: dict[int, Shown] = {}
    for comment in reversed(rows):
        how = rules.comment_shown_as(
            status=comment.status,
            is_own=comment.pk in own_ids,
            has_shown_reply=any(pk in shown for pk in children.get(comment.pk, ())),
            moderator=moderator,
        )
        if how is not None:
            shown[comment.pk] = how
    return shown


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
    so a parent always precedes its replies; which comments show is decided in one backward
    pass (``comments_shown``) and the tree is built in one forward pass. Replies whose
    parent is missing from ``rows`` are dropped. A ``moderator`` sees every comment, the
    ones readers don't see marked as moderated.
    """
    ordered = [c for c in rows if c.thread_id in root_numbers]
    shown = comments_shown(ordered, own_ids=frozenset(own_ids), moderator=moderator)

    nodes: dict[int, CommentNode] = {}
    for comment in ordered:
        how = shown.get(comment.pk)
        if how is None or (comment.parent_id is not None and comment.parent_id not in nodes):
            continue
        node = CommentNode(
            comment,
            is_placeholder=how == Shown.PLACEHOLDER,
            is_own_pending=how == Shown.OWN,
            is_moderated=how == Shown.MODERATED,
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

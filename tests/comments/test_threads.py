"""The tree builder on its own: no database, comments built in memory."""

from datetime import UTC, datetime, timedelta

import pytest

from comments.models import Comment
from comments.threads import build_threads, flatten

START = datetime(2026, 1, 1, tzinfo=UTC)


def make(pk, parent=None, status=Comment.Status.PUBLISHED):
    """An unsaved comment ``pk`` under ``parent``; later pks are later in time."""
    return Comment(
        pk=pk,
        parent_id=parent.pk if parent else None,
        thread_id=parent.thread_id if parent else pk,
        depth=parent.depth + 1 if parent else 0,
        status=status,
        created_at=START + timedelta(minutes=pk),
        guest_name=f"Person {pk}",
        body=f"Comment {pk}",
    )


def shape(nodes):
    """The tree as nested (pk, [children]) tuples, for readable assertions."""
    return [(n.comment.pk, shape(n.children)) for n in nodes]


def test_replies_nest_under_their_parents_in_time_order():
    a = make(1)
    b = make(2)
    a1 = make(3, a)
    a1x = make(4, a1)
    a2 = make(5, a)
    threads = build_threads([a, b, a1, a1x, a2], root_numbers={1: 1, 2: 2})
    assert shape(threads) == [(1, [(3, [(4, [])]), (5, [])]), (2, [])]
    assert [t.number for t in threads] == [1, 2]


def test_roots_follow_the_order_and_numbers_given():
    a, b, c = make(1), make(2), make(3)
    threads = build_threads([a, b, c], root_numbers={2: 51, 3: 52})
    assert [(t.comment.pk, t.number) for t in threads] == [(2, 51), (3, 52)]


def test_comments_of_threads_not_on_the_page_are_ignored():
    a, b = make(1), make(2)
    b1 = make(3, b)
    assert shape(build_threads([a, b, b1], root_numbers={1: 1})) == [(1, [])]


def test_hidden_comment_with_a_published_reply_stays_as_a_placeholder():
    a = make(1, status=Comment.Status.HIDDEN)
    a1 = make(2, a)
    threads = build_threads([a, a1], root_numbers={1: None})
    assert shape(threads) == [(1, [(2, [])])]
    assert threads[0].is_placeholder
    assert threads[0].number is None


def test_hidden_comment_whose_replies_are_all_hidden_disappears_with_them():
    a = make(1)
    a1 = make(2, a, status=Comment.Status.HIDDEN)
    a1x = make(3, a1, status=Comment.Status.HIDDEN)
    assert shape(build_threads([a, a1, a1x], root_numbers={1: 1})) == [(1, [])]


def test_a_deep_published_reply_keeps_every_hidden_ancestor_as_placeholder():
    a = make(1)
    a1 = make(2, a, status=Comment.Status.HIDDEN)
    a1x = make(3, a1, status=Comment.Status.HIDDEN)
    a1xy = make(4, a1x)
    threads = build_threads([a, a1, a1x, a1xy], root_numbers={1: 1})
    assert shape(threads) == [(1, [(2, [(3, [(4, [])])])])]
    assert [threads[0].children[0].is_placeholder, threads[0].is_placeholder] == [True, False]


@pytest.mark.parametrize("status", [Comment.Status.SPAM, Comment.Status.PENDING])
def test_spam_or_held_comment_disappears_when_nothing_published_hangs_under_it(status):
    a = make(1)
    a1 = make(2, a, status=status)
    a1x = make(3, a1, status=Comment.Status.SPAM)
    assert shape(build_threads([a, a1, a1x], root_numbers={1: 1})) == [(1, [])]


@pytest.mark.parametrize("status", [Comment.Status.SPAM, Comment.Status.PENDING])
def test_spam_or_held_comment_with_a_published_reply_stays_as_a_placeholder(status):
    # Answered while it was published, then held by an edit or marked spam.
    a = make(1)
    a1 = make(2, a, status=status)
    a1x = make(3, a1)
    threads = build_threads([a, a1, a1x], root_numbers={1: 1})
    assert shape(threads) == [(1, [(2, [(3, [])])])]
    assert threads[0].children[0].is_placeholder


def test_held_top_level_comment_with_a_published_reply_is_an_unnumbered_placeholder():
    a = make(1, status=Comment.Status.PENDING)
    a1 = make(2, a)
    threads = build_threads([a, a1], root_numbers={1: 4})
    assert threads[0].is_placeholder
    assert threads[0].number is None


@pytest.mark.parametrize(("own", "shown"), [((), []), ((2,), [(2, [])])])
def test_pending_comment_is_shown_only_to_its_author(own, shown):
    a = make(1)
    a1 = make(2, a, status=Comment.Status.PENDING)
    threads = build_threads([a, a1], root_numbers={1: 1}, own_ids=own)
    assert shape(threads) == [(1, shown)]
    if own:
        assert threads[0].children[0].is_own_pending


def test_own_pending_top_level_comment_is_not_numbered():
    a = make(1, status=Comment.Status.PENDING)
    threads = build_threads([a], root_numbers={1: 3}, own_ids=[1])
    assert threads[0].is_own_pending
    assert threads[0].number is None


def test_flatten_closes_each_nested_list_after_its_last_descendant():
    a = make(1)
    a1 = make(2, a)
    a1x = make(3, a1)
    b = make(4)
    items = flatten(build_threads([a, a1, a1x, b], root_numbers={1: 1, 4: 2}))
    assert [(i.node.comment.pk, i.has_children, i.closes) for i in items] == [
        (1, True, 0),
        (2, True, 0),
        (3, False, 2),
        (4, False, 0),
    ]


def test_build_is_one_pass_over_thousands_of_rows():
    rows = [make(1)]
    for pk in range(2, 3001):
        rows.append(make(pk, rows[-1] if rows[-1].depth < 4 else rows[0]))
    threads = build_threads(rows, root_numbers={1: 1})
    assert sum(1 for _ in flatten(threads)) == 3000

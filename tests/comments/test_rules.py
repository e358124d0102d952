"""The discussion's shared rules, table-driven, no database."""

from datetime import UTC, datetime, timedelta

import pytest

from comments import rules
from comments.models import Comment

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
S = Comment.Status


@pytest.mark.parametrize(
    ("author_id", "viewer_id", "status", "age", "expected"),
    [
        (1, 1, S.PUBLISHED, timedelta(minutes=1), True),
        (1, 1, S.PENDING, timedelta(minutes=14), True),
        (1, 1, S.PUBLISHED, timedelta(minutes=15), True),
        (1, 1, S.PUBLISHED, timedelta(minutes=15, seconds=1), False),
        (1, 1, S.PENDING, timedelta(days=2), False),
        (1, 1, S.HIDDEN, timedelta(minutes=1), False),
        (1, 1, S.SPAM, timedelta(minutes=1), False),
        (1, 2, S.PUBLISHED, timedelta(minutes=1), False),
        (None, None, S.PUBLISHED, timedelta(minutes=1), False),
        (1, None, S.PUBLISHED, timedelta(minutes=1), False),
    ],
)
def test_comment_is_editable(settings, author_id, viewer_id, status, age, expected):
    settings.COMMENT_EDIT_MINUTES = 15
    editable = rules.comment_is_editable(
        author_id=author_id, viewer_id=viewer_id, status=status, created_at=NOW - age, now=NOW
    )
    assert editable is expected


def test_the_edit_window_follows_the_setting(settings):
    settings.COMMENT_EDIT_MINUTES = 60
    assert rules.comment_is_editable(
        author_id=1,
        viewer_id=1,
        status=S.PUBLISHED,
        created_at=NOW - timedelta(minutes=59),
        now=NOW,
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [(S.PUBLISHED, True), (S.PENDING, False), (S.HIDDEN, False), (S.SPAM, False)],
)
def test_only_published_comments_take_replies(status, expected):
    assert rules.comment_takes_replies(status=status) is expected


@pytest.mark.parametrize(
    ("depth", "max_depth", "expected"),
    [(0, 5, True), (3, 5, True), (4, 5, False), (0, 1, False), (8, 10, True), (9, 10, False)],
)
def test_replies_nest_up_to_the_maximum_depth(depth, max_depth, expected):
    assert rules.reply_nests_under(depth=depth, max_depth=max_depth) is expected


SHOWN = rules.Shown


@pytest.mark.parametrize(
    ("status", "is_own", "has_shown_reply", "moderator", "expected"),
    [
        (S.PUBLISHED, False, False, False, SHOWN.COMMENT),
        (S.PUBLISHED, True, True, False, SHOWN.COMMENT),
        (S.HIDDEN, False, False, False, None),
        (S.HIDDEN, False, True, False, SHOWN.PLACEHOLDER),
        (S.HIDDEN, True, True, False, SHOWN.PLACEHOLDER),
        (S.PENDING, False, False, False, None),
        (S.PENDING, False, True, False, SHOWN.PLACEHOLDER),
        (S.PENDING, True, False, False, SHOWN.OWN),
        (S.SPAM, False, False, False, None),
        (S.SPAM, False, True, False, SHOWN.PLACEHOLDER),
        (S.SPAM, True, True, False, SHOWN.OWN),
        (S.SPAM, False, False, True, SHOWN.MODERATED),
        (S.HIDDEN, False, True, True, SHOWN.MODERATED),
        (S.PENDING, False, False, True, SHOWN.MODERATED),
    ],
)
def test_comment_shown_as(status, is_own, has_shown_reply, moderator, expected):
    shown = rules.comment_shown_as(
        status=status, is_own=is_own, has_shown_reply=has_shown_reply, moderator=moderator
    )
    assert shown == expected

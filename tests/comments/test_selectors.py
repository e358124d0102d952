"""The read side of discussions: thread pages, numbering, page of a comment, open or closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments import selectors
from comments.models import Comment, DiscussionSettings
from comments.selectors import ThreadPage, comment_thread_for_post
from tests.factories import CommentFactory, PostFactory, UserFactory, build_discussion

pytestmark = pytest.mark.django_db


def page_of(post, page, per_page=5, own=()):
    settings = DiscussionSettings(comments_per_page=per_page)
    return comment_thread_for_post(post=post, settings=settings, page=page, own_ids=own)


def numbers(thread_page):
    return [t.number for t in thread_page.threads]


def test_pages_split_between_threads_and_number_across_pages():
    post = PostFactory()
    roots = build_discussion(post, [2] * 11)
    first, second, third = (page_of(post, n) for n in (1, 2, 3))
    assert numbers(first) == [1, 2, 3, 4, 5]
    assert numbers(second) == [6, 7, 8, 9, 10]
    assert numbers(third) == [11]
    assert [t.comment.pk for t in second.threads] == [r.pk for r in roots[5:10]]
    assert all(len(t.children) == 1 and len(t.children[0].children) == 1 for t in second.threads)
    assert (first.num_pages, third.number) == (3, 3)
    assert page_of(post, 4) is None


def test_an_empty_discussion_has_one_empty_page():
    post = PostFactory()
    assert page_of(post, 1).threads == []
    assert page_of(post, 2) is None


def test_placeholders_take_a_place_on_the_page_but_no_number():
    post = PostFactory()
    first = CommentFactory(post=post, hidden=True)
    CommentFactory(parent=first)
    CommentFactory(post=post, hidden=True)  # no replies: gone
    CommentFactory(post=post)
    thread_page = page_of(post, 1)
    assert [
        (t.comment.pk == first.pk, t.is_placeholder, t.number) for t in thread_page.threads
    ] == [
        (True, True, None),
        (False, False, 1),
    ]


def test_own_pending_top_level_comment_is_on_the_page_only_for_its_author():
    post = PostFactory()
    CommentFactory(post=post)
    mine = CommentFactory(post=post, pending=True)
    assert len(page_of(post, 1).threads) == 1
    threads = page_of(post, 1, own=[mine.pk]).threads
    assert [t.is_own_pending for t in threads] == [False, True]


def test_page_range_elides_far_pages():
    gap = ThreadPage.ellipsis
    assert ThreadPage([], 10, 20).page_range == [1, gap, 8, 9, 10, 11, 12, gap, 20]
    assert ThreadPage([], 1, 3).page_range == [1, 2, 3]
    assert ThreadPage([], 2, 5).page_range == [1, 2, 3, 4, 5]
    # A gap of one page shows the page instead.
    assert ThreadPage([], 5, 20).page_range == [1, 2, 3, 4, 5, 6, 7, gap, 20]


def test_comment_page_number_follows_its_threads_root():
    post = PostFactory()
    roots = build_discussion(post, [1] * 12)
    settings = DiscussionSettings(comments_per_page=5)
    reply = Comment.objects.get(parent=roots[10])
    assert selectors.comment_page_number(comment=roots[4], settings=settings) == 1
    assert selectors.comment_page_number(comment=roots[5], settings=settings) == 2
    assert selectors.comment_page_number(comment=reply, settings=settings) == 3


@pytest.mark.parametrize(
    ("user_kwargs", "name"),
    [
        ({"display_name": "Sam R.", "first_name": "Samuel", "last_name": "Reed"}, "Sam R."),
        ({"display_name": "", "first_name": "Samuel", "last_name": "Reed"}, "Samuel Reed"),
        ({"display_name": "", "first_name": "", "last_name": "", "username": "sreed"}, "sreed"),
    ],
)
def test_thread_rows_name_members_as_their_public_name(user_kwargs, name):
    member = UserFactory(**user_kwargs)
    comment = CommentFactory(user=member, guest_name="", guest_email="")
    (node,) = page_of(comment.post, 1).threads
    assert node.comment.author_name == name == member.public_name == comment.author_name


def test_thread_rows_name_a_former_member():
    comment = CommentFactory(user=None, guest_name="", guest_email="")
    (node,) = page_of(comment.post, 1).threads
    assert node.comment.author_name == "Former member" == comment.author_name


@pytest.mark.parametrize(
    ("days_old", "close_after", "enabled", "is_open"),
    [(1, None, True, True), (1, None, False, False), (13, 14, True, True), (15, 14, True, False)],
)
def test_discussion_is_open(days_old, close_after, enabled, is_open):
    post = PostFactory(
        published_at=timezone.now() - timedelta(days=days_old), comments_enabled=enabled
    )
    settings = DiscussionSettings(close_after_days=close_after)
    assert selectors.post_discussion_is_open(post=post, settings=settings) is is_open


@pytest.mark.parametrize(
    "author",
    [
        {"display_name": "Ada L.", "first_name": "Ada", "last_name": "Lovelace"},
        {"display_name": "", "first_name": "Ada", "last_name": "Lovelace"},
        {"display_name": "", "first_name": "", "last_name": "Lovelace"},
        {"display_name": "", "first_name": "", "last_name": ""},
        {"display_name": "", "deleted_at": timezone.now()},
        None,
    ],
    ids=["display name", "full name", "last name", "username", "closed account", "guest"],
)
def test_the_thread_shows_the_same_name_as_the_comment(author):
    # The comment list reads plain rows, not model instances; the name must still come
    # out of the one public-name rule.
    post = PostFactory()
    if author is None:
        comment = CommentFactory(post=post, user=None, guest_name="Guest Person")
    else:
        comment = CommentFactory(post=post, user=UserFactory(username="ada", **author))
    comment.refresh_from_db()
    (node,) = page_of(post, 1).threads
    assert node.comment.author_name == comment.author_name
    assert node.comment.author_name  # never empty

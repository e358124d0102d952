"""What a reader can reach agrees with what the heading counts and the feeds list.

A published reply can end up under a comment readers don't see: the comment was
published when it was answered, then held by an edit, hidden or marked spam. The reply
stays reachable, under a placeholder (``comments.rules.comment_shown_as``), so the count
of published comments is the number of comments a reader can read on the pages, every
permalink of a published comment leads to it, and the feeds link only to those.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from blog.models import Post
from comments import services
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

S = Comment.Status
FULL = re.compile(r'<li id="comment-(\d+)"[^>]*>(?!<p class="comment-removed")')
PLACEHOLDER = re.compile(r'<li id="comment-(\d+)"[^>]*><p class="comment-removed"')
HEADING = re.compile(
    r'<h2 id="comments-title"[^>]*>\s*(No comments yet|One thought|(\d+) thoughts)'
)


def page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def heading_count(html: str) -> int:
    found = HEADING.search(html)
    assert found is not None
    words = {"No comments yet": 0, "One thought": 1}
    return words[found.group(1)] if found.group(1) in words else int(found.group(2))


def read_every_page(post: Post) -> tuple[int, set[int], set[int]]:
    """The heading's count, and the comments shown in full and as placeholders on every
    comment page of ``post``, as an anonymous reader sees them."""
    first = page(post.get_absolute_url())
    pages = [first]
    last = max((int(n) for n in re.findall(r"\?cpage=(\d+)#comments", first)), default=1)
    pages += [page(f"{post.get_absolute_url()}?cpage={n}") for n in range(2, last + 1)]
    full = {int(pk) for html in pages for pk in FULL.findall(html)}
    placeholders = {int(pk) for html in pages for pk in PLACEHOLDER.findall(html)}
    return heading_count(first), full, placeholders


def permalink_shows(comment_pk: int) -> bool:
    """Whether the comment's permalink leads to a page with the comment on it."""
    response = Client().get(reverse("comments:permalink", args=[comment_pk]))
    if response.status_code == 404:
        return False
    assert response.status_code == 302
    target, anchor = response["Location"].split("#")
    assert anchor == f"comment-{comment_pk}"
    return f'<li id="comment-{comment_pk}"' in page(target)


def feed_links(post: Post) -> set[int]:
    rss = Client().get(f"{post.get_absolute_url()}feed/").content.decode()
    return {int(pk) for pk in re.findall(r"<link>[^<]*/comments/(\d+)/</link>", rss)}


@pytest.fixture
def moderator():
    return UserFactory(moderator=True)


def test_a_reply_under_a_comment_marked_spam_stays_reachable_and_counted(moderator):
    post = PostFactory(title="Budget day")
    first = CommentFactory(post=post, body="Buy cheap watches")
    reply = CommentFactory(parent=first, body="Is this spam?")
    services.post_comments_bump(post.pk)

    services.comment_mark_spam(comment=first, moderator=moderator)

    post.refresh_from_db()
    count, full, placeholders = read_every_page(post)
    assert count == 1
    assert full == {reply.pk}
    assert placeholders == {first.pk}
    html = page(post.get_absolute_url())
    assert "One thought on “Budget day”" in html
    assert "Is this spam?" in html
    assert "Buy cheap watches" not in html
    assert "This comment is awaiting moderation or was removed." in html
    assert permalink_shows(reply.pk)
    assert feed_links(post) == {reply.pk}


def test_a_reply_under_a_comment_held_by_its_edit_stays_reachable(discussion_settings):
    discussion_settings.hold_words = "casino"
    services.discussion_settings_save(settings=discussion_settings)
    author = UserFactory()
    post = PostFactory()
    first = services.comment_create(post=post, body="An honest opinion.", user=author)
    reply = CommentFactory(parent=first, body="I agree with you.")
    services.post_comments_bump(post.pk)

    services.comment_edit(comment=first, user=author, body="Visit my casino instead.")

    first.refresh_from_db()
    assert first.status == S.PENDING
    post.refresh_from_db()
    count, full, placeholders = read_every_page(post)
    assert (count, full, placeholders) == (1, {reply.pk}, {first.pk})
    assert permalink_shows(reply.pk)
    # The placeholder's own link works too: it is on the page, as one line.
    assert permalink_shows(first.pk)


def test_a_held_top_level_comment_with_a_reply_takes_its_place_on_the_pages(
    discussion_settings,
):
    discussion_settings.comments_per_page = 5
    services.discussion_settings_save(settings=discussion_settings)
    post = PostFactory()
    roots = [CommentFactory(post=post) for _ in range(7)]
    reply = CommentFactory(parent=roots[6])
    Comment.objects.filter(pk=roots[6].pk).update(status=S.PENDING)
    services.post_comments_bump(post.pk)
    post.refresh_from_db()

    count, full, placeholders = read_every_page(post)

    assert count == 7
    assert full == {r.pk for r in roots[:6]} | {reply.pk}
    assert placeholders == {roots[6].pk}
    location = Client().get(reverse("comments:permalink", args=[reply.pk]))["Location"]
    assert location == f"{post.get_absolute_url()}?cpage=2#comment-{reply.pk}"


# A discussion: for each comment, the index of its parent among the earlier ones (or
# None for a top-level comment) and its status.
discussions = st.lists(
    st.tuples(st.integers(min_value=0, max_value=12), st.sampled_from(list(S))),
    min_size=1,
    max_size=12,
)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=discussions)
def test_the_count_the_pages_the_permalinks_and_the_feed_agree(discussion_settings, shape):
    if discussion_settings.comments_per_page != 5:
        discussion_settings.comments_per_page = 5
        services.discussion_settings_save(settings=discussion_settings)
    post = PostFactory()
    comments: list[Comment] = []
    for index, (parent_choice, status) in enumerate(shape):
        # parent_choice past the comments so far makes a top-level comment.
        parent = comments[parent_choice] if parent_choice < index else None
        comments.append(CommentFactory(post=post, parent=parent, status=status))
    services.post_comments_bump(post.pk)
    post.refresh_from_db()
    published = {c.pk for c in comments if c.status == S.PUBLISHED}

    count, full, placeholders = read_every_page(post)

    assert count == post.comment_count == len(published)
    assert full == published
    below: dict[int, set[int]] = {c.pk: set() for c in comments}
    for comment in reversed(comments):
        if comment.parent_id is not None:
            below[comment.parent_id] |= {comment.pk} | below[comment.pk]
    expected_placeholders = {
        c.pk for c in comments if c.status != S.PUBLISHED and below[c.pk] & published
    }
    assert placeholders == expected_placeholders
    for comment in comments:
        assert permalink_shows(comment.pk) == (comment.pk in full | placeholders)
    assert feed_links(post) == published

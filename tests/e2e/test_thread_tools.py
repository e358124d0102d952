"""The discussion tools readers expect (issue 15) in a real browser: the order links,
folding a thread's replies with and without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

from comments.services import post_comments_bump
from tests.e2e.conftest import assert_accessible, assert_no_page_errors
from tests.factories import CommentFactory, PostFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def discussion():
    """A post with three threads: the first with two replies, the second with none, the
    third with one."""
    post = PostFactory(title="Closing the branch library")
    first = CommentFactory(post=post, guest_name="Ada Byrne", body="Who decided this?")
    replies = [
        CommentFactory(parent=first, guest_name="Cal Doyle", body="The council, last week."),
    ]
    replies.append(CommentFactory(parent=replies[0], guest_name="Ada Byrne", body="Thanks."))
    second = CommentFactory(post=post, guest_name="Eve Foley", body="A loss for the town.")
    third = CommentFactory(post=post, guest_name="Gus Hart", body="Is there a petition?")
    last = CommentFactory(parent=third, guest_name="Ida Kane", body="Yes, at the library.")
    post_comments_bump(post.pk)
    post.refresh_from_db()
    return post, [first, second, third], [*replies, last]


def fold_and_unfold(page: Page, root, replies) -> None:
    thread = page.locator(f"#comment-{root.pk}")
    toggle = thread.locator("summary")
    expect(toggle).to_have_text("Hide 2 replies", use_inner_text=True)
    expect(page.locator(f"#comment-{replies[1].pk}")).to_be_visible()
    # By keyboard: focus the summary and press Enter.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_text("Show 2 replies", use_inner_text=True)
    expect(page.locator(f"#comment-{replies[0].pk}")).to_be_hidden()
    expect(page.locator(f"#comment-{replies[1].pk}")).to_be_hidden()
    # The comment itself and the other threads stay.
    expect(thread.get_by_text("Who decided this?")).to_be_visible()
    expect(page.get_by_text("Yes, at the library.")).to_be_visible()
    toggle.click()
    expect(toggle).to_have_text("Hide 2 replies", use_inner_text=True)
    expect(page.locator(f"#comment-{replies[1].pk}")).to_be_visible()


def test_a_thread_folds_and_unfolds_without_javascript(no_js_page: Page, discussion):
    post, roots, replies = discussion
    no_js_page.goto(post.get_absolute_url())
    fold_and_unfold(no_js_page, roots[0], replies)
    # Only threads with replies have the control.
    expect(no_js_page.locator(f"#comment-{roots[1].pk} summary")).to_have_count(0)
    expect(no_js_page.locator(f"#comment-{roots[2].pk} summary")).to_have_text(
        "Hide 1 reply", use_inner_text=True
    )


def test_a_thread_folds_and_unfolds_with_javascript(page: Page, discussion):
    post, roots, replies = discussion
    page.goto(post.get_absolute_url())
    fold_and_unfold(page, roots[0], replies)
    page.locator(f"#comment-{roots[2].pk} summary").click()
    assert_no_page_errors(page)
    assert_accessible(page)


def test_the_order_links_swap_the_threads(page: Page, discussion):
    post, roots, _ = discussion
    page.goto(post.get_absolute_url())
    tops = page.locator(".comment-list > li.thread")
    expect(tops.first).to_have_id(f"comment-{roots[0].pk}")
    page.get_by_role("link", name="newest first").click()
    expect(page).to_have_url(re.compile(r"\?order=newest#comments$"))
    expect(tops.first).to_have_id(f"comment-{roots[2].pk}")
    expect(page.get_by_role("link", name="newest first")).to_have_attribute("aria-current", "true")
    # Numbers count by first posting in either order.
    expect(page.locator(".comment-number").first).to_have_text("3.")
    assert_accessible(page)
    page.get_by_role("link", name="oldest first").click()
    expect(tops.first).to_have_id(f"comment-{roots[0].pk}")
    assert_no_page_errors(page)

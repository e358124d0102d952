"""A deep discussion read on a 390 px phone and on a 1280 px screen, in a real browser.

On a phone each reply level used to cost 38 px, so a depth-4 reply was 162 px wide; the
thread's indentation now shrinks under a breakpoint and stops at a level, from which
replies say whom they answer (docs/decisions.md, "Reading on a phone").
"""

import pytest
from playwright.sync_api import Page, expect

from comments.rendering import REPLY_TO_FROM_DEPTH
from comments.selectors import discussion_settings_get
from comments.services import discussion_settings_save, post_comments_bump
from tests.e2e.conftest import assert_accessible, assert_no_page_errors
from tests.factories import CommentFactory, PostFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_URL = "https://example.org/" + "river-levels/" * 22 + "x" * 6  # 312 characters
LONG_WORD = "Floodwater" * 20  # 200 characters, no break opportunity
LONG_NAME = "Bartholomew" * 9  # 99 characters, as long as a guest's name goes


def deep_thread(max_depth: int) -> tuple[object, list]:
    """A post whose one thread goes down to the deepest level ``max_depth`` allows, each
    reply by someone else; the replies carry a long address and a long word, and the
    deepest one's author has a name of one long word."""
    settings = discussion_settings_get()
    settings.max_depth = max_depth
    discussion_settings_save(settings=settings)
    post = PostFactory(title="Who keeps the river clean")
    chain = [CommentFactory(post=post, guest_name="Person 0", body="Where does it start?")]
    for depth in range(1, max_depth):
        chain.append(
            CommentFactory(
                parent=chain[-1],
                guest_name=f"Person {depth}" if depth < max_depth - 1 else LONG_NAME,
                body=f"A reply at depth {depth}.\n\nSee {LONG_URL} and {LONG_WORD}.",
            )
        )
    post_comments_bump(post.pk)
    post.refresh_from_db()
    return post, chain


def text_box(page: Page, comment) -> dict:
    """The box of a comment's own text: its body's first paragraph."""
    return page.locator(f"#comment-{comment.pk} > p:not(.re)").first.bounding_box()


def assert_no_horizontal_scroll(page: Page) -> None:
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, (scroll, client)


@pytest.mark.parametrize("max_depth", [5, 10])
def test_the_deepest_reply_keeps_most_of_the_width_on_a_phone(page: Page, max_depth):
    post, chain = deep_thread(max_depth)
    page.set_viewport_size(PHONE)
    page.goto(post.get_absolute_url())

    top, deepest = text_box(page, chain[0])["width"], text_box(page, chain[-1])["width"]
    assert deepest >= 0.75 * top, f"deepest reply {deepest:.0f} px of {top:.0f} px at 390 px"

    # From the level where indentation stops, a reply says whom it answers, in real text.
    for depth, comment in enumerate(chain):
        said = page.locator(f"#comment-{comment.pk} > .re")
        if depth >= REPLY_TO_FROM_DEPTH:
            expect(said).to_be_visible()
            expect(said).to_have_text(f"In reply to Person {depth - 1}")
        else:
            expect(said).to_have_count(0)
    assert_no_horizontal_scroll(page)
    assert_no_page_errors(page)
    assert_accessible(page)


@pytest.mark.parametrize("max_depth", [5, 10])
def test_deeper_replies_are_still_indented_more_on_a_wide_screen(page: Page, max_depth):
    post, chain = deep_thread(max_depth)
    page.set_viewport_size(DESKTOP)
    page.goto(post.get_absolute_url())

    lefts = [text_box(page, comment)["x"] for comment in chain]
    assert lefts == sorted(set(lefts)), lefts  # each level further right than the last
    # The indentation says who answers whom, so the line is not shown twice.
    expect(page.locator(".comment-list .re")).to_have_count(max(0, max_depth - REPLY_TO_FROM_DEPTH))
    for said in page.locator(".comment-list .re").all():
        expect(said).to_be_hidden()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

"""The discussion tools readers expect (issue 15) in a real browser: the order links,
folding a thread's replies with and without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

from comments.models import Comment
from comments.selectors import discussion_settings_get
from comments.services import discussion_settings_save, post_comments_bump
from tests.e2e.conftest import assert_accessible, assert_no_page_errors
from tests.e2e.test_discussion import write_comment
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


def seen_record(page: Page) -> dict | None:
    return page.evaluate("JSON.parse(localStorage.getItem('tribune.seen:' + location.pathname))")


def an_hour_passes(page: Page) -> None:
    """Move this browser's last visit an hour back, as if the reader left and came back."""
    page.evaluate(
        """() => {
            const key = 'tribune.seen:' + location.pathname;
            const record = JSON.parse(localStorage.getItem(key));
            record.at -= 60 * 60 * 1000;
            localStorage.setItem(key, JSON.stringify(record));
        }"""
    )


def test_comments_new_since_the_last_visit_are_marked(page: Page, discussion):
    post, roots, replies = discussion
    page.goto(post.get_absolute_url())
    # A first visit: nothing is new yet; the newest comment is remembered in this browser.
    expect(page.locator(".comment-new")).to_have_count(0)
    newest = replies[-1]
    assert seen_record(page)["seen"] == newest.pk
    an_hour_passes(page)

    later = [
        CommentFactory(parent=roots[1], guest_name="Jo Lane", body="Agreed, a real loss."),
        CommentFactory(post=post, guest_name="Kit Moss", body="What about the mobile library?"),
    ]
    post_comments_bump(post.pk)
    page.reload()
    for comment in later:
        mark = page.locator(f"#comment-{comment.pk} > .comment-new")
        expect(mark).to_have_text("New")
        expect(mark).to_be_visible()
    expect(page.locator(".comment-new")).to_have_count(2)
    news = page.locator(".comment-news")
    expect(news).to_have_text("2 new comments on this page since your last visit. Go to the first")
    news.get_by_role("link", name="Go to the first").click()
    expect(page).to_have_url(re.compile(rf"#comment-{later[0].pk}$"))
    assert_no_page_errors(page)
    assert_accessible(page)

    # Still the same visit: the marks stay while the reader goes on reading.
    page.reload()
    expect(page.locator(".comment-new")).to_have_count(2)
    # The next visit has nothing new.
    an_hour_passes(page)
    page.reload()
    expect(page.locator(".comment-new")).to_have_count(0)
    expect(page.locator(".comment-news")).to_have_count(0)
    # Nothing of it went to the server: no cookie was set.
    assert page.context.cookies() == []


def test_the_jump_to_the_newest_comment_finds_its_page(page: Page):
    settings = discussion_settings_get()
    settings.comments_per_page = 5
    discussion_settings_save(settings=settings)
    post = PostFactory(title="Twelve threads")
    roots = [CommentFactory(post=post, body=f"Thread {n}.") for n in range(12)]
    newest = CommentFactory(parent=roots[1], guest_name="Lou Nash", body="A late reply.")
    post_comments_bump(post.pk)

    page.goto(post.get_absolute_url() + "?cpage=3")
    page.get_by_role("link", name="Go to the newest comment").click()
    expect(page).to_have_url(re.compile(rf"/{post.slug}/#comment-{newest.pk}$"))
    expect(page.locator(f"#comment-{newest.pk}")).to_be_in_viewport()

    # Newest first, the reply's thread is on the last page.
    page.get_by_role("link", name="newest first").click()
    page.get_by_role("link", name="Go to the newest comment").click()
    expect(page).to_have_url(re.compile(rf"\?order=newest&cpage=3#comment-{newest.pk}$"))
    expect(page.locator(f"#comment-{newest.pk}")).to_be_in_viewport()
    assert_no_page_errors(page)
    assert_accessible(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_time_is_a_quiet_permalink(page: Page, discussion, scheme):
    post, roots, _ = discussion
    page.emulate_media(color_scheme=scheme)
    page.goto(post.get_absolute_url())
    permalink = page.locator(f"#comment-{roots[0].pk} > a[href='#comment-{roots[0].pk}']")
    style = "el => [getComputedStyle(el).textDecorationLine, getComputedStyle(el).outlineStyle]"
    assert permalink.evaluate(style) == ["none", "none"]
    permalink.hover()
    assert permalink.evaluate(style)[0] == "underline"
    page.mouse.move(0, 0)
    # Reached by keyboard: underlined and outlined.
    for _ in range(40):
        page.keyboard.press("Tab")
        if permalink.evaluate("el => el === document.activeElement"):
            break
    assert permalink.evaluate(style) == ["underline", "solid"]
    permalink.click()
    expect(page).to_have_url(re.compile(rf"#comment-{roots[0].pk}$"))
    assert_accessible(page)  # colour contrast included


def test_the_comment_a_reader_just_sent_is_not_new_to_them(page: Page, discussion, settings):
    settings.COMMENT_FORM_MIN_SECONDS = 0  # the form is sent within a second of its drawing
    post, roots, _ = discussion
    rules = discussion_settings_get()
    rules.flood_interval = 0
    discussion_settings_save(settings=rules)
    page.goto(post.get_absolute_url())
    an_hour_passes(page)
    other = CommentFactory(parent=roots[1], guest_name="Jo Lane", body="Agreed, a real loss.")
    post_comments_bump(post.pk)

    page.reload()
    write_comment(page, "I will sign the petition.")
    own = Comment.objects.latest("pk")
    expect(page).to_have_url(re.compile(rf"#comment-{own.pk}$"))
    expect(page.locator(f"#comment-{own.pk}")).to_contain_text("I will sign the petition.")
    expect(page.locator(f"#comment-{other.pk} > .comment-new")).to_have_text("New")
    expect(page.locator(f"#comment-{own.pk} .comment-new")).to_have_count(0)
    expect(page.locator(".comment-news")).to_have_text(
        "1 new comment on this page since your last visit. Go to it"
    )
    assert_no_page_errors(page)

"""A moderator scans the comment list and works through a queue with the keyboard, in a
real browser at a desktop width, on the demo discussions."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from comments.models import Comment, Guideline, ModerationEvent
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import CommentFactory, PostFactory, ReportFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 1280
# Two lines of the admin's 13 px text with the cell's padding come to about 50 px.
ROW_MAX_HEIGHT = 60
# The header, breadcrumbs, title, search, actions, table head and footer.
CHROME_MAX_HEIGHT = 600


@pytest.fixture
def demo():
    call_command("seed_demo", "--allow-without-debug", stdout=io.StringIO())
    return Comment.objects.count()


@pytest.fixture
def moderator_page(page: Page, live_server, client) -> Page:
    page.set_viewport_size({"width": WIDTH, "height": 900})
    sign_in(page, live_server, client, UserFactory(moderator=True, display_name="Mo Derator"))
    return page


def test_the_demo_discussions_take_two_lines_a_comment_at_1280_px(moderator_page: Page, demo):
    page = moderator_page
    long_one = Comment.objects.order_by("-created_at").first()
    long_one.body = "A comment that goes on. " * 80
    long_one.save()

    page.goto("/admin/comments/comment/")

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(demo)
    heights = rows.evaluate_all("rows => rows.map(row => row.getBoundingClientRect().height)")
    assert max(heights) <= ROW_MAX_HEIGHT, heights
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= demo * ROW_MAX_HEIGHT + CHROME_MAX_HEIGHT, height
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    first = rows.first
    full_text = first.locator(".comment-full")
    expect(full_text).to_be_hidden()
    first.locator("summary").click()
    expect(full_text).to_be_visible()
    expect(full_text).to_contain_text(long_one.body.strip())
    assert_no_page_errors(page)
    assert_accessible(page)


@pytest.fixture
def held_queue():
    Guideline.objects.create(number=2, title="No personal attacks", text="Be civil.")
    Guideline.objects.create(number=5, title="No spam", text="No advertising.")
    post = PostFactory(title="Where the river floods")
    bodies = [
        "First held: the weir was never cleared.",
        "Second held: you lot are idiots.",
        "Third held: buy cheap watches here.",
        "Fourth held: the council met on Tuesday.",
    ]
    start = timezone.now() - timedelta(hours=1)
    held = [
        CommentFactory(post=post, body=body, pending=True, created_at=start + timedelta(minutes=n))
        for n, body in enumerate(bodies)
    ]
    ReportFactory(comment=held[1], guideline=Guideline.objects.get(number=2))
    return held


def status_of(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


def focused_row_text(page: Page) -> str:
    return page.evaluate("document.activeElement.closest('tr').innerText")


def test_a_moderator_works_through_the_held_queue_with_the_keyboard(
    moderator_page: Page, held_queue
):
    page = moderator_page
    first, second, third, fourth = held_queue
    page.goto("/admin/comments/comment/held/")
    expect(page.get_by_role("button", name="Keyboard shortcuts")).to_be_visible()

    # Keys typed into a field are text, not shortcuts.
    search = page.get_by_role("textbox", name="Search")
    search.click()
    page.keyboard.type("jax")
    expect(search).to_have_value("jax")
    assert status_of(first) == Comment.Status.PENDING
    search.fill("")

    # ? lists the keys; Escape closes the list.
    page.keyboard.press("Tab")
    page.keyboard.press("?")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(shortcuts).to_be_visible()
    expect(shortcuts).to_contain_text("Hide, citing a guideline")
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()

    # j and k move from comment to comment; Enter shows the whole text.
    page.keyboard.press("j")
    assert "First held" in focused_row_text(page)
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert "Third held" in focused_row_text(page)
    page.keyboard.press("k")
    assert "Second held" in focused_row_text(page)
    page.keyboard.press("Enter")
    expect(page.locator("#result_list tbody tr").nth(1).locator(".comment-full")).to_be_visible()

    # h hides it: the guideline is asked for (the report's is offered first) with the focus
    # on it, and the queue comes back with the focus where it was.
    page.keyboard.press("h")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hide comments")
    guideline = page.get_by_label("Guideline broken")
    expect(guideline).to_be_focused()
    expect(guideline).to_have_value(str(Guideline.objects.get(number=2).pk))
    page.keyboard.press("Tab")
    page.keyboard.type("Name-calling.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("1 comment hidden.")
    expect(page).to_have_url(re.compile(r"/admin/comments/comment/held/$"))
    assert status_of(second) == Comment.Status.HIDDEN
    event = ModerationEvent.objects.get(comment=second)
    assert (event.guideline.number, event.note) == (2, "Name-calling.")
    assert "Third held" in focused_row_text(page)

    # a approves the comment in focus.
    page.keyboard.press("k")
    assert "First held" in focused_row_text(page)
    page.keyboard.press("a")
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    assert status_of(first) == Comment.Status.PUBLISHED
    assert "Third held" in focused_row_text(page)

    # x selects; an action key then runs on the selection, not on the comment in focus.
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator(".action-counter")).to_have_text("2 of 2 selected")
    page.keyboard.press("a")
    expect(page.locator(".messagelist")).to_contain_text("2 comments approved.")
    assert {status_of(third), status_of(fourth)} == {Comment.Status.PUBLISHED}
    expect(page.locator("#result_list")).to_have_count(0)
    assert_no_page_errors(page)
    assert_accessible(page)

import pytest
from django.template import loader
from django.test import RequestFactory
from playwright.sync_api import Page, expect

from comments.views.posting import comment_unsaved
from tests.e2e.conftest import assert_accessible, assert_no_page_errors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_loads_accessibly_with_no_console_errors(page: Page):
    response = page.goto("/")

    assert response.status == 200
    expect(page).to_have_title("Tribune")
    expect(page.get_by_role("heading", name="Nothing published yet")).to_be_visible()
    assert_no_page_errors(page)
    assert_accessible(page)


def test_skip_link_moves_focus_to_main_content(page: Page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


def test_missing_page_shows_friendly_404_accessibly(page: Page):
    response = page.goto("/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="We can’t find that page")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    assert_no_page_errors(page)
    assert_accessible(page)


def test_menu_toggle_works_on_a_narrow_screen(page: Page):
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto("/")
    toggle = page.locator("summary", has_text="Menu")
    nav_home = page.get_by_role("navigation", name="Sections").get_by_role("link", name="Home")

    expect(nav_home).to_be_hidden()
    toggle.click()

    expect(nav_home).to_be_visible()
    assert_no_page_errors(page)


@pytest.mark.parametrize("status", [503, 500])
def test_a_comment_that_was_not_posted_comes_back_accessibly(page: Page, live_server, status):
    """The page the error handler shows for a comment it could not post, as rendered by
    it, served at the site's address (the database-outage tests reach it for real)."""
    sent = {"body": "My <em>careful</em> words", "name": "Ada", "email": "ada@example.org"}
    request = RequestFactory().post("/comments/post/1/", sent)
    html = comment_unsaved(request, status=status).content.decode()
    page.route(f"{live_server.url}/comments/post/1/", lambda route: route.fulfill(body=html))

    page.goto("/comments/post/1/")

    expect(page.get_by_role("heading", name="Your comment wasn’t posted")).to_be_visible()
    expect(page.get_by_label("Your comment")).to_have_value("My <em>careful</em> words")
    expect(page.get_by_role("button", name="Send it again")).to_be_visible()
    assert_accessible(page)


def test_the_database_outage_page_is_accessible(page: Page, live_server):
    html = loader.get_template("503.html").render()
    page.route(f"{live_server.url}/", lambda route: route.fulfill(body=html))

    page.goto("/")

    expect(page.get_by_role("heading", name="We’ll be back in a moment")).to_be_visible()
    assert_accessible(page)

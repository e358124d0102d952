import pytest
from playwright.sync_api import Page, expect

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
    toggle = page.get_by_role("button", name="Show or hide the menu")
    nav_home = page.locator("#site-nav").get_by_role("link", name="Home")

    expect(nav_home).to_be_hidden()
    toggle.click()

    expect(nav_home).to_be_visible()
    assert_no_page_errors(page)

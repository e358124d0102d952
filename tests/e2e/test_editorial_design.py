"""The editorial design (issue 15) in a real browser at 1280 and 390 px: the header's
sections, and on a phone their menu, which opens with and without JavaScript; the home
page's lead story; the type (bold headlines, a standfirst, the article's measure); the
footer; axe on the home, post and section pages."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PageProblems, assert_accessible
from tests.factories import CategoryFactory, ImageFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = [pytest.param(DESKTOP, id="1280px"), pytest.param(PHONE, id="390px")]


@pytest.fixture
def articles():
    """A lead story with a picture and three more, in three sections."""
    author = UserFactory(
        username="jane", editor=True, display_name="Jane Doe", byline_title="Senior Researcher"
    )
    analysis = CategoryFactory(name="Analysis", slug="analysis")
    news = CategoryFactory(name="News", slug="news")
    community = CategoryFactory(name="Community", slug="community")
    now = timezone.now()
    for days, title, category in [
        (4, "Fourteen million taps on the 42 bus", analysis),
        (3, "The council votes on the library budget", news),
        (2, "A year on the rooftops", community),
    ]:
        PostFactory(
            title=title,
            author=author,
            categories=[category],
            published_at=now - timedelta(days=days),
        )
    return PostFactory(
        title="What the river count tells us",
        excerpt="Volunteers counted the fish in the river for ten years. Here is what changed.",
        body="<p>The count began in 2015.</p><h2>What they found</h2><p>More trout.</p>",
        author=author,
        categories=[analysis],
        featured_image=ImageFactory(alt_text="Volunteers wading in the river"),
        is_sticky=True,
        published_at=now - timedelta(days=1),
    )


@pytest.fixture
def open_page(browser: Browser, live_server) -> Iterator:
    """``open_page(size, javascript=True)``: a tab of its own at that size; the test fails
    if any page logged an error."""
    contexts, watched = [], []

    def opened(size: dict, *, javascript: bool = True) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-GB",
            viewport=size,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        problems = PageProblems(page)
        page.on("console", problems.on_console)
        page.on("pageerror", problems.on_page_error)
        watched.append(problems)
        return page

    yield opened
    for context in contexts:
        context.close()
    messages = [message for problems in watched for message in problems.messages]
    assert messages == [], "The page reported errors:\n" + "\n".join(messages)


def sections(page: Page):
    return page.get_by_role("navigation", name="Sections")


# --- The sections and the phone menu ---------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_phone_menu_opens_and_leads_to_a_section(open_page, articles, javascript):
    page = open_page(PHONE, javascript=javascript)
    page.goto("/")
    menu = page.locator("summary", has_text="Menu")
    news = sections(page).get_by_role("link", name="News")

    expect(menu).to_be_visible()
    expect(news).to_be_hidden()
    menu.click()
    expect(news).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search articles")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    news.click()

    expect(page).to_have_url(f"{page.url.split('/category/')[0]}/category/news/")
    expect(page.get_by_role("heading", name="Articles in News")).to_be_visible()
    page.locator("summary", has_text="Menu").click()
    expect(sections(page).get_by_role("link", name="News")).to_have_attribute(
        "aria-current", "page"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_phone_menu_opens_from_the_keyboard(open_page, articles, javascript):
    page = open_page(PHONE, javascript=javascript)
    page.goto("/")
    menu = page.locator("summary", has_text="Menu")

    menu.focus()
    page.keyboard.press("Enter")
    expect(sections(page).get_by_role("link", name="Analysis")).to_be_visible()
    page.keyboard.press("Tab")  # to Home, the menu's first link
    expect(sections(page).get_by_role("link", name="Home")).to_be_focused()
    menu.focus()
    page.keyboard.press("Enter")
    expect(sections(page).get_by_role("link", name="Analysis")).to_be_hidden()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_on_a_wide_screen_the_sections_are_always_shown(open_page, articles, javascript):
    page = open_page(DESKTOP, javascript=javascript)
    page.goto("/category/analysis/")

    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    for name in ("Home", "Analysis", "Community", "News"):
        expect(sections(page).get_by_role("link", name=name)).to_be_visible()
    expect(sections(page).get_by_role("link", name="Analysis")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("searchbox", name="Search articles")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    # Everything in one line under the masthead.
    home = sections(page).get_by_role("link", name="Home").bounding_box()
    news = sections(page).get_by_role("link", name="News").bounding_box()
    assert home["y"] == news["y"]


# --- The lead story and the type ----------------------------------------------------------


def style(page: Page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(
        "(node, prop) => getComputedStyle(node).getPropertyValue(prop)", prop
    )


@pytest.mark.parametrize("size", WIDTHS)
def test_the_lead_story_is_large_and_headlines_are_bold(open_page, articles, size):
    page = open_page(size)
    page.goto("/")
    lead = page.locator(".lead-story")

    expect(lead.get_by_role("heading", name="What the river count tells us")).to_be_visible()
    expect(lead.get_by_role("img", name="Volunteers wading in the river")).to_be_visible()
    expect(lead.get_by_text("Volunteers counted the fish")).to_be_visible()
    expect(lead.get_by_text("Jane Doe")).to_be_visible()
    for selector in (".lead-story-title", ".post-card-title"):
        assert int(style(page, selector, "font-weight")) >= 600, selector
    lead_size = float(style(page, ".lead-story-title", "font-size").removesuffix("px"))
    card_size = float(style(page, ".post-card-title", "font-size").removesuffix("px"))
    assert lead_size >= 1.3 * card_size
    picture = lead.locator("img").bounding_box()
    headline = lead.get_by_role("heading").bounding_box()
    if size is DESKTOP:  # side by side, the picture the wider
        assert headline["x"] > picture["x"] + picture["width"]
        assert picture["width"] > 600
    else:  # the picture above, the width of the screen less the margins
        assert headline["y"] > picture["y"] + picture["height"]
        assert picture["width"] >= 360
    # The others follow under it.
    first_card = page.locator(".post-card").first.bounding_box()
    assert first_card["y"] > headline["y"] + headline["height"]


@pytest.mark.parametrize("size", WIDTHS)
def test_an_article_reads_like_a_newspaper(open_page, articles, size):
    page = open_page(size)
    page.goto(articles.get_absolute_url())

    assert int(style(page, "h1#post-title", "font-weight")) >= 600
    assert int(style(page, ".post-body h2", "font-weight")) >= 600
    assert int(style(page, ".standfirst", "font-weight")) == 400
    body = float(style(page, ".post-body", "font-size").removesuffix("px"))
    title = float(style(page, "h1#post-title", "font-size").removesuffix("px"))
    standfirst = float(style(page, ".standfirst", "font-size").removesuffix("px"))
    assert title > standfirst >= body >= 17
    line_height = float(style(page, ".post-body p", "line-height").removesuffix("px"))
    assert 1.5 <= line_height / body <= 1.8
    # The measure: at most 75 characters a line on a wide screen, and not fewer than 60.
    characters = page.locator(".post-body p").first.evaluate(
        """node => {
            const probe = document.createElement("span");
            probe.textContent = "0".repeat(100);
            node.appendChild(probe);
            const ch = probe.getBoundingClientRect().width / 100;
            probe.remove();
            return node.getBoundingClientRect().width / ch;
        }"""
    )
    if size is DESKTOP:
        assert 60 <= characters <= 75, characters
    else:
        assert characters < 45, characters
    assert_no_horizontal_scroll(page)


def assert_no_horizontal_scroll(page: Page) -> None:
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, (scroll, client)


# --- The footer ------------------------------------------------------------------------


@pytest.mark.parametrize("size", WIDTHS)
def test_the_footer_leads_to_the_guidelines_and_the_feeds_without_javascript(
    open_page, articles, size
):
    page = open_page(size, javascript=False)
    page.goto(articles.get_absolute_url())
    footer = page.get_by_role("contentinfo")

    for name in ("Articles (RSS)", "Articles (Atom)", "Comments (RSS)", "Sign in", "Join"):
        expect(footer.get_by_role("link", name=name)).to_be_visible()
    footer.get_by_role("link", name="Community Guidelines").click()

    expect(page.get_by_role("heading", name="Community Guidelines", level=1)).to_be_visible()


# --- Accessibility ---------------------------------------------------------------------


@pytest.mark.parametrize("size", WIDTHS)
def test_home_post_and_section_pages_are_accessible(open_page, articles, size):
    page = open_page(size)
    for url in ("/", articles.get_absolute_url(), "/category/analysis/"):
        page.goto(url)
        assert_accessible(page)
        if size is PHONE:
            page.locator("summary", has_text="Menu").click()
            assert_accessible(page)

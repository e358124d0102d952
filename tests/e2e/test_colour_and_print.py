"""The dark colour scheme and the article's print stylesheet (issue 15) in a real browser.

Dark colours follow the reader's system setting (prefers-color-scheme, no JavaScript): the
pages keep axe at zero violations (contrast included) and pictures stay shown. Printed, a
post is the article alone, in dark ink on white even from a dark screen, and prints to PDF.
"""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from comments.services import post_comments_bump
from tests.e2e.conftest import PageProblems, assert_accessible, assert_no_page_errors
from tests.factories import (
    CommentFactory,
    ImageFactory,
    PostFactory,
    UserFactory,
    set_avatar,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOOTSTRAP_DARK_BODY = "rgb(33, 37, 41)"  # Bootstrap's $body-bg-dark


@pytest.fixture
def post():
    """A post with a picture, a link in its body, a thread with a reply and an avatar, and an
    earlier post (so the post has a neighbour link)."""
    post = PostFactory(
        title="What the river count tells us",
        excerpt="Volunteers counted the fish in the river for ten years.",
        body=(
            '<p>The count began in 2015 (<a href="https://example.org/river-report">the '
            'report</a>, <a href="#method">method</a>).</p><h2 id="method">Method</h2>'
        ),
        featured_image=ImageFactory(alt_text="Volunteers wading in the river"),
    )
    PostFactory(title="An earlier article", published_at=post.published_at - timedelta(days=1))
    member = set_avatar(UserFactory(username="mira", display_name="Mira Osei"))
    root = CommentFactory(
        post=post, user=member, guest_name="", guest_email="", body="Was the weir the cause?"
    )
    CommentFactory(post=post, parent=root, guest_name="Tom Hale", body="Partly, the report says.")
    post_comments_bump(post.pk)
    return post


@pytest.fixture
def open_page(browser: Browser, live_server) -> Iterator:
    """``open_page(color_scheme)``: a tab of its own with that colour scheme; the test fails
    if any page logged an error."""
    contexts, watched = [], []

    def opened(color_scheme: str) -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", color_scheme=color_scheme
        )
        contexts.append(context)
        page = context.new_page()
        page.problems = PageProblems(page)
        page.on("console", page.problems.on_console)
        page.on("pageerror", page.problems.on_page_error)
        watched.append(page)
        return page

    yield opened
    for context in contexts:
        context.close()
    for page in watched:
        assert page.problems.messages == [], "\n".join(page.problems.messages)


def _style(page: Page, selector: str, prop: str, pseudo: str | None = None) -> str:
    return page.eval_on_selector(
        selector, "(el, [prop, pseudo]) => getComputedStyle(el, pseudo)[prop]", [prop, pseudo]
    )


def _pictures_shown(page: Page) -> None:
    """Every picture loaded and is drawn (not hidden, not zero-sized)."""
    pictures = page.eval_on_selector_all(
        "img",
        "els => els.map(el => [el.complete && el.naturalWidth > 0, el.getBoundingClientRect()"
        ".width > 0, getComputedStyle(el).visibility, el.currentSrc])",
    )
    assert pictures
    for loaded, drawn, visibility, source in pictures:
        assert (loaded, drawn, visibility) == (True, True, "visible"), source


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_post_and_sign_in_follow_the_colour_scheme_and_stay_accessible(
    open_page, post, scheme
):
    page = open_page(scheme)
    post_address = post.get_absolute_url()
    for address in ["/", post_address, reverse("accounts:login")]:
        page.goto(address)
        background = _style(page, "body", "backgroundColor")
        if scheme == "dark":
            assert background == BOOTSTRAP_DARK_BODY, address
        else:
            assert background == "rgb(255, 255, 255)", address
        assert_accessible(page)
        assert_no_page_errors(page)

    # Pictures stay shown in the dark: the post's, the avatar and the favicon.
    page.goto(post_address)
    page.locator("img").last.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    _pictures_shown(page)
    favicon = page.eval_on_selector("link[rel=icon]", "el => el.href")
    response = page.request.get(favicon)
    assert response.ok
    assert b'fill="#8a1c1c"' in response.body()  # its own dark square behind a white T


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_post_prints_as_the_article_alone_in_dark_ink(open_page, post, scheme):
    page = open_page(scheme)
    page.goto(post.get_absolute_url())
    assert page.locator("#comments").is_visible()
    page.emulate_media(media="print")

    for hidden in [".site-header", ".site-footer", "#comments", ".post-neighbours"]:
        assert _style(page, hidden, "display") == "none", hidden
    # Nothing to click on paper: no navigation, form or button is drawn.
    for hidden in ["nav", "form", "button", ".comment-list", "a.skip-link"]:
        drawn = page.locator(hidden).evaluate_all("els => els.filter(el => el.checkVisibility())")
        assert drawn == [], hidden
    for shown in ["#post-title", ".byline", ".featured-image", ".figure-caption", ".post-body"]:
        assert page.locator(shown).first.is_visible(), shown
    assert _style(page, "body", "color") == "rgb(0, 0, 0)"
    assert _style(page, "body", "backgroundColor") == "rgb(255, 255, 255)"
    # A link's address follows it; a link within the page does not get one.
    after = _style(page, ".post-body a[href^='https']", "content", "::after")
    assert after == '" (" attr(href) ")"' or "https://example.org/river-report" in after
    assert _style(page, ".post-body a[href^='#']", "content", "::after") == "none"

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000  # the article and its picture, not an empty page

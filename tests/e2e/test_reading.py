"""A reader browses, opens an article, follows archives and searches, in a real browser."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_no_page_errors
from tests.factories import CategoryFactory, ImageFactory, PostFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article():
    author = UserFactory(
        username="jane", editor=True, display_name="Jane Doe", byline_title="Senior Researcher"
    )
    category = CategoryFactory(name="Analysis", slug="analysis")
    tag = TagFactory(name="Rivers", slug="rivers")
    PostFactory(
        title="Older piece on bus routes",
        author=author,
        categories=[category],
        published_at=timezone.now() - timedelta(days=2),
    )
    return PostFactory(
        title="What the river count tells us",
        excerpt="Volunteers counted birds along four kilometres of bank.",
        body="<h2>The count</h2><p>Forty-one <strong>kingfishers</strong>.</p>"
        "<blockquote><p>It was a good year.</p></blockquote>",
        author=author,
        featured_image=ImageFactory(
            alt_text="A kingfisher on a branch", caption="Spotted at dawn.", credit="Sam Lee"
        ),
        categories=[category],
        tags=[tag],
    )


def test_reader_opens_an_article_from_the_home_page(page: Page, article):
    page.goto("/")
    assert_accessible(page)

    page.get_by_role("link", name=article.title, exact=True).click()

    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(page.get_by_text("Jane Doe, Senior Researcher")).to_be_visible()
    expect(page.get_by_text("Photo credit: Sam Lee")).to_be_visible()
    expect(page.get_by_role("img", name="A kingfisher on a branch")).to_be_visible()
    expect(page.get_by_role("link", name="Older piece on bus routes")).to_be_visible()
    assert_no_page_errors(page)
    assert_accessible(page)


def test_reader_follows_category_and_author_archives(page: Page, article):
    page.goto(article.get_absolute_url())

    page.locator("article.post").get_by_role("link", name="Analysis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles in Analysis")
    expect(page.get_by_text("2 articles")).to_be_visible()
    assert_accessible(page)

    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Jane Doe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles by Jane Doe")
    assert_no_page_errors(page)
    assert_accessible(page)


def test_reader_searches_from_the_header(page: Page, article):
    page.goto("/")

    page.get_by_role("searchbox", name="Search articles").fill("kingfishers")
    page.get_by_role("searchbox", name="Search articles").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search the articles")
    expect(page.get_by_text("1 article matches “kingfishers”")).to_be_visible()
    expect(page.get_by_role("link", name=article.title, exact=True)).to_be_visible()
    expect(page.locator("mark").first).to_have_text("kingfishers")
    assert_no_page_errors(page)
    assert_accessible(page)


def test_empty_search_gets_help_accessibly(page: Page):
    page.goto("/search/?q=")

    expect(page.get_by_text("Type a word or two to search the articles.")).to_be_visible()
    assert_accessible(page)

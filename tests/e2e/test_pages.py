"""A reader opens a page (About) in a real browser: shown in the site's frame, accessible."""

import pytest
from playwright.sync_api import Page, expect

from blog.models import Page as SitePage
from blog.services import page_save
from tests.e2e.conftest import assert_accessible, assert_no_page_errors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reader_opens_the_about_page(page: Page):
    page_save(
        SitePage(
            title="About us",
            slug="about",
            body="<h2>Who we are</h2><p>We write about <strong>rivers</strong>.</p>"
            "<ul><li>News</li><li>Analysis</li></ul>",
            status=SitePage.Status.PUBLISHED,
        )
    )

    page.goto("/about/")

    expect(page.get_by_role("heading", level=1)).to_have_text("About us")
    expect(page.get_by_role("heading", name="Who we are")).to_be_visible()
    assert_no_page_errors(page)
    assert_accessible(page)

"""A superuser imports a WordPress site in the admin and watches its progress, in a real
browser."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from blog.models import Category, Post
from core.cache import cache_set
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import UserFactory
from wordpress.models import WordPressImport
from wordpress.selectors import import_progress_key

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

THEME_UNIT_TEST = (
    Path(__file__).resolve().parents[1] / "data/wordpress/themeunittestdata.wordpress.xml"
)


@pytest.fixture
def superuser_page(page: Page, live_server, client) -> Page:
    sign_in(page, live_server, client, UserFactory(is_staff=True, is_superuser=True))
    return page


def test_superuser_imports_a_wordpress_export_and_reads_the_summary(superuser_page: Page):
    page = superuser_page

    page.goto("/admin/")
    page.get_by_role("link", name="Import from WordPress").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from WordPress")
    assert_accessible(page)
    page.get_by_label("WordPress export").set_input_files(str(THEME_UNIT_TEST))
    # The immediate backend of the tests runs the import before the page answers.
    with page.expect_navigation(url=re.compile(r"/progress/$"), timeout=120_000):
        page.get_by_role("button", name="Import").click()

    expect(page).to_have_url(re.compile(r"/admin/wordpress/wordpressimport/\d+/progress/$"))
    expect(page.get_by_role("status")).to_have_text(
        "The import has finished. The summary is below."
    )
    summary = page.get_by_role("table", name="What the import did")
    expect(summary.get_by_role("row", name=re.compile(r"^Category"))).to_contain_text("68")
    expect(page.locator("#import-skipped")).to_contain_text("pingbacks and trackbacks are not kept")
    assert Category.objects.count() == 68
    assert Post.objects.count() == 58
    assert_no_page_errors(page)
    assert_accessible(page)


def test_the_progress_page_follows_an_import_in_place_until_its_summary(
    superuser_page: Page, live_server
):
    page = superuser_page
    wordpress_import = WordPressImport.objects.create(
        original_name="big-site.xml", size=8192, status=WordPressImport.Status.RUNNING
    )
    key = import_progress_key(wordpress_import.pk)
    cache_set(key, {"done_bytes": 2048, "total_bytes": 8192, "counts": {"post": 4}}, 60)

    page.goto(f"/admin/wordpress/wordpressimport/{wordpress_import.pk}/progress/")
    status = page.get_by_role("status")
    expect(status).to_have_text("Importing.")
    progress = page.get_by_role("progressbar", name="Read so far")
    expect(progress).to_have_attribute("value", "2048")
    assert_no_page_errors(page)
    assert_accessible(page)

    # The worker reads on; the script shows it without reloading the page.
    page.evaluate("document.body.dataset.sameDocument = 'yes'")
    cache_set(key, {"done_bytes": 6144, "total_bytes": 8192, "counts": {"post": 9}}, 60)
    expect(page.locator("#import-bytes")).to_have_text("6.0\xa0KB of 8.0\xa0KB read")
    expect(page.locator("#import-counts")).to_have_text("Post: 9")

    # It finishes: the summary comes in, and the live region says so.
    WordPressImport.objects.filter(pk=wordpress_import.pk).update(
        status=WordPressImport.Status.DONE,
        finished_at=timezone.now(),
        summary={"created": {"post": 9}, "updated": {}, "unchanged": {}, "skipped": []},
    )
    expect(status).to_have_text("The import has finished. The summary is below.")
    expect(page.get_by_role("table", name="What the import did")).to_contain_text("9")
    expect(page.locator("body")).to_have_attribute("data-same-document", "yes")
    assert_no_page_errors(page)
    assert_accessible(page)

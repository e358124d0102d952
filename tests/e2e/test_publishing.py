"""An editor publishes an article with a picture through the admin; a reader finds it."""

import re
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import Browser, Page, expect

from blog.models import Image, Post
from tests.e2e.conftest import assert_accessible, assert_no_page_errors
from tests.factories import DEFAULT_PASSWORD, UserFactory, make_picture_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Kingfishers return to the Wend"


def _sign_in(page: Page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Newsroom and moderation")).to_be_visible()


def test_editor_publishes_a_post_with_an_image_and_a_reader_finds_it(
    page: Page, browser: Browser, live_server
):
    UserFactory(username="jane", editor=True, display_name="Jane Doe")
    _sign_in(page, "jane")

    # Upload a picture to the image library.
    page.goto("/admin/blog/image/add/")
    page.get_by_label("Picture").set_input_files(
        {
            "name": "kingfisher.jpg",
            "mimeType": "image/jpeg",
            "buffer": make_picture_bytes(1200, 800),
        }
    )
    page.get_by_label("Alt text").fill("A kingfisher on a willow branch")
    page.get_by_label("Caption").fill("Seen below the weir at dawn.")
    page.get_by_label("Credit").fill("Sam Lee")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Image.objects.get().renditions

    # Write the post in the rich-text editor and publish it now.
    page.goto("/admin/blog/post/add/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Excerpt").fill("Volunteers counted forty-one birds this spring.")
    editor = page.locator(".field-body [contenteditable=true]")
    editor.click()
    page.keyboard.type("The spring count found forty-one kingfishers along the river.")
    page.locator(".field-featured_image .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("kingfisher")
    page.locator(".select2-results__option", has_text="A kingfisher on a willow branch").click()
    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert_no_page_errors(page)

    post = Post.objects.get(title=TITLE)
    assert post.slug == "kingfishers-return-to-the-wend"
    assert "forty-one kingfishers" in post.body
    assert post.is_published

    # A reader, not signed in, finds it on the home page, by search and in the feed.
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto("/")
    reader.get_by_role("link", name=TITLE, exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.get_by_role("img", name="A kingfisher on a willow branch")).to_be_visible()
    expect(reader.get_by_text("Photo credit: Sam Lee")).to_be_visible()
    assert_accessible(reader)

    reader.goto("/search/?q=kingfishers")
    expect(reader.get_by_role("link", name=TITLE, exact=True)).to_be_visible()

    feed = reader.request.get("/feed/")
    assert feed.ok
    titles = [item.findtext("title") for item in ET.fromstring(feed.body()).iter("item")]  # noqa: S314
    assert titles == [TITLE]
    assert re.search(r"<enclosure [^>]*url=\"http://", feed.text())
    reader.context.close()

"""An editor shares a draft: makes a preview link in the post's admin page, a colleague
without an account opens it in a fresh browser and reads the draft under its banner, and
after "Stop sharing" the same link is a polite 404."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from blog.models import PreviewLink
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "The new bridge opens in May"


def test_an_editor_shares_a_draft_and_a_reader_without_an_account_reads_it(
    page: Page, browser: Browser, live_server, client
):
    editor = UserFactory(username="jane", editor=True, display_name="Jane Doe")
    post = PostFactory(
        draft=True,
        title=TITLE,
        author=editor,
        body="<p>The council confirmed the date this morning.</p>",
    )
    sign_in(page, live_server, client, editor)

    page.goto(f"/admin/blog/post/{post.pk}/change/")
    sharing = page.locator("#preview-links")
    expect(sharing.get_by_role("heading", name="Share a preview link")).to_be_visible()
    expect(sharing.get_by_label("The link lasts")).to_have_value("7")
    sharing.get_by_label("The link lasts").select_option("1")
    sharing.get_by_role("button", name="Make a preview link").click()
    expect(page.locator(".messagelist")).to_contain_text("Anyone with it can read the post until")
    address_field = page.locator("#preview-links .preview-link-address")
    expect(address_field).to_have_count(1)
    expect(sharing.get_by_text(re.compile(r"Expires on .*; shared by"))).to_be_visible()
    address = address_field.input_value()
    assert address.startswith(f"{live_server.url}/preview/")
    assert_no_page_errors(page)

    # A colleague with no account opens it in a browser of their own.
    reader_context = browser.new_context(locale="en-GB")
    reader = reader_context.new_page()
    response = reader.goto(address)
    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.get_by_role("status")).to_contain_text("Preview: not published yet")
    expect(reader.get_by_role("status")).to_contain_text("this link expires on")
    expect(reader.get_by_text("The council confirmed the date this morning.")).to_be_visible()
    account = reader.get_by_role("navigation", name="Your account")
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()
    expect(reader.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")
    assert_accessible(reader)

    # The editor stops sharing; the colleague's link no longer opens the draft.
    sharing.get_by_role("button", name="Stop sharing").click()
    expect(page.locator(".messagelist")).to_contain_text("1 preview link was stopped")
    expect(page.locator("#preview-links .preview-link-address")).to_have_count(0)
    assert not PreviewLink.objects.live().exists()

    gone = reader.goto(address)
    assert gone.status == 404
    expect(reader.get_by_role("heading", name="This preview link does not work")).to_be_visible()
    expect(reader.get_by_text(TITLE)).to_have_count(0)
    assert_accessible(reader)
    reader_context.close()

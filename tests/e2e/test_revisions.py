"""An editor edits a post twice in the admin, opens its history, compares the first and the
last revision word by word, and restores the first as a new revision."""

import pytest
from playwright.sync_api import Page, expect

from blog.models import Post
from blog.services import post_revision_record
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_editor_compares_two_revisions_and_restores_the_first(page: Page, live_server, client):
    editor = UserFactory(username="jane", editor=True, display_name="Jane Doe")
    post = PostFactory(
        draft=True,
        title="Library hours",
        author=editor,
        body="<p>The library opens on Sundays.</p>",
    )
    post_revision_record(post=post, by=editor)
    sign_in(page, live_server, client, editor)

    # Two edits in the change form: the body, then the title.
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    body = page.locator(".field-body [contenteditable=true]")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" It closes at five.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_label("Title").fill("Library opening hours")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert_no_page_errors(page)

    # The history lists the three revisions, newest first.
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History of “Library opening hours”")).to_be_visible()
    rows = page.locator(".revision-history tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Title")
    expect(rows.nth(1)).to_contain_text("Body")
    expect(rows.nth(0)).to_contain_text("Jane Doe")
    expect(page.get_by_text("Every revision of the last 30 days is kept")).to_be_visible()
    assert_accessible(page)

    # Compare the first with the last.
    page.get_by_label("Compare from revision 1").check()
    page.get_by_label("Compare to revision 3").check()
    page.get_by_role("button", name="Compare the chosen revisions").click()
    expect(page.get_by_role("heading", name="Revision 1 compared with revision 3")).to_be_visible()
    title = page.locator("section", has=page.get_by_role("heading", name="Title"))
    expect(title.locator("ins")).to_have_text("[added:opening ]")
    body_change = page.locator("section", has=page.get_by_role("heading", name="Body"))
    expect(body_change.locator("ins")).to_contain_text("It closes at five")
    expect(body_change).not_to_contain_text("<p>")
    expect(page.locator("ins").first).to_have_css("text-decoration-line", "underline")
    assert_accessible(page)

    # Restore the first revision, after the confirmation page.
    page.get_by_role("link", name="Restore revision 1…").click()
    expect(
        page.get_by_text("restoring does not publish, unpublish or reschedule it")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, restore revision 1").click()
    expect(page.locator(".messagelist")).to_contain_text("Revision 1 was restored as revision 4")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Restored from revision 1")
    assert_no_page_errors(page)

    page.goto(f"/admin/blog/post/{post.pk}/change/")
    expect(page.get_by_label("Title")).to_have_value("Library hours")
    expect(page.locator(".field-body [contenteditable=true]")).to_have_text(
        "The library opens on Sundays."
    )
    post = Post.objects.get(pk=post.pk)
    assert (post.status, post.body) == ("draft", "<p>The library opens on Sundays.</p>")

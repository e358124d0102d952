"""Review before publishing in a real browser: a contributor writes a draft and submits it;
an editor sees the count on the admin index, opens the queue and sends the post back with a
comment; the contributor reads the comment, changes the post and submits it again; the
editor approves it and readers find it on the site.

The admin index, the queue and each post's whole page pass axe.
"""

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from blog.models import Post
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


TITLE = "The Wend's otters are back"
COMMENT = "Please say who counted the otters, and when."


def test_a_contributor_submits_an_editor_sends_back_then_approves(
    page: Page, browser: Browser, live_server, client
):
    contributor = UserFactory(
        username="cora", contributor=True, display_name="Cora Writer", email="cora@example.org"
    )
    editor = UserFactory(username="ed", editor=True, display_name="Ed Itor", email="ed@example.org")

    # The contributor writes a draft and submits it.
    sign_in(page, live_server, client, contributor)
    page.goto("/admin/blog/post/add/")
    expect(page.get_by_label("Status")).to_have_count(0)  # shown read-only, not a field
    page.get_by_label("Title").fill(TITLE)
    page.locator(".field-body [contenteditable=true]").click()
    page.keyboard.type("Otters were seen below the weir.")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("was saved and submitted for review")
    review = page.get_by_role("region", name="Review before publishing")
    expect(review).to_contain_text("Waiting for review since")
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    assert_accessible(page)
    assert_no_page_errors(page)
    post = Post.objects.get(title=TITLE)
    assert post.review_state == Post.ReviewState.WAITING
    assert [message.to for message in mail.outbox] == [[editor.email]]

    # The editor sees the count, opens the queue and sends the post back.
    editor_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    desk = editor_context.new_page()
    desk_errors: list[str] = []
    desk.on("console", lambda m: desk_errors.append(m.text) if m.type == "error" else None)
    desk.on("pageerror", lambda error: desk_errors.append(str(error)))
    sign_in(desk, live_server, Client(), editor)  # a session of their own
    desk.goto("/admin/")
    expect(desk.locator("#review-waiting-count")).to_have_text("1 post")
    assert_accessible(desk)
    desk.get_by_role("link", name="Waiting for review", exact=True).click()
    expect(desk.locator("#result_list")).to_contain_text("Waiting since")
    assert_accessible(desk)
    desk.get_by_role("link", name=TITLE).click()
    desk_review = desk.get_by_role("region", name="Review before publishing")
    expect(desk_review).to_contain_text("Submitted for review")
    assert_accessible(desk)
    desk_review.get_by_label("What should the author change?").fill(COMMENT)
    desk_review.get_by_role("button", name="Send back").click()
    expect(desk.locator(".messagelist")).to_contain_text("was sent back to Cora Writer")
    assert mail.outbox[-1].to == [contributor.email]
    assert COMMENT in mail.outbox[-1].body

    # The contributor reads the comment, changes the post and submits it again.
    page.reload()
    expect(review).to_contain_text("Sent back")
    expect(review).to_contain_text(COMMENT)
    assert_accessible(page)
    page.locator(".field-body [contenteditable=true]").click()
    page.keyboard.press("End")
    page.keyboard.type(" Volunteers counted four on 3 May.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("was saved and submitted for review")

    # The editor approves it, and it is live.
    desk.goto("/admin/")
    expect(desk.locator("#review-waiting-count")).to_have_text("1 post")
    desk.get_by_role("link", name="Waiting for review", exact=True).click()
    desk.get_by_role("link", name=TITLE).click()
    desk.get_by_role("region", name="Review before publishing").get_by_role(
        "button", name="Approve"
    ).click()
    expect(desk.locator(".messagelist")).to_contain_text("is approved and published")
    assert_accessible(desk)
    assert desk_errors == []
    post.refresh_from_db()
    assert post.is_published
    assert "four on 3 May" in post.body
    assert mail.outbox[-1].subject == f"Published: “{TITLE}”"

    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto("/")
    reader.get_by_role("link", name=TITLE, exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    reader.context.close()
    editor_context.close()

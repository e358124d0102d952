"""A reader reports a comment that breaks a guideline, in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from comments.models import Comment, Guideline, Report
from comments.services import post_comments_bump
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guidelines():
    return [
        Guideline.objects.create(
            number=1, title="Be respectful", text="Argue with the point, not the person."
        ),
        Guideline.objects.create(
            number=2,
            title="No spam or advertising",
            text="Don’t promote products or services.\n\nA useful link is welcome.",
        ),
    ]


@pytest.fixture
def spam(guidelines):
    post = PostFactory(title="Where the river floods")
    CommentFactory(post=post, guest_name="Mira Osei", body="Was the weir the cause?")
    comment = CommentFactory(
        post=post, guest_name="Cheap Deals", body="Buy discount watches at example.com!"
    )
    post_comments_bump(post.pk)
    return comment


def open_report_form(page: Page, comment: Comment) -> None:
    page.goto(comment.post.get_absolute_url())
    page.locator(f"#comment-{comment.pk} > .ca").get_by_role("link", name="Report").click()
    expect(page).to_have_url(re.compile(rf"/comments/{comment.pk}/report/$"))
    expect(page.get_by_role("heading", name="Report a comment")).to_be_visible()


def test_member_reports_a_comment_and_is_thanked(page: Page, live_server, client, spam):
    sign_in(page, live_server, client, UserFactory(display_name="Sam Reader"))
    open_report_form(page, spam)
    expect(page.get_by_text("Buy discount watches at example.com!")).to_be_visible()
    expect(page.get_by_text("Reporting as Sam Reader.")).to_be_visible()
    assert_accessible(page)

    # Sent without a choice (the browser's own check is bypassed), the server explains.
    page.locator("form[action$='/report/']").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Please choose the guideline this comment breaks.")).to_be_visible()
    assert_accessible(page)

    group = page.get_by_role("group", name="Which guideline does this comment break?")
    group.get_by_role("radio", name="2. No spam or advertising").check()
    page.get_by_role("textbox", name="Anything a moderator should know? (optional)").fill(
        "Posted under every article today."
    )
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_text("Thank you. A moderator will review this comment.")).to_be_visible()
    expect(page.locator(f"#comment-{spam.pk}")).to_contain_text("Buy discount watches")
    report = Report.objects.get()
    assert (report.comment_id, report.guideline.number) == (spam.pk, 2)
    assert report.note == "Posted under every article today."
    assert_no_page_errors(page)
    assert_accessible(page)


def test_guidelines_page_is_accessible_and_linked_from_the_form(page: Page, spam):
    page.goto(spam.post.get_absolute_url())
    page.locator("#comment-form-wrap").get_by_role("link", name="Community Guidelines").click()
    expect(page.get_by_role("heading", level=1, name="Community Guidelines")).to_be_visible()
    expect(page.get_by_role("heading", name="2. No spam or advertising")).to_be_visible()
    expect(page.locator("#guideline-2")).to_contain_text("A useful link is welcome.")
    assert_no_page_errors(page)
    assert_accessible(page)

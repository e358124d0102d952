"""A moderator works through the reports queue in the admin, in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from comments.models import Comment, Guideline, ModerationEvent, Report
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import CommentFactory, PostFactory, ReportFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reported_discussion():
    attacks = Guideline.objects.create(
        number=2, title="No personal attacks", text="Argue with the point, not the person."
    )
    Guideline.objects.create(number=5, title="No spam", text="No advertising.")
    post = PostFactory(title="Where the river floods")
    insult = CommentFactory(post=post, guest_name="Rex Rude", body="Only an idiot would say that.")
    ReportFactory(comment=insult, guideline=attacks)
    ReportFactory(comment=insult, guideline=attacks)
    doubtful = CommentFactory(post=post, guest_name="Tom Hale", body="The council is lying.")
    ReportFactory(comment=doubtful, guideline=attacks)
    CommentFactory(post=post, guest_name="Ana Silva", body="Buy cheap watches", pending=True)
    return insult


@pytest.fixture
def moderator_page(page: Page, live_server, client) -> Page:
    sign_in(page, live_server, client, UserFactory(moderator=True, display_name="Mo Derator"))
    return page


def test_moderator_hides_a_reported_comment_from_the_reports_queue(
    moderator_page: Page, reported_discussion
):
    page = moderator_page
    insult = reported_discussion

    page.goto("/admin/")
    moderation = page.locator("#moderation-module")
    expect(moderation).to_contain_text("2 comments")
    moderation.get_by_role("link", name="Reports queue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reports queue")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Only an idiot would say that.")
    expect(rows.first).to_contain_text("2. No personal attacks ×2")
    assert_no_page_errors(page)
    assert_accessible(page)

    rows.first.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Hide selected comments…")
    page.get_by_role("button", name="Run").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hide comments")
    expect(page.locator("#confirmation-comments")).to_contain_text("Only an idiot would say that.")
    expect(page.locator("#confirmation-comments")).not_to_contain_text("The council is lying.")
    assert_accessible(page)
    page.get_by_label("Guideline broken").select_option(label="2. No personal attacks")
    page.get_by_label("Note (optional)").fill("Name-calling.")
    page.get_by_role("button", name="Hide them").click()

    expect(page.locator(".messagelist")).to_contain_text("1 comment hidden.")
    expect(page).to_have_url(re.compile(r"/admin/comments/comment/reports/$"))
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    insult.refresh_from_db()
    assert insult.status == Comment.Status.HIDDEN
    event = ModerationEvent.objects.get(comment=insult)
    assert (event.action, event.note, event.guideline.number) == ("hide", "Name-calling.", 2)
    assert not insult.reports.filter(resolution=Report.Resolution.OPEN).exists()
    assert_no_page_errors(page)


def test_moderation_pages_are_accessible(moderator_page: Page, reported_discussion):
    page = moderator_page
    for url, heading in [
        ("/admin/comments/comment/", "Comments"),
        ("/admin/comments/comment/held/", "Held comments"),
        ("/admin/comments/comment/overview/", "Moderation overview"),
        (f"/admin/comments/comment/{reported_discussion.pk}/change/", "View comment"),
        ("/admin/comments/moderationevent/", "Moderation log"),
    ]:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_no_page_errors(page)
        assert_accessible(page)


def test_the_overview_chart_shows_without_any_script(moderator_page: Page, reported_discussion):
    page = moderator_page

    page.goto("/admin/comments/comment/overview/")

    chart = page.get_by_role("img", name="Comments per day over the last 30 days")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 100
    page.get_by_text("The numbers, day by day").click()
    expect(page.get_by_role("table", name="Comments per day over the last 30 days")).to_be_visible()
    assert_no_page_errors(page)

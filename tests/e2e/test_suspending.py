"""A moderator suspends a commenter from the post page and removes everything they
published; the suspended member then finds why in place of the comment form. In a real
browser."""

import re

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from comments.models import Comment, Guideline, ModerationEvent, Suspension
from comments.services import post_comments_bump
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_moderator_suspends_a_member_from_the_post_page_and_removes_everything(
    page: Page, browser: Browser, live_server, client
):
    Guideline.objects.create(number=1, title="Be respectful", text="Argue the point.")
    Guideline.objects.create(number=2, title="No personal attacks", text="Not the person.")
    post = PostFactory(title="Parking on the high street")
    elsewhere = PostFactory(title="Bus lanes")
    rex = UserFactory(username="rex", display_name="Rex Rude")
    insult = CommentFactory(post=post, user=rex, guest_name="", body="You are all idiots.")
    older = CommentFactory(post=elsewhere, user=rex, guest_name="", body="Bus users are sheep.")
    CommentFactory(post=post, guest_name="Calm Carla", body="Let's keep it civil.")
    for each in (post, elsewhere):
        post_comments_bump(each.pk)
    sign_in(page, live_server, client, UserFactory(moderator=True, display_name="Mo"))

    page.goto(post.get_absolute_url())
    item = page.locator(f"#comment-{insult.pk}")
    item.get_by_role("link", name="Suspend author… Rex Rude").click()

    expect(page.get_by_role("heading", name="Suspend Rex Rude (member rex)?")).to_be_visible()
    expect(page.get_by_text("They have 2 published comments.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="1 week").check()
    page.get_by_role("radio", name=re.compile("No personal attacks")).check()
    page.get_by_label("Note (optional)").fill("Insults on two articles.")
    page.get_by_role("checkbox", name=re.compile("Remove everything by this person")).check()
    page.get_by_role("button", name="Suspend").click()

    expect(
        page.get_by_text(re.compile(r"Rex Rude \(member rex\) can’t comment until"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile("2 comments hidden."))).to_be_visible()
    expect(item).to_contain_text("Hidden · 2. No personal attacks")
    assert_no_page_errors(page)
    assert_accessible(page)
    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.note) == (rex, "Insults on two articles.")
    assert set(Comment.objects.filter(user=rex).values_list("status", flat=True)) == {"hidden"}
    assert ModerationEvent.objects.filter(comment__in=[insult, older]).count() == 2

    # Rex finds why, where the form was.
    rex_page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in(rex_page, live_server, Client(), rex)
    rex_page.goto(post.get_absolute_url())
    notice = rex_page.locator("#comment-suspended")
    expect(notice).to_contain_text("You can’t comment until")
    expect(notice).to_contain_text("see guideline 2, “No personal attacks”")
    expect(rex_page.locator("#comment-form")).to_have_count(0)
    expect(rex_page.get_by_text("You are all idiots.")).to_have_count(0)
    assert_accessible(rex_page)
    rex_page.context.close()

    # A reader still gets the form, and the discussion without Rex.
    reader = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    reader.goto(post.get_absolute_url())
    expect(reader.locator("#comment-form")).to_be_visible()
    expect(reader.locator("#comment-suspended")).to_have_count(0)
    expect(reader.get_by_text("Let's keep it civil.")).to_be_visible()
    reader.context.close()

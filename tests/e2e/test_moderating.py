"""A moderator removes a comment where they read it, and undoes it, in a real browser."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from comments.models import Comment, Guideline
from comments.services import post_comments_bump
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_moderator_hides_a_comment_and_marks_spam_from_the_post_page_and_restores_it(
    page: Page, browser: Browser, live_server, client
):
    Guideline.objects.create(number=1, title="Be respectful", text="Argue the point.")
    Guideline.objects.create(number=2, title="No personal attacks", text="Not the person.")
    post = PostFactory(title="Parking on the high street")
    rude = CommentFactory(post=post, guest_name="Rex Rude", body="You are all idiots.")
    CommentFactory(parent=rude, guest_name="Calm Carla", body="Let's keep it civil.")
    spam = CommentFactory(post=post, guest_name="Watch Deals", body="Cheap watches, best price!")
    post_comments_bump(post.pk)
    sign_in(page, live_server, client, UserFactory(moderator=True, display_name="Mo"))

    page.goto(post.get_absolute_url())
    rude_item = page.locator(f"#comment-{rude.pk}")
    rude_item.get_by_role("button", name="Hide comment by Rex Rude").click()

    expect(page.get_by_role("heading", name="Hide this comment?")).to_be_visible()
    expect(page.get_by_text("You are all idiots.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name=re.compile("No personal attacks")).check()
    page.get_by_role("button", name="Hide the comment").click()

    expect(page.get_by_text("Comment hidden. Its Restore button undoes this.")).to_be_visible()
    expect(rude_item).to_contain_text("Hidden · 2. No personal attacks")
    assert Comment.objects.get(pk=rude.pk).status == Comment.Status.HIDDEN
    assert_no_page_errors(page)
    assert_accessible(page)

    # A reader sees a placeholder naming the guideline, and the reply in its place.
    reader = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    reader.goto(post.get_absolute_url())
    placeholder = reader.locator(f"#comment-{rude.pk}")
    expect(placeholder).not_to_contain_text("You are all idiots.")
    expect(placeholder.get_by_role("link", name="2: No personal attacks")).to_have_attribute(
        "href", "/community-guidelines/#guideline-2"
    )
    expect(placeholder).to_contain_text("Let's keep it civil.")
    reader.context.close()

    rude_item.get_by_role("button", name="Restore comment by Rex Rude").click()
    expect(page.get_by_text("Comment restored.")).to_be_visible()
    assert Comment.objects.get(pk=rude.pk).status == Comment.Status.PUBLISHED
    assert_no_page_errors(page)

    # Obvious spam goes in one click, and Restore would bring it back.
    spam_item = page.locator(f"#comment-{spam.pk}")
    spam_item.get_by_role("button", name="Spam comment by Watch Deals").click()
    expect(page.get_by_text("Comment marked as spam.")).to_be_visible()
    expect(spam_item.locator(".comment-moderated")).to_have_text("Spam")
    expect(spam_item.get_by_role("button", name="Restore comment by Watch Deals")).to_be_visible()
    assert Comment.objects.get(pk=spam.pk).status == Comment.Status.SPAM
    assert_no_page_errors(page)
    assert_accessible(page)
    reader = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    reader.goto(post.get_absolute_url())
    expect(reader.get_by_text("Cheap watches, best price!")).to_have_count(0)
    expect(reader.get_by_text("Let's keep it civil.")).to_be_visible()
    reader.context.close()

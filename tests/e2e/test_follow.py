"""Following a discussion by e-mail in a real browser: a guest asks from the article and
confirms from the e-mail, a member follows and stops with one click, and the stop link of a
digest works; each page ends with an accessibility check."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from comments.follows.mail import stop_url
from comments.follows.models import DiscussionFollow
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article(settings, live_server):
    settings.SITE_URL = live_server.url
    post = PostFactory(title="Where the river floods", author__notify_on_post_comments=False)
    CommentFactory(post=post, guest_name="Mira Osei", body="Was the weir the cause?")
    from comments.services import post_comments_bump

    post_comments_bump(post.pk)
    return post


def test_a_guest_follows_after_confirming_from_the_email(page: Page, article):
    page.goto(article.get_absolute_url())
    follow = page.locator("#follow")
    expect(follow.get_by_role("heading", name="Follow this discussion by e-mail")).to_be_visible()
    assert_accessible(page)

    follow.get_by_role("textbox", name="Your e-mail").fill("Gus@Example.org")
    follow.get_by_role("button", name="Follow by e-mail").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert DiscussionFollow.objects.count() == 0
    assert_accessible(page)

    (message,) = mail.outbox
    link = re.search(r"http\S+/comments/follow/confirm/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Follow this discussion?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, follow by e-mail").click()
    expect(
        page.get_by_role("heading", name="Done: you’re following this discussion")
    ).to_be_visible()
    assert_accessible(page)
    (followed,) = DiscussionFollow.objects.all()
    assert followed.email == "gus@example.org"

    page.goto(stop_url(follow_id=followed.pk))
    expect(page.get_by_role("heading", name="Stop these e-mails?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Stop these e-mails").click()
    expect(page.get_by_role("heading", name="Done: these e-mails have stopped")).to_be_visible()
    assert not DiscussionFollow.objects.exists()
    assert_accessible(page)
    assert_no_page_errors(page)


def test_a_guest_is_told_when_the_address_is_not_one(page: Page, article):
    page.goto(article.get_absolute_url())
    follow = page.locator("#follow")
    follow.get_by_role("textbox", name="Your e-mail").fill("gus@")
    # The browser's own check stops an address it can see is incomplete; send it anyway.
    page.locator("#follow form").evaluate("form => form.noValidate = true")
    follow.get_by_role("button", name="Follow by e-mail").click()
    expect(
        page.get_by_text("Please check your e-mail address; it doesn’t look complete.")
    ).to_be_visible()
    assert mail.outbox == []
    assert_accessible(page)


def test_a_member_follows_and_stops_with_one_click(page: Page, article, live_server, client):
    member = UserFactory(display_name="Mina Member")
    sign_in(page, live_server, client, member)
    page.goto(article.get_absolute_url())
    follow = page.locator("#follow")
    follow.get_by_role("button", name="Follow by e-mail").click()

    expect(page.get_by_text("You’re following this discussion")).to_be_visible()
    expect(follow.get_by_role("button", name="Stop following")).to_be_visible()
    assert DiscussionFollow.objects.filter(user=member).count() == 1
    assert_accessible(page)

    page.goto("/comments/following/")
    expect(page.get_by_role("link", name="Where the river floods")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Stop following “Where the river floods”").click()
    expect(page.get_by_text("You’ve stopped following “Where the river floods”")).to_be_visible()
    expect(page.get_by_text("You don’t follow any discussion.")).to_be_visible()
    assert not DiscussionFollow.objects.exists()
    assert_accessible(page)
    assert_no_page_errors(page)

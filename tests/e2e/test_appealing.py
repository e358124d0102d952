"""A hidden comment's author appeals from the link in their e-mail, a moderator restores the
comment in the admin, and readers see it again. In a real browser."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from comments.models import Appeal, Comment, Guideline
from comments.services import comment_hide, post_comments_bump
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_appeal_from_the_email_link_to_the_comment_restored(
    page: Page, browser: Browser, live_server, client
):
    guideline = Guideline.objects.create(number=2, title="No personal attacks", text="…")
    post = PostFactory(title="Parking on the high street")
    comment = CommentFactory(
        post=post,
        guest_name="Quoting Quinn",
        guest_email="quinn@example.org",
        body="The councillor called us “fools”, and that is what I object to.",
    )
    post_comments_bump(post.pk)
    moderator = UserFactory(moderator=True, display_name="Mo Derator")
    comment_hide(comment=comment, moderator=moderator, guideline=guideline)

    # The e-mail about the hide, sent once the hide was committed, carries the link.
    (hidden_email,) = mail.outbox
    link = re.search(r"http://\S+/comments/appeal/\S+/", hidden_email.body).group()
    author = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    author.goto(urlsplit(link).path)
    expect(author.get_by_role("heading", name="Appeal a removed comment")).to_be_visible()
    expect(author.get_by_text("No personal attacks")).to_be_visible()
    assert_accessible(author)
    author.get_by_label("Why should your comment be restored?").fill(
        "I was quoting the councillor, not calling anyone a fool."
    )
    author.get_by_role("button", name="Send appeal").click()
    expect(
        author.get_by_text("Thank you. Your appeal has been sent to the moderators.")
    ).to_be_visible()
    expect(
        author.get_by_text("A moderator will review it and e-mail you the decision.")
    ).to_be_visible()
    assert_accessible(author)

    # The moderator finds it from the admin's index and restores the comment.
    sign_in(page, live_server, client, moderator)
    page.goto("/admin/")
    expect(page.locator("#moderation-appeals-count")).to_contain_text("1 appeal")
    page.locator("#moderation-module").get_by_role("link", name="Appeals").click()
    page.locator("#result_list").get_by_role(
        "link", name=re.compile("councillor called us")
    ).click()
    expect(
        page.get_by_text("I was quoting the councillor, not calling anyone a fool.")
    ).to_be_visible()
    expect(page.locator("#appeal-history")).to_contain_text("Mo Derator")
    assert_accessible(page)
    page.get_by_role("radio", name="Restore the comment").check()
    page.get_by_label("Note to the author (optional)").fill("Fair enough: you were quoting.")
    page.get_by_role("button", name="Send the decision").click()
    expect(page.locator(".messagelist")).to_contain_text("Comment restored.")
    assert_no_page_errors(page)
    assert_accessible(page)
    assert Appeal.objects.get().decision == Appeal.Decision.RESTORED
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    decision_email = mail.outbox[-1]
    assert decision_email.to == ["quinn@example.org"]
    assert "Fair enough: you were quoting." in decision_email.body

    # Readers see it again.
    author.goto(post.get_absolute_url())
    expect(author.locator(f"#comment-{comment.pk}")).to_contain_text("that is what I object to")
    author.context.close()

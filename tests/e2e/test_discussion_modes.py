"""A discussion in slow mode, in a real browser: the reader reads the mode, comments, and on
a second try is told plainly when they may comment again, with their words kept."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from comments.models import Comment, ModeChange
from comments.modes.rules import Mode
from comments.selectors import discussion_settings_get
from comments.services import discussion_settings_save
from comments.services.modes import post_schedule_save
from tests.e2e.conftest import assert_accessible, assert_no_page_errors
from tests.e2e.test_discussion import write_comment
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_quick_forms"),
]


@pytest.fixture
def slow_article():
    # No flood interval: slow mode is what holds the second comment back.
    settings = discussion_settings_get()
    settings.flood_interval = 0
    discussion_settings_save(settings=settings)
    post = PostFactory(title="The bypass vote", author=UserFactory(editor=True))
    CommentFactory(post=post, guest_name="Mira Osei", body="Who is the bypass for?")
    post_schedule_save(post=post, saved=[ModeChange(mode=Mode.SLOW, slow_minutes=10)])
    post.refresh_from_db()
    return post


def test_a_reader_in_slow_mode_comments_once_then_is_told_when_they_can_again(
    page: Page, slow_article
):
    page.goto(slow_article.get_absolute_url())
    mode_line = page.locator("#discussion-mode")
    expect(mode_line).to_have_text("Slow mode: one comment every 10 minutes.")
    assert_accessible(page)

    write_comment(page, "For the lorries, mostly.")
    first = Comment.objects.latest("pk")
    expect(page).to_have_url(re.compile(rf"#comment-{first.pk}$"))
    expect(page.locator(f"#comment-{first.pk}")).to_contain_text("For the lorries, mostly.")
    expect(mode_line).to_have_text("Slow mode: one comment every 10 minutes.")

    write_comment(page, "And one more thing.")
    expect(page.get_by_role("heading", name="Your comment wasn’t posted yet")).to_be_visible()
    # Shown to the minute, never earlier than the wait ends.
    free_at = timezone.localtime(first.created_at + timedelta(minutes=10))
    if free_at.second or free_at.microsecond:
        free_at = free_at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    today = timezone.localdate() == free_at.date()
    when = f"at {free_at:%H:%M}" if today else f"on {free_at.day} {free_at:%B} at {free_at:%H:%M}"
    expect(page.get_by_role("alert")).to_contain_text(
        "This discussion is in slow mode: one comment every 10 minutes per person. "
        f"You can comment again {when}."
    )
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("And one more thing.")
    assert Comment.objects.filter(post=slow_article).count() == 2
    assert_no_page_errors(page)
    assert_accessible(page)

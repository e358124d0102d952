"""A member looks after their profile and then leaves, in a real browser."""

import re

import pytest
from django.utils import timezone
from PIL import Image as PILImage
from playwright.sync_api import Page, expect

from comments.services import post_comments_bump
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import DEFAULT_PASSWORD, CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def avatar_file(tmp_path):
    path = tmp_path / "portrait.png"
    PILImage.new("RGB", (600, 400), (30, 110, 170)).save(path, format="PNG")
    return path


def test_member_updates_profile_then_deletes_account(page: Page, live_server, client, avatar_file):
    member = UserFactory(display_name="Sam Reader", email_verified_at=timezone.now())
    post = PostFactory(title="Where the river floods")
    theirs = CommentFactory(
        post=post, user=member, guest_name="", guest_email="", body="The weir needs fixing."
    )
    reply = CommentFactory(parent=theirs, guest_name="Tom Hale", body="Agreed, and soon.")
    post_comments_bump(post.pk)
    sign_in(page, live_server, client, member)

    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", name="Your profile", level=1)).to_be_visible()
    expect(page.get_by_text("Confirmed")).to_be_visible()
    assert_accessible(page)

    # A renamed text file is refused next to the field; nothing is saved.
    page.get_by_label("Display name").fill("Samira Q")
    page.get_by_label("New avatar").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": b"not a picture\n"}]
    )
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("This file is not a picture we can read.")).to_be_visible()
    expect(page.get_by_label("New avatar")).to_have_attribute("aria-invalid", "true")
    member.refresh_from_db()
    assert member.display_name == "Sam Reader"
    assert_accessible(page)

    page.get_by_label("Display name").fill("Samira Q")
    page.get_by_label("New avatar").set_input_files(avatar_file)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    avatar = page.get_by_role("img", name="Your current avatar")
    expect(avatar).to_be_visible()
    # decode() waits for the picture to arrive (and fails if it cannot be read).
    assert avatar.evaluate("img => img.decode().then(() => img.naturalWidth)") == 256
    expect(page.get_by_label("Display name")).to_have_value("Samira Q")
    assert_no_page_errors(page)

    page.goto(post.get_absolute_url())
    comment = page.locator(f"#comment-{theirs.pk}")
    expect(comment.locator("> b")).to_have_text("Samira Q")
    expect(comment.locator("> img.av")).to_have_attribute(
        "src", re.compile(r"^/media/avatars/\d{4}/\d{2}/\w+\.webp$")
    )
    loaded_width = "img => img.decode().then(() => img.naturalWidth)"
    assert comment.locator("> img.av").evaluate(loaded_width) > 0

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    expect(page.get_by_role("link", name="Download your comments")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That password isn’t right")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("Your account has been deleted.")).to_be_visible()

    page.goto(post.get_absolute_url())
    comment = page.locator(f"#comment-{theirs.pk}")
    expect(comment.locator("> b")).to_have_text("Former member")
    expect(comment.locator("> img.av")).to_have_count(0)
    expect(page.locator(f"#comment-{theirs.pk} #comment-{reply.pk}")).to_contain_text(
        "Agreed, and soon."
    )
    expect(page.get_by_text("Samira Q")).to_have_count(0)
    assert_no_page_errors(page)
    assert_accessible(page)

"""A visitor joins, confirms their address and comments; members sign in and look after
their password. Every accounts page is checked for accessibility on the way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from comments.models import Comment
from tests.e2e.conftest import assert_accessible, assert_no_page_errors, sign_in
from tests.factories import DEFAULT_PASSWORD, PostFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_quick_forms"),
]

PASSWORD = "plum-orchard-47-lantern"


def field(page: Page, label: str):
    """The form field labelled exactly ``label`` (crispy-forms marks required ones with *)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def path_in_last_email(pattern: str) -> str:
    """The path of the first link matching ``pattern`` in the newest e-mail."""
    assert mail.outbox, "No e-mail was sent."
    match = re.search(rf"https?://[^/\s]+({pattern})", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_visitor_signs_up_confirms_their_address_and_comments(page: Page):
    post = PostFactory(title="Where the river floods")
    page.goto(f"/accounts/signup/?next={post.get_absolute_url()}")

    # A first try with passwords that differ: the form says so, accessibly.
    expect(page.get_by_role("heading", name="Join Tribune")).to_be_visible()
    assert_accessible(page)
    field(page, "Username").fill("ana.silva")
    field(page, "E-mail address").fill("ana@example.org")
    field(page, "Password").fill(PASSWORD)
    field(page, "Password again").fill(PASSWORD + "x")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Your account wasn’t created yet")).to_be_visible()
    assert_accessible(page)

    field(page, "Password").fill(PASSWORD)
    field(page, "Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    expect(page.get_by_text("We’ve sent a link to ana@example.org.")).to_be_visible()
    assert_accessible(page)

    # Nobody is signed in by joining; signing in before confirming shows why the form
    # is missing.
    page.goto(f"/accounts/login/?next={post.get_absolute_url()}")
    field(page, "Username").fill("ana.silva")
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(post.get_absolute_url())
    expect(page.get_by_text("Please confirm your e-mail address to comment.")).to_be_visible()
    expect(page.locator("#comment-form")).to_have_count(0)

    page.goto(path_in_last_email(r"/accounts/verify/[^/\s]+/"))
    expect(page.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(page.get_by_role("heading", name=re.compile("is confirmed"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Go back to where you were").click()
    expect(page).to_have_url(re.compile(re.escape(post.get_absolute_url()) + "$"))
    expect(page.get_by_text("Commenting as ana.silva.")).to_be_visible()
    form = page.locator("#comment-form")
    form.get_by_role("textbox", name="Comment").fill("Glad to have joined.")
    form.get_by_role("button", name="Post comment").click()

    comment = Comment.objects.latest("pk")
    assert comment.user.username == "ana.silva"
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Glad to have joined.")
    assert_no_page_errors(page)


def test_broken_verification_link_and_resend_pages_are_clear(page: Page, live_server, client):
    member = UserFactory(username="tom", email="tom@example.org", unverified=True)
    sign_in(page, live_server, client, member)

    response = page.goto("/accounts/verify/not-a-real-token/")
    assert response.status == 400
    expect(page.get_by_role("heading", name="This link doesn’t work")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Send me a new link").click()
    expect(page.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send me a new link").click()
    expect(page.get_by_text("We’ve sent a new link to tom@example.org.")).to_be_visible()
    assert path_in_last_email(r"/accounts/verify/[^/\s]+/")
    assert_no_page_errors(page)


def test_member_signs_in_and_changes_their_password(page: Page):
    UserFactory(username="mira", display_name="Mira Osei")
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)

    field(page, "Username").fill("mira")
    field(page, "Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="We couldn’t sign you in")).to_be_visible()
    assert_accessible(page)

    field(page, "Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto("/accounts/password/change/")
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_accessible(page)
    field(page, "Old password").fill(DEFAULT_PASSWORD)
    field(page, "New password").fill(PASSWORD)
    field(page, "New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()
    assert_accessible(page)
    assert_no_page_errors(page)


def test_member_resets_a_forgotten_password(page: Page):
    UserFactory(username="mira", email="mira@example.org")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    assert_accessible(page)

    field(page, "E-mail address").fill("mira@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(
        page.get_by_text("If an account uses that address, we’ve sent it a link")
    ).to_be_visible()
    assert_accessible(page)

    link = path_in_last_email(r"/accounts/password/reset/[^/\s]+/[^/\s]+/")
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    field(page, "New password").fill(PASSWORD)
    field(page, "New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", name="Your new password is set")).to_be_visible()
    assert_accessible(page)

    # The link is spent.
    page.goto(link)
    expect(page.get_by_role("heading", name="This link doesn’t work")).to_be_visible()
    assert_accessible(page)

    page.goto("/accounts/login/")
    field(page, "Username").fill("mira")
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    assert_no_page_errors(page)


def test_too_many_failed_sign_ins_show_a_clear_lockout_page(page: Page):
    UserFactory(username="mira")
    page.goto("/accounts/login/")
    for _ in range(5):
        field(page, "Username").fill("mira")
        field(page, "Password").fill("not my password")
        page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Please wait before trying again")).to_be_visible()
    expect(page.get_by_text("Please wait 15 minutes, or reset your password.")).to_be_visible()
    assert_accessible(page)

"""Signing in and out, changing a password and resetting it by e-mail."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
NEW_PASSWORD = "plum-orchard-47-lantern"


@pytest.fixture
def member():
    return UserFactory(username="mira", email="mira@example.org", display_name="Mira Osei")


def sign_in(client, username="mira", password=DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


# --- Signing in -----------------------------------------------------------------------


def test_sign_in_page_links_to_joining_and_to_password_reset(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert "registration/login.html" in [t.name for t in response.templates]
    assert reverse("accounts:signup") in response.text
    assert reverse("accounts:password_reset") in response.text
    assert "<title>Sign in · Tribune</title>" in response.text


def test_sign_in_goes_home_and_signs_in(client, member):
    response = sign_in(client)

    assert response.status_code == 302
    assert response.url == "/"
    assert client.session[SESSION_KEY] == str(member.pk)


def test_sign_in_rotates_the_session_key(client, member):
    client.get(LOGIN_URL)
    session = client.session
    session["something"] = "kept"
    session.save()
    before = session.session_key

    sign_in(client)

    after = client.session.session_key
    assert after != before
    assert client.session["something"] == "kept"


def test_sign_in_follows_a_next_on_this_site(client, member):
    response = sign_in(client, next="/2026/01/02/some-article/#respond")

    assert response.url == "/2026/01/02/some-article/#respond"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "http://testserver.evil.example.com/",
        "javascript:alert(1)",
        "\\\\evil.example.com",
    ],
)
def test_sign_in_ignores_a_next_on_another_site(client, member, next_url):
    response = sign_in(client, next=next_url)

    assert response.status_code == 302
    assert response.url == "/"


def test_sign_in_page_keeps_next_in_the_form_and_the_signup_link(client):
    response = client.get(LOGIN_URL, {"next": "/2026/01/02/some-article/"})

    assert 'name="next" value="/2026/01/02/some-article/"' in response.text
    assert f"{reverse('accounts:signup')}?next=/2026/01/02/some-article/" in response.text


@pytest.mark.parametrize(
    ("username", "password"),
    [("mira", "wrong password"), ("nobody", "wrong password"), ("nobody", DEFAULT_PASSWORD)],
)
def test_failed_sign_in_does_not_say_whether_the_username_exists(
    client, member, username, password
):
    response = sign_in(client, username=username, password=password)

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.text
    assert "We couldn’t sign you in" in response.text
    assert SESSION_KEY not in client.session


def test_empty_sign_in_form_says_what_is_missing(client):
    response = client.post(LOGIN_URL, {"username": "", "password": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "username": ["This field is required."],
        "password": ["This field is required."],
    }


def test_deactivated_account_cannot_sign_in(client, member):
    member.is_active = False
    member.save()

    response = sign_in(client)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_sign_in_refuses_a_post_without_a_csrf_token(member):
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client)

    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_sign_in_accepts_a_post_with_its_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN_URL)

    response = sign_in(client, csrfmiddlewaretoken=client.cookies["csrftoken"].value)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


# --- Signing out ----------------------------------------------------------------------


def test_sign_out_by_post_goes_home_with_a_message(client, member):
    client.force_login(member)

    response = client.post(LOGOUT_URL, follow=True)

    assert response.redirect_chain == [(reverse("blog:home"), 302)]
    assert "You’re signed out." in response.text
    assert SESSION_KEY not in client.session


def test_sign_out_by_get_is_refused(client, member):
    client.force_login(member)

    response = client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(member.pk)


def test_sign_out_refuses_a_post_without_a_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 403
    assert client.session[SESSION_KEY] == str(member.pk)


# --- Changing the password ------------------------------------------------------------

CHANGE_URL = reverse("accounts:password_change")


def test_password_change_needs_signing_in(client):
    response = client.get(CHANGE_URL)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={CHANGE_URL}"


def test_password_change_keeps_the_member_signed_in(client, member):
    client.force_login(member)

    response = client.post(
        CHANGE_URL,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert response.redirect_chain == [(reverse("accounts:password_change_done"), 302)]
    assert "Your password is changed" in response.text
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert client.get(CHANGE_URL).status_code == 200  # still signed in


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            "old_password",
            "Your old password was entered incorrectly.",
        ),
        (
            {"old_password": DEFAULT_PASSWORD, "new_password1": "short", "new_password2": "short"},
            "new_password2",
            "too short",
        ),
        (
            {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "x"},
            "new_password2",
            "didn’t match",
        ),
    ],
)
def test_password_change_refuses_bad_input_with_a_message(client, member, data, field, message):
    client.force_login(member)

    response = client.post(CHANGE_URL, data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Your password wasn’t changed" in response.text
    member.refresh_from_db()
    assert member.check_password(DEFAULT_PASSWORD)


# --- Resetting the password -----------------------------------------------------------

RESET_URL = reverse("accounts:password_reset")


def reset_path_from(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_sends_a_link_to_the_account(client, member):
    response = client.post(RESET_URL, {"email": "MIRA@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mira@example.org"]
    assert message.subject == "Reset your password on Tribune"
    assert "Hello Mira Osei," in message.body
    assert "Your username is mira." in message.body


def test_password_reset_answers_the_same_for_an_unknown_address(client, member):
    known = client.post(RESET_URL, {"email": "mira@example.org"}, follow=True)
    unknown = client.post(RESET_URL, {"email": "nobody@example.org"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert "If an account uses that address, we’ve sent it a link" in unknown.text
    assert known.text == unknown.text
    assert len(mail.outbox) == 1


def test_password_reset_refuses_a_malformed_address(client):
    response = client.post(RESET_URL, {"email": "not an address"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert mail.outbox == []


def test_password_reset_link_sets_a_new_password(client, member):
    client.post(RESET_URL, {"email": "mira@example.org"})
    path = reset_path_from(mail.outbox[0])

    form_page = client.get(path, follow=True)  # Django swaps the token for a session key
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1] == (reverse("accounts:password_reset_complete"), 302)
    assert "Your new password is set" in response.text
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_password_reset_link_works_only_once(client, member):
    client.post(RESET_URL, {"email": "mira@example.org"})
    path = reset_path_from(mail.outbox[0])
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = Client().get(path, follow=True)

    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert "This link doesn’t work" in response.text
    assert RESET_URL in response.text


def test_password_reset_with_a_tampered_link_is_refused(client, member):
    client.post(RESET_URL, {"email": "mira@example.org"})
    path = reset_path_from(mail.outbox[0]).rstrip("/") + "x/"

    response = client.get(path)

    assert response.context["validlink"] is False
    assert "This link doesn’t work" in response.text


# --- Naughty strings ------------------------------------------------------------------


# One test per field, so a parallel run can give them to two workers.
@pytest.mark.parametrize("field", ["username", "password"])
def test_each_naughty_string_as_a_username_or_password_is_refused_plainly(
    client, naughty_strings_with_text, field
):
    for i, text in enumerate(naughty_strings_with_text):
        # A new address each time, so the throttle doesn't step in.
        address = f"10.{i // 65536}.{i // 256 % 256}.{i % 256}"
        data = {"username": "mira", "password": "x"} | {field: text}
        response = client.post(LOGIN_URL, data, REMOTE_ADDR=address)
        assert response.status_code == 200, text
        assert "<script>alert(0)</script>" not in response.text
    assert SESSION_KEY not in client.session


def test_each_naughty_string_as_a_reset_address_gets_the_same_answer(
    client, member, naughty_strings_with_text
):
    done = reverse("accounts:password_reset_done")
    for text in naughty_strings_with_text:
        response = client.post(RESET_URL, {"email": text})
        assert response.status_code in (200, 302), text
        if response.status_code == 302:
            assert response.url == done
        else:
            assert "<script>alert(0)</script>" not in response.text
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_reset_email_is_queued_not_sent_inside_the_request(client):
    """With production's database task backend the request only queues the e-mail."""
    from django.core.management import call_command
    from django.tasks import task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    UserFactory(email="queued@example.org")
    task_backends["default"] = DatabaseBackend(
        alias="default", params={"BACKEND": "django_tasks_db.DatabaseBackend"}
    )
    try:
        client.post(reverse("accounts:password_reset"), {"email": "queued@example.org"})
        assert mail.outbox == []
        assert DBTaskResult.objects.count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        del task_backends["default"]
    (message,) = mail.outbox
    assert message.to == ["queued@example.org"]
    assert "/accounts/password/reset/" in message.body

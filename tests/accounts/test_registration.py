"""Joining and confirming the e-mail address, through HTTP with the in-memory outbox."""

import re
import unicodedata
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services.registration import (
    EmailAlreadyVerified,
    VerificationLinkExpired,
    VerificationLinkInvalid,
    VerificationResendTooSoon,
    user_signup,
    verification_confirm,
    verification_resend,
    verification_send,
)
from accounts.tokens import verification_token_make
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("accounts:signup")
STRONG_PASSWORD = "plum-orchard-47-lantern"


def signup_data(**overrides) -> dict[str, str]:
    return {
        "username": "newreader",
        "email": "new.reader@example.org",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **overrides,
    }


def verify_path_from(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/verify/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    def post(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP_URL, signup_data(**overrides))

    return post


# --- Signing up -----------------------------------------------------------------------


def test_signup_page_shows_the_form(client):
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    assert "accounts/signup.html" in [t.name for t in response.templates]
    for label in ("Username", "E-mail address", "Password", "Password again"):
        assert label in response.text


def test_signup_creates_an_unverified_member_and_sends_a_link(client, sign_up):
    response = sign_up()

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get(username="newreader")
    assert user.email == "new.reader@example.org"
    assert user.email_verified_at is None
    assert not user.can_comment
    assert user.check_password(STRONG_PASSWORD)
    # Not signed in: a taken address must not look different (no enumeration).
    assert SESSION_KEY not in client.session
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.reader@example.org"]
    assert message.subject == "Confirm your e-mail address for Tribune"
    assert "/accounts/verify/" in message.body
    assert "3 days" in message.body


def test_signup_done_says_where_the_link_went_and_for_how_long(client, sign_up):
    sign_up()

    response = client.get(reverse("accounts:signup_done"))

    assert response.status_code == 200
    assert "We’ve sent a link to" in response.text
    assert "new.reader@example.org" in response.text
    assert "it works for 3 days" in response.text


def test_signup_with_a_taken_address_looks_the_same_and_creates_nothing(client, sign_up):
    owner = UserFactory(username="owner", email="taken@example.org", display_name="Olu Ade")
    new_response = Client().post(SIGNUP_URL, signup_data(email="fresh@example.org"))
    mail.outbox.clear()

    response = sign_up(username="someoneelse", email="Taken@Example.ORG")

    assert response.status_code == new_response.status_code == 302
    assert response.url == new_response.url == reverse("accounts:signup_done")
    assert not User.objects.filter(username="someoneelse").exists()
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert SESSION_KEY not in client.session
    done = client.get(reverse("accounts:signup_done"))
    assert "We’ve sent a link to" in done.text
    assert "Taken@example.org" in done.text
    # The owner of the address is told, with ways in.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "Someone tried to join" in message.subject
    assert "Olu Ade" in message.body
    assert reverse("accounts:login") in message.body
    assert reverse("accounts:password_reset") in message.body


def test_taken_address_of_a_deactivated_account_gets_no_email(sign_up):
    UserFactory(email="gone@example.org", is_active=False)

    response = sign_up(email="gone@example.org")

    assert response.url == reverse("accounts:signup_done")
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_taken_username_is_refused_with_a_message(client, sign_up):
    UserFactory(username="NewReader")

    response = sign_up(username="newreader")

    assert response.status_code == 200
    assert "A user with that username already exists." in response.text
    assert not User.objects.filter(email="new.reader@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": ""}, "username", "This field is required."),
        ({"username": "has space"}, "username", "Enter a valid username"),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"password1": "short", "password2": "short"}, "password2", "too short"),
        ({"password1": "password123", "password2": "password123"}, "password2", "too common"),
        ({"password1": "84736251904", "password2": "84736251904"}, "password2", "entirely numeric"),
        ({"password2": "something-else-47"}, "password2", "didn’t match"),
        (
            {"password1": "new.reader.example", "password2": "new.reader.example"},
            "password2",
            "too similar",
        ),
        ({"username": "a\x00b"}, "username", "Null characters are not allowed."),
        ({"email": "a\x00b@example.org"}, "email", "Null characters are not allowed."),
        ({"username": "x" * 151}, "username", "at most 150 characters"),
    ],
)
def test_bad_input_gets_a_message_and_creates_nothing(sign_up, overrides, field, message):
    response = sign_up(**overrides)

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert "Your account wasn’t created yet" in response.text
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_signup_refuses_a_post_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 403
    assert User.objects.count() == 0


def test_signup_accepts_a_post_with_its_csrf_token(django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=True)
    client.get(SIGNUP_URL)
    token = client.cookies["csrftoken"].value

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP_URL, {**signup_data(), "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert User.objects.filter(username="newreader").exists()


def test_signed_in_member_visiting_signup_is_sent_home(client):
    client.force_login(UserFactory())

    response = client.get(SIGNUP_URL, follow=True)

    assert response.redirect_chain == [(reverse("blog:home"), 302)]
    assert "You’re already signed in." in response.text


def test_user_signup_service_returns_none_for_a_taken_address(django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = user_signup(username="other", email="TAKEN@example.org", password=STRONG_PASSWORD)

    assert result is None
    assert len(callbacks) == 1
    assert not User.objects.filter(username="other").exists()


def test_user_signup_refuses_a_username_taken_in_the_meantime(
    django_capture_on_commit_callbacks,
):
    UserFactory(username="newreader")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as refused,
    ):
        user_signup(username="newreader", email="fresh@example.org", password=STRONG_PASSWORD)

    assert "username" in refused.value.message_dict
    assert callbacks == []
    assert not User.objects.filter(email="fresh@example.org").exists()


def test_no_email_goes_out_if_the_signup_transaction_is_rolled_back(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user_signup(username="newreader", email="a@example.org", password=STRONG_PASSWORD)

    assert len(callbacks) == 1
    assert mail.outbox == []  # queued for the commit, not sent inside the transaction


def test_signup_next_leads_back_after_confirming(client, sign_up):
    post_url = "/2026/01/02/some-article/"
    sign_up(next=post_url)
    path = verify_path_from(mail.outbox[0])

    response = client.post(path)

    assert response.context["next_url"] == post_url
    assert f'href="{post_url}"' in response.text


def test_signup_ignores_a_next_on_another_site(client, sign_up):
    sign_up(next="https://evil.example.com/")
    path = verify_path_from(mail.outbox[0])

    response = client.post(path)

    assert response.context["next_url"] == ""
    assert "evil.example.com" not in response.text


# --- Confirming the address -----------------------------------------------------------


@pytest.fixture
def member():
    return UserFactory(username="mira", email="mira@example.org", unverified=True)


def verify_url(user, **kwargs) -> str:
    return reverse(
        "accounts:verify", kwargs={"token": verification_token_make(user=user, **kwargs)}
    )


def test_get_on_the_link_shows_a_button_and_changes_nothing(client, member):
    response = client.get(verify_url(member))

    assert response.status_code == 200
    assert "Confirm my e-mail address" in response.text
    assert "mira@example.org" in response.text
    member.refresh_from_db()
    assert member.email_verified_at is None


def test_post_on_the_link_confirms_the_address(client, member):
    response = client.post(verify_url(member))

    assert response.status_code == 200
    assert "your e-mail address is confirmed" in response.text
    assert f'href="{reverse("blog:home")}"' in response.text
    member.refresh_from_db()
    assert member.email_verified_at is not None
    assert member.can_comment
    assert client.session[SESSION_KEY] == str(member.pk)


def test_only_the_confirming_post_signs_in_not_a_second_use(client, member):
    url = verify_url(member)
    Client().post(url)  # confirmed elsewhere
    client.post(url)
    assert SESSION_KEY not in client.session


def test_opening_the_link_signs_nobody_in(client, member):
    client.get(verify_url(member))
    assert SESSION_KEY not in client.session


def test_the_emailed_link_confirms_the_address(client, sign_up):
    sign_up()
    path = verify_path_from(mail.outbox[0])

    client.post(path)

    assert User.objects.get(username="newreader").email_verified_at is not None


def test_link_used_twice_says_it_is_already_confirmed(client, member):
    url = verify_url(member)
    client.post(url)

    again = client.post(url)
    opened = client.get(url)

    for response in (again, opened):
        assert response.status_code == 200
        assert response.context["state"] == "already"
        assert "already confirmed" in response.text


def test_expired_link_is_refused_with_a_resend_option(client, member):
    url = verify_url(member)

    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        opened = client.get(url)
        posted = client.post(url)

    for response in (opened, posted):
        assert response.status_code == 400
        assert "This link has expired" in response.text
        assert reverse("accounts:resend_verification") in response.text
    member.refresh_from_db()
    assert member.email_verified_at is None


def test_link_works_until_it_expires(client, member):
    url = verify_url(member)

    with time_machine.travel(timezone.now() + timedelta(days=2, hours=23)):
        response = client.post(url)

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.email_verified_at is not None


def test_expired_link_of_a_confirmed_address_says_all_is_well(client, member):
    url = verify_url(member)
    member.email_verified_at = timezone.now()
    member.save()

    with time_machine.travel(timezone.now() + timedelta(days=30)):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["state"] == "already"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: token.split(":")[0],
        lambda token: "nonsense",
        lambda token: signing.dumps({"u": 1, "e": "mira@example.org"}, salt="another.salt"),
    ],
    ids=["changed-signature", "changed-payload", "truncated", "nonsense", "other-salt"],
)
def test_tampered_link_is_refused(client, member, mangle):
    token = mangle(verification_token_make(user=member))

    for response in (
        client.get(reverse("accounts:verify", kwargs={"token": token})),
        client.post(reverse("accounts:verify", kwargs={"token": token})),
    ):
        assert response.status_code == 400
        assert "This link doesn’t work" in response.text
        assert "isn’t complete or has been changed" in response.text
    member.refresh_from_db()
    assert member.email_verified_at is None


def test_link_for_an_old_address_does_not_confirm_the_new_one(client, member):
    url = verify_url(member)
    member.email = "mira.new@example.org"
    member.save()

    response = client.post(url)

    assert response.status_code == 400
    assert "an address your account no longer uses" in response.text
    member.refresh_from_db()
    assert member.email_verified_at is None


def test_link_for_a_deactivated_account_is_refused(client, member):
    url = verify_url(member)
    member.is_active = False
    member.save()

    response = client.post(url)

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.email_verified_at is None


def test_verification_confirm_raises_a_clear_exception_for_each_bad_link(member):
    token = verification_token_make(user=member)
    with pytest.raises(VerificationLinkInvalid):
        verification_confirm(token=token + "x")
    with (
        time_machine.travel(timezone.now() + timedelta(days=4)),
        pytest.raises(VerificationLinkExpired),
    ):
        verification_confirm(token=token)

    assert verification_confirm(token=token) == member

    with pytest.raises(EmailAlreadyVerified):
        verification_confirm(token=token)


def test_verification_send_sends_nothing_for_a_confirmed_address(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email_verified_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        verification_send(user=user)

    assert callbacks == []
    assert mail.outbox == []


# --- Asking for a new link ------------------------------------------------------------

RESEND_URL = reverse("accounts:resend_verification")


def test_anonymous_visitor_is_asked_to_sign_in_first(client):
    response = client.get(RESEND_URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={RESEND_URL}"


def test_resend_page_shows_a_button_and_sends_nothing_on_get(client, member):
    client.force_login(member)

    response = client.get(RESEND_URL)

    assert response.status_code == 200
    assert "Send me a new link" in response.text
    assert "mira@example.org" in response.text
    assert mail.outbox == []


def test_resend_sends_a_new_link_that_works(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND_URL, follow=True)

    assert response.redirect_chain == [(RESEND_URL, 302)]
    assert "We’ve sent a new link to mira@example.org" in response.text
    assert len(mail.outbox) == 1
    client.post(verify_path_from(mail.outbox[0]))
    member.refresh_from_db()
    assert member.email_verified_at is not None


def test_resend_is_limited_to_one_a_minute(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESEND_URL)
        with time_machine.travel(start + timedelta(seconds=20)):
            refused = client.post(RESEND_URL)

    assert refused.status_code == 429
    assert "We sent you a link less than a minute ago" in refused.text
    assert "try again in" in refused.text
    assert len(mail.outbox) == 1


def test_resend_service_says_how_long_to_wait(member, django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            verification_resend(user=member)
        clock.shift(timedelta(seconds=45))
        with pytest.raises(VerificationResendTooSoon) as refused:
            verification_resend(user=member)

    assert refused.value.seconds_left == 15


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/2026/01/02/some-article/", "/2026/01/02/some-article/"), ("https://evil.example/", "")],
)
def test_resend_keeps_a_next_only_on_this_site(
    client, member, django_capture_on_commit_callbacks, next_url, expected
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESEND_URL, {"next": next_url})

    response = client.post(verify_path_from(mail.outbox[0]))

    assert response.context["next_url"] == expected


def test_resend_for_a_confirmed_member_says_so_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(email_verified_at=timezone.now()))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND_URL)

    assert response.status_code == 200
    assert "already confirmed" in response.text
    assert mail.outbox == []


def test_resend_refuses_a_post_without_a_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(RESEND_URL)

    assert response.status_code == 403
    assert mail.outbox == []


# --- Naughty strings ------------------------------------------------------------------


class TestNaughtyStrings:
    """Each string is stored exactly (after Django's normalisation) or refused with a
    message; none causes an error, and none comes back unescaped."""

    @pytest.fixture(autouse=True)
    def _one_client_may_sign_up_hundreds(self, settings):
        settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR = 0

    def test_each_string_as_a_username(
        self, client, naughty_strings_with_text, django_capture_on_commit_callbacks
    ):
        created = 0
        for i, text in enumerate(naughty_strings_with_text):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    SIGNUP_URL, signup_data(username=text, email=f"p{i}@example.org")
                )
            assert response.status_code in (200, 302), text
            if response.status_code == 302:
                created += 1
                user = User.objects.get(email=f"p{i}@example.org")
                assert user.username == unicodedata.normalize("NFKC", text.strip()), text
                client.logout()
            else:
                assert "Your account wasn’t created yet" in response.text, text
                assert "<script>alert(0)</script>" not in response.text
        assert created == User.objects.count() > 0

    def test_each_string_as_an_email_address(self, client, naughty_strings_with_text):
        for i, text in enumerate(naughty_strings_with_text):
            response = client.post(SIGNUP_URL, signup_data(username=f"u{i}", email=text))
            assert response.status_code in (200, 302), text
            if response.status_code == 302:
                client.logout()
            else:
                assert "<script>alert(0)</script>" not in response.text

    def test_each_string_as_a_password(self, client, naughty_strings_with_text):
        for i, text in enumerate(naughty_strings_with_text):
            response = client.post(
                SIGNUP_URL,
                signup_data(
                    username=f"u{i}", email=f"p{i}@example.org", password1=text, password2=text
                ),
            )
            assert response.status_code in (200, 302), text
            if response.status_code == 302:
                assert User.objects.get(username=f"u{i}").check_password(text), text
                client.logout()
            else:
                assert not User.objects.filter(username=f"u{i}").exists()

    def test_each_string_as_a_verification_token(self, client, naughty_strings_with_text):
        for text in naughty_strings_with_text:
            response = client.get(f"/accounts/verify/{quote(text, safe='')}/")
            assert response.status_code in (400, 404), text

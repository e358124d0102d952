"""E-mails the account pages send (sign-up, confirmation links, password resets) are
limited per address and per IP address, through HTTP with the in-memory outbox. Tasks run
immediately in tests, so each e-mail asked for is in ``mail.outbox`` or was never sent."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("accounts:signup")
RESET_URL = reverse("accounts:password_reset")
RESEND_URL = reverse("accounts:resend_verification")
PASSWORD = "plum-orchard-47-lantern"
REFUSED = "Sorry, we’ve sent as many e-mails to that address, or for your connection, as we can"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 5
    settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR = 30


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST as a browser at ``ip`` would, running what waits for the commit (e-mails)."""

    def send(url, data=None, *, ip="203.0.113.9", client=None, **kwargs):
        client = client or Client(REMOTE_ADDR=ip)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **kwargs)

    return send


def without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def signup_data(n: int, email: str) -> dict[str, str]:
    return {"username": f"reader{n}", "email": email, "password1": PASSWORD, "password2": PASSWORD}


# --- Password reset -------------------------------------------------------------------


def test_ten_reset_requests_for_one_address_send_five_emails_and_every_answer_is_the_same(
    post,
):
    UserFactory(email="mira@example.org")
    answers = [post(RESET_URL, {"email": "mira@example.org"}, follow=True) for _ in range(10)]
    unknown = post(RESET_URL, {"email": "nobody@example.org"}, follow=True)

    assert len(mail.outbox) == 5
    assert {a.redirect_chain[-1] for a in answers} == {
        (reverse("accounts:password_reset_done"), 302)
    }
    assert {a.text for a in answers} == {unknown.text}
    assert "If an account uses that address, we’ve sent it a link" in unknown.text


def test_reset_requests_for_an_address_without_an_account_use_up_its_limit_too(post):
    for _ in range(5):
        post(RESET_URL, {"email": "mira@example.org"})
    UserFactory(email="mira@example.org")

    post(RESET_URL, {"email": "MIRA@example.org"})

    assert mail.outbox == []


def test_reset_requests_from_one_ip_address_are_limited_across_addresses(post, settings):
    settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR = 3
    for n in range(4):
        UserFactory(email=f"member{n}@example.org")
        post(RESET_URL, {"email": f"member{n}@example.org"}, ip="203.0.113.9")
    assert [m.to for m in mail.outbox] == [[f"member{n}@example.org"] for n in range(3)]

    post(RESET_URL, {"email": "member3@example.org"}, ip="198.51.100.1")
    assert mail.outbox[-1].to == ["member3@example.org"]


def test_the_address_limit_opens_again_after_an_hour(post):
    UserFactory(email="mira@example.org")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(6):
            post(RESET_URL, {"email": "mira@example.org"})
        clock.shift(timedelta(hours=1, seconds=1))
        post(RESET_URL, {"email": "mira@example.org"})
    assert len(mail.outbox) == 6


# --- Signing up -----------------------------------------------------------------------


def test_signup_past_the_address_limit_is_refused_politely_and_creates_nothing(post):
    answers = [post(SIGNUP_URL, signup_data(n, "mira@example.org")) for n in range(5)]
    assert {a.status_code for a in answers} == {302}
    # The first joined and got a link; the owner was told of each later attempt.
    assert len(mail.outbox) == 5

    refused = post(SIGNUP_URL, signup_data(5, "Mira@example.org"))

    assert refused.status_code == 429
    assert f"{REFUSED} for now. Please try again in 60 minutes." in refused.text
    assert "Your account wasn’t created yet" in refused.text
    assert len(mail.outbox) == 5
    assert list(User.objects.values_list("username", flat=True)) == ["reader0"]


def test_signup_refused_by_the_limit_reads_the_same_whether_or_not_the_address_has_an_account(
    post,
):
    UserFactory(email="taken@example.org")
    for n in range(5):
        post(SIGNUP_URL, signup_data(n, "taken@example.org"))
        post(SIGNUP_URL, signup_data(10 + n, "free@example.org"), ip="198.51.100.1")
    User.objects.filter(email="free@example.org").delete()

    taken = post(SIGNUP_URL, signup_data(20, "taken@example.org"))
    free = post(SIGNUP_URL, signup_data(20, "free@example.org"), ip="198.51.100.1")

    assert taken.status_code == free.status_code == 429
    assert without_token(taken.text).replace("taken@", "free@") == without_token(free.text)


def test_signup_past_the_ip_limit_is_refused(post, settings):
    settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR = 2
    for n in range(2):
        assert post(SIGNUP_URL, signup_data(n, f"reader{n}@example.org")).status_code == 302

    refused = post(SIGNUP_URL, signup_data(2, "reader2@example.org"))

    assert refused.status_code == 429
    assert REFUSED in refused.text
    assert User.objects.count() == 2
    assert len(mail.outbox) == 2
    other_network = post(SIGNUP_URL, signup_data(2, "reader2@example.org"), ip="198.51.100.1")
    assert other_network.status_code == 302


# --- A new confirmation link ----------------------------------------------------------


def test_new_confirmation_links_share_the_address_limit_with_the_sign_up(post):
    client = Client(REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post(SIGNUP_URL, signup_data(0, "mira@example.org"), client=client)
        client.force_login(User.objects.get(email="mira@example.org"))
        for _ in range(4):
            clock.shift(timedelta(seconds=61))
            assert post(RESEND_URL, client=client).status_code == 302
        assert len(mail.outbox) == 5

        clock.shift(timedelta(seconds=61))
        refused = post(RESEND_URL, client=client)

    assert refused.status_code == 429
    assert f"{REFUSED} for now. Please try again in 55 minutes." in refused.text
    assert len(mail.outbox) == 5


# --- When the cache is down -----------------------------------------------------------


def test_with_redis_down_the_account_emails_still_go_out(redis_server, post, caplog):
    UserFactory(email="mira@example.org")
    redis_server.stop()

    reset = post(RESET_URL, {"email": "mira@example.org"})
    client = Client(REMOTE_ADDR="203.0.113.9")
    signup = post(SIGNUP_URL, signup_data(0, "new@example.org"), client=client)
    client.force_login(User.objects.get(email="new@example.org"))
    resend = post(RESEND_URL, client=client)

    assert (reset.status_code, signup.status_code, resend.status_code) == (302, 302, 302)
    assert [m.to for m in mail.outbox] == [
        ["mira@example.org"],
        ["new@example.org"],
        ["new@example.org"],
    ]
    assert "(the rate limit accounts:email:address, not applied: " in caplog.text

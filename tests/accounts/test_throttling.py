"""Failed sign-ins are throttled by django-axes, on the site's sign-in and the admin's."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
ADMIN_LOGIN_URL = reverse("admin:login")
LOCKED_MESSAGE = (
    "Too many failed sign-ins for this account from your connection. "
    "Please wait 15 minutes, or reset your password."
)


@pytest.fixture
def member():
    return UserFactory(username="mira", email="mira@example.org")


WRONG_PASSWORD = "not my password"


def attempt(client, url=LOGIN_URL, username="mira", password=WRONG_PASSWORD, ip="127.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, times, **kwargs):
    return [attempt(client, **kwargs) for _ in range(times)]


def assert_locked_out(response):
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert LOCKED_MESSAGE in " ".join(response.text.split())
    assert reverse("accounts:password_reset") in response.text


def test_four_failures_still_show_the_sign_in_form(client, member):
    responses = fail(client, 4)

    assert [r.status_code for r in responses] == [200] * 4
    assert "Please enter a correct username and password." in responses[-1].text


def test_after_five_failures_even_the_right_password_is_refused(client, member):
    *_, fifth = fail(client, 5)

    sixth = attempt(client, password=DEFAULT_PASSWORD)

    assert_locked_out(fifth)
    assert_locked_out(sixth)
    assert SESSION_KEY not in client.session


def test_lockout_page_gives_the_configured_wait(client, member, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)

    *_, fifth = fail(client, 5)

    assert fifth.status_code == 429
    assert "Please wait 30 minutes, or reset your password." in " ".join(fifth.text.split())


def test_lockout_covers_the_admin_sign_in(client):
    UserFactory(username="chief", is_staff=True, is_superuser=True)

    *_, fifth = fail(client, 5, url=ADMIN_LOGIN_URL, username="chief")
    sixth = attempt(client, url=ADMIN_LOGIN_URL, username="chief", password=DEFAULT_PASSWORD)

    assert_locked_out(fifth)
    assert_locked_out(sixth)
    assert SESSION_KEY not in client.session


def test_lockout_counts_failures_across_the_site_and_the_admin(client, member):
    fail(client, 3)
    fail(client, 2, url=ADMIN_LOGIN_URL)

    assert_locked_out(attempt(client, password=DEFAULT_PASSWORD))


def test_another_username_from_the_same_address_is_not_locked(client, member):
    UserFactory(username="tom")
    fail(client, 5)

    response = attempt(client, username="tom", password=DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(UserFactory(username="tom").pk)


def test_the_same_username_from_another_address_is_not_locked(client, member):
    fail(client, 5, ip="203.0.113.7")

    response = attempt(client, password=DEFAULT_PASSWORD, ip="198.51.100.2")

    assert response.status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, member):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, 5)

    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        response = attempt(client, password=DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def test_trying_again_during_the_lockout_starts_the_wait_again(client, member):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, 5)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert_locked_out(attempt(client, password=DEFAULT_PASSWORD))
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert_locked_out(attempt(client, password=DEFAULT_PASSWORD))

    with time_machine.travel(start + timedelta(minutes=30, seconds=2), tick=False):
        response = attempt(client, password=DEFAULT_PASSWORD)

    assert response.status_code == 302


def test_an_administrator_unlocking_the_account_lets_them_in(client, member):
    fail(client, 5)
    assert AccessAttempt.objects.filter(username="mira").exists()

    axes_reset(username="mira")
    response = attempt(client, password=DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def test_an_administrator_unlocks_through_the_axes_admin(client, member):
    fail(client, 5)
    admin = UserFactory(username="chief", is_staff=True, is_superuser=True)
    record = AccessAttempt.objects.get(username="mira")
    admin_client = type(client)()
    admin_client.force_login(admin)

    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[record.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="mira").exists()
    assert attempt(client, password=DEFAULT_PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, member):
    fail(client, 4)
    attempt(client, password=DEFAULT_PASSWORD)
    client.logout()

    responses = fail(client, 4)

    assert [r.status_code for r in responses] == [200] * 4


def test_resetting_the_password_lifts_the_lockout(client, member):
    fail(client, 5)
    client.post(reverse("accounts:password_reset"), {"email": "mira@example.org"})
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/\S+/)", mail.outbox[0].body)
    set_url = client.get(path.group(1), follow=True).redirect_chain[-1][0]
    new_password = "plum-orchard-47-lantern"
    client.post(set_url, {"new_password1": new_password, "new_password2": new_password})

    response = attempt(client, password=new_password)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_an_overlong_username_is_refused_plainly_on_every_database(client, url):
    # PostgreSQL enforces axes' 255-character column; SQLite would not notice.
    response = client.post(url, {"username": "x" * 400, "password": "wrong"})
    assert response.status_code == 200
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().username == "x" * 150

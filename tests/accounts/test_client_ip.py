"""The client's address behind trusted proxies (``DJANGO_TRUSTED_PROXIES``): the one
function, then django-axes through whole requests (flood control and reports:
tests/comments/test_client_addresses.py)."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.ratelimit import client_ip
from tests.config.test_settings import _run, _settings
from tests.factories import UserFactory

NGINX = "10.0.0.5"  # the proxy in front of the app, in the tests that trust it
FORGED = "198.51.100.66"  # what a client writes into X-Forwarded-For to look like someone else


def ip(proxies, remote_addr, forwarded=None, *, settings):
    settings.TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded", "expected"),
    [
        # No proxy trusted (the default): the header is anyone's to write.
        (0, "203.0.113.9", FORGED, "203.0.113.9"),
        ([], "203.0.113.9", FORGED, "203.0.113.9"),
        # A count: the nearest N hops are proxies.
        (1, NGINX, "203.0.113.9", "203.0.113.9"),
        (1, NGINX, f"{FORGED}, 203.0.113.9", "203.0.113.9"),
        (2, NGINX, f"{FORGED}, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, NGINX, "203.0.113.9", "203.0.113.9"),  # came through one proxy only
        (1, NGINX, None, NGINX),
        # A list: only hops in it are proxies, and only from a peer in it.
        (["10.0.0.0/8"], NGINX, f"{FORGED}, 203.0.113.9", "203.0.113.9"),
        (["10.0.0.0/8"], NGINX, f"{FORGED}, 203.0.113.9, 10.1.2.3", "203.0.113.9"),
        (["10.0.0.0/8"], "203.0.113.9", FORGED, "203.0.113.9"),  # not through the proxy
        (["10.0.0.0/8", "2001:db8::/32"], "2001:db8::1", "203.0.113.9", "203.0.113.9"),
        (["127.0.0.1"], "", "203.0.113.9", "203.0.113.9"),  # nginx on a Unix socket
        (["10.0.0.0/8"], NGINX, "10.0.0.7, 10.0.0.8", "10.0.0.7"),  # all proxies: the first
        # Addresses as proxies write them: ports, brackets, IPv4 mapped into IPv6.
        (1, NGINX, "203.0.113.9:51000", "203.0.113.9"),
        (1, NGINX, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "::ffff:10.0.0.5", "::ffff:203.0.113.9", "203.0.113.9"),
        (0, "::ffff:203.0.113.9", None, "203.0.113.9"),
        # Junk stops the walk at the last hop that could be trusted.
        (1, NGINX, "unknown", NGINX),
        (2, NGINX, "<script>, 203.0.113.9", "203.0.113.9"),
        (1, NGINX, "", NGINX),
        (1, NGINX, " , ,", NGINX),
        (1, NGINX, "1.2.3.4.5", NGINX),
        (1, NGINX, "999.0.0.1", NGINX),
        (1, NGINX, "a" * 10_000, NGINX),
        (1, NGINX, "203.0.113.9\x00", NGINX),
        (1, NGINX, "\uff12\uff10\uff13.0.113.9", NGINX),  # fullwidth digits
        (["10.0.0.0/8"], NGINX, ",".join(["10.0.0.1"] * 5000), "10.0.0.1"),
        (0, "", None, ""),
    ],
)
def test_client_ip(proxies, remote_addr, forwarded, expected, settings):
    assert ip(proxies, remote_addr, forwarded, settings=settings) == expected


def test_the_setting_reads_a_count_or_a_list_of_networks():
    assert _settings("settings.TRUSTED_PROXIES", DJANGO_DEBUG="1") == "0"
    assert (
        _settings("settings.TRUSTED_PROXIES", DJANGO_DEBUG="1", DJANGO_TRUSTED_PROXIES="2") == "2"
    )
    listed = _settings(
        "settings.TRUSTED_PROXIES",
        DJANGO_DEBUG="1",
        DJANGO_TRUSTED_PROXIES=" 127.0.0.1, 10.0.0.0/8 ,::1,10.1.2.3/8",
    )
    assert listed == "['127.0.0.1/32', '10.0.0.0/8', '::1/128', '10.0.0.0/8']"


@pytest.mark.parametrize("value", ["nginx", "10.0.0.0/33", "-1", "1, two"])
def test_a_setting_that_is_neither_stops_start_up_clearly(value):
    result = _run(
        "from django.conf import settings; settings.TRUSTED_PROXIES",
        DJANGO_DEBUG="1",
        DJANGO_TRUSTED_PROXIES=value,
    )
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES must be a number of proxies or a comma-separated list" in (
        result.stderr
    )


# --- Through whole requests ------------------------------------------------------------


def behind(proxy: str, client: str, forwarded: str | None = None) -> Client:
    """A browser at ``client`` reaching the app through ``proxy``, which appends the
    address it saw to whatever X-Forwarded-For the browser sent (as nginx's
    $proxy_add_x_forwarded_for does)."""
    header = f"{forwarded}, {client}" if forwarded else client
    return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=header)


AXES_LOCKED = 429


@pytest.mark.django_db
class TestSignInLockouts:
    @pytest.fixture(autouse=True)
    def _member(self, db):
        UserFactory(username="mira")

    def fail(self, browser: Client, times: int = 1) -> int:
        login = reverse("accounts:login")
        data = {"username": "mira", "password": "not my password"}
        return [browser.post(login, data).status_code for _ in range(times)][-1]

    @pytest.mark.parametrize("proxies", [1, ["10.0.0.0/8"]])
    def test_behind_a_trusted_proxy_a_lockout_holds_one_reader_not_everyone(
        self, settings, proxies
    ):
        settings.TRUSTED_PROXIES = proxies
        assert self.fail(behind(NGINX, "203.0.113.9"), 5) == AXES_LOCKED
        assert self.fail(behind(NGINX, "203.0.113.9", FORGED)) == AXES_LOCKED
        assert self.fail(behind(NGINX, "192.0.2.4")) == 200

    def test_without_trusted_proxies_a_forged_header_does_not_escape_a_lockout(self, settings):
        settings.TRUSTED_PROXIES = 0
        assert self.fail(Client(REMOTE_ADDR="203.0.113.9"), 5) == AXES_LOCKED
        forger = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.4")
        assert self.fail(forger) == AXES_LOCKED


def test_over_a_real_connection_the_peer_is_trusted_only_when_listed(live_server, settings):
    """Through a socket, where REMOTE_ADDR is the real peer (127.0.0.1): a reader who is
    locked out stays locked out whatever X-Forwarded-For they send, unless the peer is
    a trusted proxy."""
    UserFactory(username="mira")

    def sign_in_fails(forwarded: str) -> int:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        url = live_server.url + reverse("accounts:login")
        page = opener.open(url).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = {"csrfmiddlewaretoken": token, "username": "mira", "password": "wrong"}
        request = urllib.request.Request(  # noqa: S310 (the live server's http:// address)
            url,
            urllib.parse.urlencode(data).encode(),
            headers={"X-Forwarded-For": forwarded, "Referer": url},
        )
        try:
            return opener.open(request).status
        except urllib.error.HTTPError as error:
            return error.code

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]  # not the peer: the header is ignored
    assert [sign_in_fails(f"192.0.2.{n}") for n in range(5)][-1] == AXES_LOCKED
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert sign_in_fails("192.0.2.200") == 200
    assert sign_in_fails("198.51.100.1") == 200

"""The two-instance production stack, as `make production` runs it: nginx before two
gunicorn instances and a task worker, sharing a PostgreSQL database and a Redis server
(deploy/production.py, started once for this module on free ports; tests/deploy/stack.py).

What one instance does, the other sees at its next request: a comment, a moderator's hide,
a change of the discussion settings. nginx serves uploads and static files itself, gzips,
and refuses an oversized body before the app reads it."""

import gzip
import http.client
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings

from tests.deploy.stack import Stack, alive, descendants

pytestmark = pytest.mark.stack

TIMEOUT = 30
COMMENT = "Both instances should show this comment about the harbour."


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    started = Stack(tmp_path_factory.mktemp("stack"), "tribune")
    try:
        yield started
    finally:
        started.close()


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} in the page"
    return found.group(1)


def _signed_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    response = session.post(
        f"{base}/accounts/login/",
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": _hidden(page.text, "csrfmiddlewaretoken"),
        },
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:2000]
    return session


def _post_page(base: str, stack: Stack) -> str:
    response = requests.get(f"{base}{stack.seeded['post']}", timeout=TIMEOUT)
    assert response.status_code == 200
    return response.text


def test_a_comment_on_one_instance_and_a_hide_on_the_other_are_seen_by_both(stack):
    a, b = stack.instances
    for base in (a, b):  # each has drawn (and cached) the thread before
        assert COMMENT not in _post_page(base, stack)

    # A guest, from the page the shared page cache hands out: no CSRF token in it, and
    # the headers a browser sends with a form from the page, through nginx.
    guest = requests.Session()
    form = guest.get(f"{a}{stack.seeded['post']}").text
    assert "csrfmiddlewaretoken" not in form
    posted = guest.post(
        f"{a}/comments/post/{stack.seeded['post_id']}/",
        {
            "token": _hidden(form, "token"),
            "body": COMMENT,
            "name": "Harbour Watcher",
            "email": "watcher@example.org",
        },
        headers={"Origin": a, "Sec-Fetch-Site": "same-origin"},
        allow_redirects=False,
    )
    assert posted.status_code == 302, posted.text[:2000]
    comment_id = re.search(r"comment-(\d+)", posted.headers["Location"]).group(1)
    for base in (a, b):
        assert COMMENT in _post_page(base, stack)

    moderator = _signed_in(b, "mod", "a-moderator-password")
    hidden = moderator.post(
        f"{b}/comments/{comment_id}/moderate/",
        {
            "action": "hide",
            "guideline": stack.seeded["guideline"],
            "csrfmiddlewaretoken": moderator.cookies["csrftoken"],
        },
        allow_redirects=False,
    )
    assert hidden.status_code == 302, hidden.text[:2000]
    for base in (a, b):
        assert COMMENT not in _post_page(base, stack)


class _FormFields(HTMLParser):
    """The values a browser would send for the first form with a CSRF token."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attributes):
        attrs = dict(attributes)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file"}:
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.fields[name] = attrs.get("value") or ("on" if "checked" in attrs else "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def _change_settings(session: requests.Session, base: str, **changes: bool) -> None:
    url = f"{base}/admin/comments/discussionsettings/1/change/"
    parser = _FormFields()
    parser.feed(session.get(url).text)
    fields = parser.fields
    for name, value in changes.items():
        if value:
            fields[name] = "on"
        else:
            fields.pop(name, None)
    response = session.post(url, {**fields, "_save": "Save"}, allow_redirects=False)
    assert response.status_code == 302, response.text[:3000]


def test_a_settings_change_on_one_instance_applies_on_the_other(stack):
    a, b = stack.instances
    sign_in = "Please sign in to comment"
    assert sign_in not in _post_page(a, stack)  # read, and cached, before the change
    moderator = _signed_in(b, "mod", "a-moderator-password")

    _change_settings(moderator, b, guests_allowed=False)
    assert sign_in in _post_page(a, stack)
    assert sign_in in _post_page(b, stack)

    _change_settings(moderator, b, guests_allowed=True)
    assert sign_in not in _post_page(a, stack)


def test_nginx_serves_uploads_itself_with_nosniff_and_caching(stack):
    response = requests.get(f"{stack.url}{stack.seeded['image']}", timeout=TIMEOUT)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=86400" in response.headers["Cache-Control"]
    assert "X-Request-ID" not in response.headers  # nginx answered, not Django
    assert (
        requests.get(f"{stack.url}/media/no-such-picture.jpg", timeout=TIMEOUT).status_code == 404
    )


def test_nginx_keeps_renditions_for_a_year_as_their_names_change_with_the_picture(stack):
    # Pages show renditions; their folder is new for every upload (blog.services.image_create).
    response = requests.get(f"{stack.url}{stack.seeded['rendition']}", timeout=TIMEOUT)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    # The original keeps its uploaded name, which may be reused: a day only.
    original = requests.get(f"{stack.url}{stack.seeded['image']}", timeout=TIMEOUT)
    assert original.headers["Cache-Control"] == "public, max-age=86400"


def test_nginx_serves_hashed_static_files_for_a_year_gzipped(stack):
    home = requests.get(f"{stack.url}/", timeout=TIMEOUT).text
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home).group(1)

    response = requests.get(
        f"{stack.url}{stylesheet}", headers={"Accept-Encoding": "gzip"}, timeout=TIMEOUT
    )

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/feed/", "/feed/atom/", "/sitemap.xml"])
def test_pages_and_feeds_are_gzipped(stack, path):
    raw = requests.get(
        f"{stack.url}{path}", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=TIMEOUT
    )

    assert raw.status_code == 200
    assert raw.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(raw.raw.read())


def test_the_request_id_is_nginxs_and_is_in_its_log_and_the_apps(stack):
    response = requests.get(f"{stack.url}/healthz", timeout=TIMEOUT)

    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert response.json()["down"] == []
    # Both logs are written as the request ends, and reach their files a moment later.
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and not (
        request_id in (stack.run / "nginx" / "access.log").read_text()
        and f'"request_id": "{request_id}"' in stack.output()
    ):
        time.sleep(0.1)
    assert request_id in (stack.run / "nginx" / "access.log").read_text()
    assert f'"request_id": "{request_id}"' in stack.output()


def test_the_database_going_away_is_named_by_healthz_and_survived(stack):
    worker = stack.pids()["worker"]

    with stack.database_refusing():
        response = requests.get(f"{stack.url}/healthz", timeout=TIMEOUT)

        assert response.status_code == 503
        assert response.json()["down"] == ["database", "tasks"]
        assert response.json()["cache"] is True
        # The task worker exits when it finds no database (it polls every second) ...
        deadline = time.monotonic() + 10
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(worker)

    # ... and is started again, as systemd would; the instances never stopped.
    deadline = time.monotonic() + 20
    while stack.pids().get("worker") in {None, worker} and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive(stack.pids()["worker"])
    assert requests.get(f"{stack.url}/healthz", timeout=TIMEOUT).json()["down"] == []
    assert stack.process.poll() is None


def _announce_body(base: str, length: int) -> int:
    """POST with a Content-Length and no body at all: the status of an answer given without
    reading the body."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest("POST", "/accounts/login/")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_body_over_the_limit_is_refused_before_it_is_read(stack):
    limit = settings.REQUEST_MAX_BYTES

    assert _announce_body(stack.url, limit + 1) == 413  # nginx
    assert _announce_body(stack.instances[0], limit + 1) == 413  # Django behind it


def test_stopping_stops_exactly_what_it_started(stack):
    recorded = stack.pids()
    assert set(recorded) == {"nginx", "web-1", "web-2", "worker"}
    started = set().union(*(descendants(pid) for pid in recorded.values()))
    assert len(started) >= 7  # nginx and its workers, two gunicorns and theirs, the worker
    # Something else on the machine, like the shared PostgreSQL and Redis: still running.
    bystander = stack.redis.client.info("server")["process_id"]

    assert stack.stop() == 0

    assert [pid for pid in started if alive(pid)] == []
    assert alive(bystander)
    assert list(stack.run.glob("*.pid")) == []

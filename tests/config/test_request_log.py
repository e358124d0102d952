"""One JSON log line per request, and the request id that ties a reader's error page to it."""

import io
import json
import logging
import re

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from accounts.models import User
from config import urls as site_urls
from config.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def _database_gone(request):
    raise OperationalError("the database is restarting")


# Before the site's own: its last route (the pages at /<slug>/) would take it.
urlpatterns = [path("database-gone/", _database_gone), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.fixture
def log_lines():
    """What the site logs while the test runs, through the JSON formatter the production
    settings use, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root, requests = logging.getLogger(), logging.getLogger("tribune.requests")
    levels = root.level, requests.level
    root.addHandler(handler)
    requests.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        requests.setLevel(levels[1])


def _request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "tribune.requests"]


def test_each_request_writes_one_json_line(client, log_lines):
    response = client.get("/no-such-page/", {"q": "secret search"})

    [line] = _request_lines(log_lines())
    assert line["method"] == "GET"
    assert line["path"] == "/no-such-page/"  # never the query
    assert line["status"] == 404
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert line["user"] == "anonymous"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert "secret" not in json.dumps(line)


def test_a_member_is_logged_by_id(client, log_lines):
    member = User.objects.create_user("ada", "ada@example.org", "pw")
    client.get("/")
    client.force_login(member)
    client.get("/")
    client.get("/robots.txt")  # a page that never looks at its user

    lines = _request_lines(log_lines())
    assert [line["user"] for line in lines] == ["anonymous", member.pk, member.pk]


def test_a_new_request_id_is_made_for_each_request(client):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_the_proxys_request_id_is_kept(client, log_lines):
    # nginx passes its $request_id (32 hex digits) on; the line and the header keep it.
    response = client.get("/", HTTP_X_REQUEST_ID="3f1c0a9e5b7d4c2a8e6f1b3d5a7c9e0f")

    assert response["X-Request-ID"] == "3f1c0a9e5b7d4c2a8e6f1b3d5a7c9e0f"
    assert _request_lines(log_lines())[0]["request_id"] == "3f1c0a9e5b7d4c2a8e6f1b3d5a7c9e0f"


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "short",
        "x" * 129,
        'a"b\\nforged log line',
        "id with spaces",
        "ümlaut-ümlaut",
        "a\tb" * 5,
    ],
)
def test_a_request_id_that_is_not_an_id_is_replaced(client, incoming):
    response = client.get("/", HTTP_X_REQUEST_ID=incoming)

    assert response.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.urls("tests.config.test_pages")
def test_the_500_page_shows_the_request_id_logged_with_the_traceback(log_lines):
    client = Client(raise_request_exception=False)

    response = client.get("/broken/", HTTP_X_REQUEST_ID="support-ticket-0042")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "support-ticket-0042"
    assert '<code class="request-id">support-ticket-0042</code>' in response.text
    lines = log_lines()
    [error] = [line for line in lines if line["logger"] == "django.request"]
    assert error["request_id"] == "support-ticket-0042"
    assert "ValueError: boom" in error["exception"]
    assert _request_lines(lines)[0]["status"] == 500


@pytest.mark.urls(__name__)
def test_the_503_page_shows_the_request_id_too():
    client = Client(raise_request_exception=False)

    response = client.get("/database-gone/", HTTP_X_REQUEST_ID="support-ticket-0503")

    assert response.status_code == 503
    assert '<code class="request-id">support-ticket-0503</code>' in response.text


def test_other_error_pages_do_not_show_a_reference(client):
    assert "request-id" not in client.get("/no-such-page/").text

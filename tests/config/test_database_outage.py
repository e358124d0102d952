"""PostgreSQL restarting under the site: a throw-away cluster of the module's own under the
site served by gunicorn with debug off, stopped and started while readers read and comment.

Requests in flight may fail, with a clean 503 page (never the 500 page); a comment that
could not be stored comes back to its writer to copy or send again; no comment the site
accepted is lost; and the same app process serves again once the database is back.
"""

import html
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import psycopg
import pytest
from django.core import signing

from comments.forms import TOKEN_SALT
from tests.app_server import AppServer
from tests.postgres_cluster import PostgresCluster

BACK_SOON = "We’ll be back in a moment"
NOT_POSTED = "Your comment wasn’t posted"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The cluster and the site on it, started once for the module."""
    cluster = PostgresCluster()
    try:
        server = AppServer(tmp_path_factory.mktemp("gunicorn"), cluster.url)
        try:
            yield cluster, server
        finally:
            server.stop()
    finally:
        cluster.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Reader:
    """A guest's browser: its own cookies, the headers a browser sends with a form, and
    comment forms as the post page hands them out (a signed token each). The page from the
    shared page cache holds no CSRF token, and a guest without a session needs none."""

    def __init__(self, server: AppServer, name: str) -> None:
        self.server = server
        self.name = name
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect
        )
        status, page, _ = self.get(server.post_path)
        assert status == 200, page

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.server.url + self.server.post_path}
        if data is not None:
            headers |= {"Origin": self.server.url, "Sec-Fetch-Site": "same-origin"}
        request = urllib.request.Request(self.server.url + path, body, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def get(self, path: str) -> tuple[int, str, dict]:
        return self.request(path)

    def form(self, body: str) -> dict:
        token = signing.dumps(
            {"t": time.time() - 60, "k": secrets.token_hex(16)},
            key=self.server.secret_key,
            salt=TOKEN_SALT,
        )
        return {
            "body": body,
            "name": self.name,
            # One address a comment: the flood interval is per person.
            "email": f"{self.name.lower()}.{secrets.token_hex(4)}@example.org",
            "parent": "",
            "token": token,
            "website": "",
        }

    def send(self, form: dict) -> tuple[int, str, dict]:
        return self.request(self.server.comment_path, form)


def connect(cluster: PostgresCluster) -> psycopg.Connection:
    return psycopg.connect(cluster.url.replace("postgres://", "postgresql://"))


def stored_bodies(cluster: PostgresCluster) -> list[str]:
    with connect(cluster) as connection:
        return [row[0] for row in connection.execute("SELECT body FROM comments_comment")]


def assert_clean_503(status: int, page: str, headers: dict) -> None:
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Traceback" not in page
    assert "Something went wrong" not in page


def test_with_the_database_down_pages_are_503_and_a_comment_comes_back_to_send_again(site):
    cluster, server = site
    reader = Reader(server, "Ada")
    words = 'Bus lanes <b>work</b> & "save" time.\n\nSecond paragraph.'
    form = reader.form(words)

    cluster.stop()
    try:
        page = reader.get(server.post_path)
        home = reader.get("/")
        status, unsaved, headers = reader.send(form)
    finally:
        cluster.start()

    assert_clean_503(*page)
    assert BACK_SOON in page[1]
    assert_clean_503(*home)
    assert_clean_503(status, unsaved, headers)
    assert NOT_POSTED in unsaved
    assert f'<code class="request-id">{headers["X-Request-ID"]}</code>' in unsaved
    assert f">{html.escape(words)}</textarea>" in unsaved
    assert 'value="Ada"' in unsaved
    assert f'value="{form["token"]}"' in unsaved
    assert f'href="{server.url}{server.post_path}"' in unsaved  # the way back
    assert words not in stored_bodies(cluster)

    # The same app process, without a restart: sent again, it is posted, and only once.
    resent = reader.send(form)
    again = reader.send(form)
    assert (resent[0], again[0]) == (302, 302)
    assert stored_bodies(cluster).count(words) == 1
    assert html.escape("Bus lanes <b>work</b>") in reader.get(server.post_path)[1]
    assert server.process.poll() is None


def test_a_comment_the_database_refuses_comes_back_too_with_a_500(site):
    """Not an outage but a storage error (here a trigger refusing every new comment): the
    writer still gets their words back, and the page says it was our fault."""
    cluster, server = site
    reader = Reader(server, "Ben")
    form = reader.form("Refused by the database.")
    refuse = """
        CREATE FUNCTION refuse() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER refuse BEFORE INSERT ON comments_comment EXECUTE FUNCTION refuse();
    """
    with connect(cluster) as connection:
        connection.execute(refuse)
    try:
        status, page, headers = reader.send(form)
    finally:
        with connect(cluster) as connection:
            connection.execute("DROP TRIGGER refuse ON comments_comment; DROP FUNCTION refuse")

    assert status == 500
    assert "Retry-After" not in headers
    assert NOT_POSTED in page
    assert "Something went wrong on our side." in page
    assert ">Refused by the database.</textarea>" in page
    assert reader.send(form)[0] == 302


def test_a_restart_mid_traffic_loses_no_accepted_comment(site):
    cluster, server = site
    readers = [Reader(server, f"Reader{n}") for n in range(3)]
    answers: list[tuple[str, int, str]] = []  # (body sent or "", status, page)
    done = threading.Event()

    def read_and_comment(reader: Reader) -> None:
        n = 0
        while not done.is_set():
            n += 1
            body = f"{reader.name} comment {n}"
            status, page, _ = reader.send(reader.form(body))
            answers.append((body, status, page))
            status, page, _ = reader.get(server.post_path)
            answers.append(("", status, page))

    def until(condition, seconds=20) -> None:
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.02)

    threads = [threading.Thread(target=read_and_comment, args=(r,)) for r in readers]
    for thread in threads:
        thread.start()
    try:
        until(lambda: sum(status == 302 for _, status, _ in answers) >= 3)
        cluster.stop()
        until(lambda: sum(status == 503 for body, status, _ in answers if body) >= 3)
        cluster.start()
        restarted = len(answers)
        until(lambda: sum(status == 302 for _, status, _ in answers[restarted:]) >= 3)
    finally:
        done.set()
        for thread in threads:
            thread.join()

    statuses = {status for _, status, _ in answers}
    assert statuses <= {200, 302, 503}, [page for _, status, page in answers if status == 400][:1]
    assert sum(status == 503 for _, status, _ in answers) >= 3, "the outage was seen"
    accepted = {body for body, status, _ in answers if body and status == 302}
    assert accepted - set(stored_bodies(cluster)) == set(), "an accepted comment was lost"
    for body, status, page in answers:
        if status == 503:
            assert (NOT_POSTED if body else BACK_SOON) in page
            assert not body or f">{body}</textarea>" in page
    assert sum(status == 302 for _, status, _ in answers[restarted:]) >= 3
    assert server.process.poll() is None

"""A local HTTP server speaking Akismet's REST protocol (version 1.1), in a thread of the
test process on a free port of its own: verify-key, comment-check (with the
``X-akismet-pro-tip: discard`` header for blatant spam), submit-spam and submit-ham.

It knows one valid key and blog address. comment-check says spam for a comment whose author
is ``viagra-test-123`` (Akismet's own test value) or whose text holds a word in
``spam_words``, "discard" as well for one in ``discard_words``, and ham otherwise. It can
answer with an error status (``fail_with``), answer a check outside the protocol
(``check_answer``), hang until stopped (``hang()``: a client's
timeout fires), or be stopped (``stop()``: connections are refused). ``requests`` holds
every request it read, as (endpoint, form fields).
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from tests.redis_server import free_port

VALID_KEY = "tribune-test-key"
BLOG_URL = "https://tribune.example.org"
THANKS = "Thanks for making the web a better place."


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format: str, *args) -> None:
        """Quiet: the tests read ``requests`` instead."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = {
            k: v[0]
            for k, v in parse_qs(self.rfile.read(length).decode(), keep_blank_values=True).items()
        }
        endpoint = self.path.removeprefix("/1.1/")
        akismet = self.server.akismet
        akismet.requests.append((endpoint, form))
        if akismet.hanging.is_set():
            akismet.released.wait(timeout=30)
            return
        if akismet.fail_with:
            self._answer(akismet.fail_with, "Internal error")
            return
        if endpoint == "verify-key":
            valid = form.get("key") == VALID_KEY and form.get("blog") == BLOG_URL
            self._answer(200, "valid" if valid else "invalid")
        elif form.get("api_key") != VALID_KEY:
            self._answer(200, "invalid")
        elif endpoint == "comment-check":
            self._comment_check(form)
        elif endpoint in ("submit-spam", "submit-ham"):
            self._answer(200, THANKS)
        else:
            self._answer(404, "Unknown endpoint")

    def _comment_check(self, form: dict) -> None:
        akismet = self.server.akismet
        text = form.get("comment_content", "").lower()
        if akismet.check_answer:
            self._answer(200, akismet.check_answer)
        elif any(word in text for word in akismet.discard_words):
            self._answer(200, "true", {"X-akismet-pro-tip": "discard"})
        elif form.get("comment_author") == "viagra-test-123" or any(
            word in text for word in akismet.spam_words
        ):
            self._answer(200, "true")
        else:
            self._answer(200, "false")

    def _answer(self, status: int, text: str, headers: dict | None = None) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    akismet: "AkismetServer"


class AkismetServer:
    """Listens on 127.0.0.1 at ``url`` from ``start()`` to ``stop()``."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[tuple[str, dict]] = []
        self.spam_words: set[str] = {"casino"}
        self.discard_words: set[str] = {"replica watches"}
        self.fail_with = 0
        self.check_answer = ""
        self.hanging = threading.Event()
        self.released = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def endpoints(self) -> list[str]:
        return [endpoint for endpoint, _ in self.requests]

    def hang(self) -> None:
        """Read each request and never answer it, until ``stop()``."""
        self.hanging.set()

    def start(self) -> "AkismetServer":
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.akismet = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

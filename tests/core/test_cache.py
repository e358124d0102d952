"""core.cache: a cache that does not answer is left alone for a while, and its outage is
one warning, not one a request. Against a server that hangs and a real Redis."""

import logging
import socket
import threading

import pytest

from core.cache import cache_get, cache_set


class SilentServer:
    """Accepts connections, reads what is sent, and never answers: a Redis that hangs.
    Counts the connections made to it."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed
                return
            self.connections.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def silent_cache(settings):
    server = SilentServer()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    yield server
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    server.close()


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "core.cache"]


def test_a_hung_cache_is_asked_once_a_retry_interval_not_once_a_request(
    silent_cache, settings, caplog
):
    settings.CACHE_RETRY_SECONDS = 60

    assert [cache_get(f"key{n}") for n in range(10)] == [None] * 10
    cache_set("key", "value", 10)

    assert len(silent_cache.connections) == 1
    assert len(warnings(caplog)) == 1
    assert warnings(caplog)[0].startswith("The cache did not answer (a read of key0: Timeout")


def test_a_long_outage_is_asked_about_again_and_warned_about_once_an_interval(
    silent_cache, settings, caplog
):
    settings.CACHE_RETRY_SECONDS = 0
    settings.CACHE_WARNING_SECONDS = 60
    for n in range(3):
        cache_get(f"key{n}")
    assert len(silent_cache.connections) == 3
    assert len(warnings(caplog)) == 1

    settings.CACHE_WARNING_SECONDS = 0
    cache_get("key3")

    assert len(warnings(caplog)) == 2
    assert warnings(caplog)[1].startswith("The cache has not answered for ")
    assert "(a read of key3: Timeout" in warnings(caplog)[1]


def test_when_the_cache_answers_again_it_is_used_and_that_is_logged(redis_server, settings, caplog):
    settings.CACHE_RETRY_SECONDS = 0
    redis_server.stop()
    cache_set("key", "kept?", 60)
    redis_server.start()

    cache_set("key", "kept", 60)

    assert cache_get("key") == "kept"
    assert [r.levelno for r in caplog.records if r.name == "core.cache"] == [logging.WARNING] * 2
    assert warnings(caplog)[1].startswith("The cache answers again, after ")

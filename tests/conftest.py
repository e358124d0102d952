"""Fixtures every part of the suite shares.

The autouse ones hold for every test: cheap password hashing, an empty cache, uploads (public
and private) in a throw-away folder and no silently failed background task. The others are
asked for by name (``pytest.mark.usefixtures("_quick_forms")`` for the ones that only change
a setting).
"""

import json
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished
from django.test import override_settings

from tests.redis_server import RedisServer
from tests.s3_server import (
    ACCESS_KEY,
    MEDIA_BUCKET,
    SECRET_KEY,
    S3Server,
    settings_from_environment,
    storage_settings,
)

NAUGHTY_STRINGS = Path(__file__).resolve().parent / "data/naughty-strings/blns.json"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the ``postgresql`` tests when the suite runs on another database: they are
    deselected (and counted as such), not skipped, since there is nothing there to run."""
    if connection.vendor == "postgresql":
        return
    elsewhere = [item for item in items if item.get_closest_marker("postgresql")]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if item not in elsewhere]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is deliberately slow; the tests check behaviour, not hashing cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_server(tmp_path):
    """The shared cache on a Redis server of the test's own, which the test may stop
    (``redis_server.stop()``), hang (``pause()``) or restart (``stop(keep=True)`` then
    ``start()``) to see the site without its cache. Never the shared 6379."""
    server = RedisServer(tmp_path)
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            # The production timeouts (config.settings), so a hung server fails quickly.
            "OPTIONS": {
                "socket_connect_timeout": django_settings.CACHE_TIMEOUT_SECONDS,
                "socket_timeout": django_settings.CACHE_TIMEOUT_SECONDS,
            },
        }
    }
    try:
        # Undone before the autouse fixtures clear the cache, which then is the usual one.
        with override_settings(CACHES=caches):
            yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto's standalone S3 server, a process of its own on a free port, started the first
    time a test of this worker asks for it."""
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_settings(s3_server) -> dict:
    """What config/settings.py makes of DJANGO_S3_* variables naming the test bucket."""
    return settings_from_environment(
        DJANGO_S3_BUCKET=MEDIA_BUCKET,
        DJANGO_S3_ENDPOINT_URL=s3_server.endpoint,
        DJANGO_S3_ACCESS_KEY_ID=ACCESS_KEY,
        DJANGO_S3_SECRET_ACCESS_KEY=SECRET_KEY,
    )


@pytest.fixture
def s3_bucket(settings, s3_server, s3_settings) -> S3Server:
    """Uploads go to an empty bucket (``MEDIA_BUCKET``) on the moto server, with the
    storage, MEDIA_URL and CSP the settings make for it."""
    s3_server.empty_bucket(MEDIA_BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": storage_settings(s3_settings)}
    settings.MEDIA_URL = s3_settings["MEDIA_URL"]
    settings.MEDIA_ORIGIN = s3_settings["MEDIA_ORIGIN"]
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": s3_settings["img-src"]}
    return s3_server


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """The folder uploads go to: a new one for each test, so no test writes into the
    checkout or sees another's pictures (parallel workers included). A test that looks at
    the stored files asks for it by name."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    """The folder private uploads (WordPress exports waiting to be imported) go to: a new one
    for each test, like ``media_root``."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": location}},
    }
    return location


@pytest.fixture(autouse=True)
def _tasks_must_succeed(request):
    """The immediate backend records a task's exception instead of raising it; fail the test
    instead, so a broken task cannot pass for one that chose to send nothing. A test that
    makes a task fail on purpose (and checks how) is marked ``task_failures_expected``."""
    if request.node.get_closest_marker("task_failures_expected"):
        yield
        return
    failures = []

    def record(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failures.append(task_result.errors[-1].traceback)

    task_finished.connect(record)
    yield
    task_finished.disconnect(record)
    assert not failures, failures[0]


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a service and what it queued for after its commit (e-mails through tasks)."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def _quick_forms(settings):
    # A person takes a few seconds to write a comment; tests and browsers take none.
    # The too-fast trap has its own tests, which set the minimum themselves.
    settings.COMMENT_FORM_MIN_SECONDS = 0


# ASCII punctuation that means something to HTML, SQL, shells, URLs or templates.
_SYNTAX = frozenset("<>&\"'%\\/{}$;`|*?.=()-#")


def naughty_shape(text: str) -> tuple:
    """What about a string can trip a web app up: the Unicode categories of its characters,
    the syntax characters it holds, whether it is long, and whether it has space around it.
    Strings of one shape take the same paths through forms, the database and templates."""
    categories = frozenset(unicodedata.category(character) for character in text)
    syntax = _SYNTAX.intersection(text)
    return categories, syntax, len(text) > 64, text.strip() != text


@pytest.fixture(scope="session")
def naughty_strings() -> list[str]:
    """One string of each shape (``naughty_shape``) from the Big List of Naughty Strings
    (tests/data), blank ones included: 211 of its 515, for the tests that send each
    string through a whole request. The fuzz test (tests/config) draws from all of them."""
    by_shape: dict[tuple, str] = {}
    for text in json.loads(NAUGHTY_STRINGS.read_text()):
        by_shape.setdefault(naughty_shape(text), text)
    return list(by_shape.values())


@pytest.fixture(scope="session")
def naughty_strings_with_text(naughty_strings) -> list[str]:
    """The naughty strings that are not blank, for fields where blank has its own tests."""
    return [text for text in naughty_strings if text.strip()]


@pytest.fixture
def stored_files(media_root) -> Callable[[], list[str]]:
    """Lists the files stored under this test's media folder: sorted names relative to it,
    as a FileField's ``name`` holds them."""

    def stored_files() -> list[str]:
        return sorted(
            path.relative_to(media_root).as_posix()
            for path in media_root.rglob("*")
            if path.is_file()
        )

    return stored_files

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.redis_server import RedisServer


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
    (``redis_server.stop()``) to see the site without its cache. Never the shared 6379."""
    server = RedisServer(tmp_path)
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
        }
    }
    try:
        # Undone before the autouse fixtures clear the cache, which then is the usual one.
        with override_settings(CACHES=caches):
            yield server
    finally:
        server.stop()

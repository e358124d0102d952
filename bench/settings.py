"""Settings for the benchmarks only (``bench/thread_bench.py`` selects them through
``DJANGO_SETTINGS_MODULE``): the project's settings, read from the environment as usual,
with the changes the bench needs. The site never uses this module."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

# collectstatic writes the hashed files into the bench's temporary directory, so the
# project's own staticfiles/ is never touched.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])

# The site's URLs plus the bare view the bench measures as its yardstick.
ROOT_URLCONF = "bench.urls"

# BENCH_THREAD_CACHE=0 renders every page in full on every request (the "uncached"
# figures): no cache at all, and no full-page cache middleware, which with a cache that
# keeps nothing would still compress each page it fails to keep, twice (gzip and brotli).
if os.environ.get("BENCH_THREAD_CACHE", "1") == "0":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    MIDDLEWARE = [name for name in MIDDLEWARE if name != "core.pagecache.page_cache"]  # noqa: F405

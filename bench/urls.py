"""The site's URLs plus ``/bench/bare/<name>/``: a view that does no work and returns the
bytes of a page captured earlier, through the same middleware as every other page; and
``/bench/bare/<name>/<coding>/``, the same for a body captured as it went over the wire,
compressed, sent with its ``Content-Encoding`` (the bytes the full-page cache serves)."""

import os
from functools import cache
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


CODINGS = frozenset({"br", "gzip"})


@cache
def _captured(name: str, suffix: str = "html") -> bytes | None:
    """The page stored as ``$BENCH_BARE_DIR/<name>.<suffix>``, read once per process."""
    folder = os.environ.get("BENCH_BARE_DIR", "")
    page = Path(folder) / f"{name}.{suffix}"
    return page.read_bytes() if folder and page.is_file() else None


def bare(request: HttpRequest, name: str) -> HttpResponse:
    body = _captured(name)
    if body is None:
        raise Http404("No such captured page.")
    return HttpResponse(body, content_type="text/html; charset=utf-8")


def bare_encoded(request: HttpRequest, name: str, coding: str) -> HttpResponse:
    body = _captured(name, coding) if coding in CODINGS else None
    if body is None:
        raise Http404("No such captured page.")
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Encoding"] = coding
    return response


urlpatterns = [
    path("bench/bare/<slug:name>/", bare, name="bench_bare"),
    path("bench/bare/<slug:name>/<slug:coding>/", bare_encoded, name="bench_bare_encoded"),
    *site_urlpatterns,
]

"""The site's URLs plus ``/bench/bare/<name>/``: a view that does no work and returns the
bytes of a page captured earlier, through the same middleware as every other page."""

import os
from functools import cache
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@cache
def _captured(name: str) -> bytes | None:
    """The page stored as ``$BENCH_BARE_DIR/<name>.html``, read once per process."""
    folder = os.environ.get("BENCH_BARE_DIR", "")
    page = Path(folder) / f"{name}.html"
    return page.read_bytes() if folder and page.is_file() else None


def bare(request: HttpRequest, name: str) -> HttpResponse:
    body = _captured(name)
    if body is None:
        raise Http404("No such captured page.")
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/<slug:name>/", bare, name="bench_bare"), *site_urlpatterns]

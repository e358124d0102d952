"""Site-wide views: the health check, uploaded files in development, and the error pages."""

import errno
import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.static import serve
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database and the cache answer; 503 if either does not."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database did not answer.")
        return False


def _cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"
    except RedisError:
        logger.exception("Health check: the cache did not answer.")
        return False


def media(request: HttpRequest, path: str, document_root: str) -> HttpResponse:
    """An uploaded file, in development only (nginx serves /media/ in production). A name
    too long for the file system to look up is missing like any other: Django's ``serve``
    lets that OSError through as a 500."""
    try:
        return serve(request, path, document_root=document_root)
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404(_("There is no such file.")) from None


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": _reason(exception)}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: whatever broke may be what they rely on.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def _reason(exception: Exception | None) -> str:
    """The message a view put in PermissionDenied, when it wrote one for people."""
    if exception is None:
        return ""
    message = str(exception)
    return message if message and message != "None" else ""


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A missing or stale CSRF token: explain it in words, not in jargon."""
    return render(request, "403_csrf.html", status=403)

"""Site-wide views: the health check, uploaded files in development, and the error pages."""

import errno
import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Case, F, When
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.static import serve
from django_tasks_db.models import DBTaskResult, get_date_max
from psycopg import InterfaceError as PsycopgInterfaceError
from psycopg import OperationalError as PsycopgOperationalError

from comments.views.posting import comment_unsaved
from core.cache import cache_call

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Whether this instance can serve: 200 when the database and the cache answer and no
    background task has waited past ``HEALTHZ_TASK_BACKLOG_SECONDS``, 503 otherwise, with
    ``down`` naming what failed. Exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT),
    so a load balancer may probe it over plain HTTP."""
    database = _database_ok()
    backlog = _task_backlog_seconds() if database else None
    checks = {
        "database": database,
        "cache": _cache_ok(),
        # Unknown (null) when the database, which holds the tasks, does not answer.
        "tasks": None if backlog is None else backlog <= settings.HEALTHZ_TASK_BACKLOG_SECONDS,
    }
    down = [name for name, ok in checks.items() if ok is False]
    if not database:
        down.append("tasks")
    response = JsonResponse(
        {
            "status": "unavailable" if down else "ok",
            **checks,
            "task_backlog_seconds": backlog,
            "down": down,
        },
        status=503 if down else 200,
    )
    # A 503 here is an answer, not an error of ours: what failed is logged once where it
    # failed, and every probe has its request line; Django would add an error a probe.
    response._has_been_logged = True
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database did not answer.")
        return False


def _cache_ok() -> bool:
    """A write and a read back. Through ``core.cache.cache_call``, so an outage is logged
    once, not at every probe, and a cache known to be down is not waited on again."""

    def write_and_read() -> bool:
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"

    return cache_call(write_and_read, fallback=False, what="the health check")


def _task_backlog_seconds() -> int | None:
    """How long the oldest task that is due (READY, its run_after passed or unset) has been
    waiting for a worker, in whole seconds; 0 when none waits, None if it cannot be read."""
    now = timezone.now()
    try:
        due_since = (
            DBTaskResult.objects.ready()
            .annotate(
                due_since=Case(
                    When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
                )
            )
            .order_by("due_since")
            .values_list("due_since", flat=True)
            .first()
        )
    except DatabaseError:
        logger.exception("Health check: the task queue could not be read.")
        return None
    return 0 if due_since is None else max(0, int((now - due_since).total_seconds()))


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


# What a database that is restarting, down or out of reach raises: Django's wrappers of the
# driver's errors, and psycopg's own should one reach us unwrapped.
DATABASE_UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    PsycopgOperationalError,
    PsycopgInterfaceError,
)
# How long a reader is asked to wait when the database does not answer.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """The answer to anything a view or middleware let through: 503 and "try again in a
    moment" when the database did not answer (it is restarting, or out of reach), 500
    otherwise. A comment that could not be posted is given back to its writer to copy or
    send again (``comment_unsaved``), whatever the error.

    Django calls this while it handles the exception, so ``sys.exception()`` is the error.
    Nothing here touches the database or the session: whatever broke may be what they
    rely on."""
    unavailable = isinstance(sys.exception(), DATABASE_UNAVAILABLE)
    status = 503 if unavailable else 500
    match = getattr(request, "resolver_match", None)
    if request.method == "POST" and match is not None and match.view_name == "comments:post":
        response = comment_unsaved(request, status=status)
    else:
        template = "503.html" if unavailable else "500.html"
        # The request id (config.middleware.request_logged) finds this request's log lines.
        context = {"request_id": getattr(request, "request_id", "")}
        response = HttpResponse(loader.get_template(template).render(context), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _reason(exception: Exception | None) -> str:
    """The message a view put in PermissionDenied, when it wrote one for people."""
    if exception is None:
        return ""
    message = str(exception)
    return message if message and message != "None" else ""


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A missing or stale CSRF token: explain it in words, not in jargon."""
    return render(request, "403_csrf.html", status=403)

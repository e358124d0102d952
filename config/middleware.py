"""Site-wide middleware of our own."""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import empty
from django.utils.translation import gettext as _

from config.logs import current_request_id
from config.views import healthz

NUL = "\x00"
# An X-Request-ID from the proxy (nginx's $request_id is 32 hex digits) is kept when it
# looks like an id; anything else is replaced, so a log line cannot be forged through it.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
request_logger = logging.getLogger("tribune.requests")


def request_logged(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Give every request an id and log one line for it when it is answered.

    The id is the proxy's ``X-Request-ID`` when that is a sane one, a new one otherwise; it
    goes back in the response's ``X-Request-ID`` header, on the error pages "for support"
    (``request.request_id``) and on every log line written meanwhile (config.logs). The line
    holds the method, the path (never the query, which may hold a search or a token), the
    status, the time taken in milliseconds and the member's id or "anonymous".
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request.request_id)
        try:
            response = get_response(request)
            response["X-Request-ID"] = request.request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": _user_for_log(request),
                },
            )
            return response
        finally:
            current_request_id.reset(token)

    return middleware


def healthz_for_any_host(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Answer /healthz before the host name is checked: a load balancer probes each
    instance by its address, which is no name in ALLOWED_HOSTS, and must get the health
    check, not a 400. Nothing else is answered for an unknown host."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz" and request.method in {"GET", "HEAD"}:
            return healthz(request)
        return get_response(request)

    return middleware


def _user_for_log(request: HttpRequest) -> int | str:
    """The member's id, or "anonymous". A request that never looked at its user and has no
    session cookie is anonymous without asking the database."""
    user = getattr(request, "user", None)
    if user is None:
        return "anonymous"
    unread = getattr(user, "_wrapped", None) is empty
    if unread and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return "anonymous"
    return user.pk if user.is_authenticated else "anonymous"


def request_body_limited(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Answer 413 to a request that announces a body larger than ``REQUEST_MAX_BYTES`` (one
    upload and the form around it), before anything reads it. nginx refuses the same size
    (``client_max_body_size`` in deploy/nginx/tribune.conf); this holds without it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        length = request.META.get("CONTENT_LENGTH", "")
        if length.isascii() and length.isdigit() and int(length) > settings.REQUEST_MAX_BYTES:
            message = _(
                "A file sent here may be at most %(size)s MB. "
                "Please go back and choose a smaller one."
            ) % {"size": settings.UPLOAD_MAX_MB}
            return render(request, "413.html", {"message": message}, status=413)
        return get_response(request)

    return middleware


def null_bytes_refused(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Answer 400 to an address with a NUL byte in its path or query, and ignore a cookie
    that carries one.

    No address of ours has a NUL in it, and PostgreSQL refuses one anywhere in a query: let
    through, it reaches a query somewhere (an author's name, the admin's filters, Django's
    own session lookup) and becomes a 500. A bad cookie is dropped rather than refused, so a
    browser stuck with one gets a fresh session instead of an error on every page.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        request.COOKIES = {
            name: value
            for name, value in request.COOKIES.items()
            if NUL not in name and NUL not in value
        }
        if NUL in request.path_info or any(
            NUL in name or any(NUL in value for value in values)
            for name, values in request.GET.lists()
        ):
            reason = _(
                "This address contains a character no page of ours uses (a null byte). "
                "Please check the link."
            )
            return render(request, "400.html", {"reason": reason}, status=400)
        return get_response(request)

    return middleware

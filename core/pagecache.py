"""The shared full-page cache: whole pages for readers with nothing personal on them.

Most readers are anonymous, and a popular article is read thousands of times between two
comments. For them a page marked ``@shared_page`` is rendered once and kept, compressed,
in the shared cache (Redis in production, so every app instance shares it); the next
readers get it from ``page_cache``, a middleware placed before the session, so serving it
runs one query (the version below) and no view, template or session.

Who shares: a GET or HEAD with none of ``settings.PAGE_CACHE_PERSONAL_COOKIES`` (the
session, one-time messages, a guest's remembered name, ``PAGE_CACHE_FRESH_COOKIE``). A
member, a moderator, a guest with their own held comment: all have a session cookie and
get their own page, never stored. A page is stored only if rendering it set no cookie
(using the CSRF token sets one, so a page holding a token is never stored), did not ask
not to be cached, and varies on nothing but cookies and encodings.

Versions, not deletes: every key carries ``PageVersion.number``, read from the database
on each request, which every change that can show on a page moves in the same transaction
(``pages_changed``: a receiver of every save and delete in ``PAGE_CACHE_APPS``, and the
services that write with ``update()``). The key also carries the release (the cache's
``KEY_PREFIX``), the scheme, host, path and query (less the parameters that only feed
analytics, such as ``utm_source``, so a shared link's readers share the page), the
language and the time zone. What changes with time alone shows within
``PAGE_CACHE_SECONDS``, the most an entry is kept, or at the first request after it when
the view says when (``page_changes_at``: a post going live or reaching its unpublish time,
a discussion's mode changing on schedule, or closing after its days): the page is kept no
longer than that.

Someone who has just sent a form (a guest's comment, say) gets ``PAGE_CACHE_FRESH_COOKIE``
for a minute: our cache and their browser's (the pages ``Vary: Cookie``) then give them
fresh pages, so they see what they did at once.

The body is kept gzip- and brotli-compressed and served as the reader's browser accepts,
with a weak ``ETag`` (a 304 when it has not changed), ``Vary: Accept-Encoding, Cookie``
and a short ``Cache-Control`` with ``stale-while-revalidate``, so a CDN or nginx in front
may hold it for a few seconds too.
"""

import gzip
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import brotli
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags

from core.cache import cache_answers, cache_get, cache_set
from core.models import PageVersion

SAFE_METHODS = ("GET", "HEAD")
# Headers the stored page does not keep: worked out again for each answer, or personal.
UNKEPT_HEADERS = frozenset(
    {"cache-control", "content-encoding", "content-length", "etag", "set-cookie", "vary"}
)


# Query parameters that only tell analytics where a reader came from; a link shared with
# them shows the same page, so they are left out of its key.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid"})


def shared_page[V: Callable](view: V) -> V:
    """Mark a view whose page, for a reader with nothing personal, is the same for everyone
    asking for the same address."""
    view.shared_page = True
    return view


def pages_changed() -> None:
    """Move the version every shared page is kept under, in the caller's transaction."""
    if not PageVersion.objects.filter(pk=1).update(number=F("number") + 1):
        PageVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def page_changes_at(request: HttpRequest, moment: datetime | None) -> None:
    """Say that ``request``'s page changes by itself at ``moment``, with no write to move
    the version (a discussion's mode changing on schedule): the page is kept and sent as
    fresh no later than that. None says nothing; the earliest moment said wins."""
    earliest = getattr(request, "_page_changes_at", None)
    if moment is not None and (earliest is None or moment < earliest):
        request._page_changes_at = moment


@dataclass(frozen=True)
class StoredPage:
    """A page as the cache keeps it: its headers and its body, compressed both ways, and
    when it stops being true by itself (``page_changes_at``), if it does."""

    headers: tuple[tuple[str, str], ...]
    etag: str
    gzip_body: bytes
    brotli_body: bytes
    changes_at: datetime | None = None

    def seconds_left(self) -> float | None:
        """How long the page stays true (None: until a write moves the version)."""
        if self.changes_at is None:
            return None
        return (self.changes_at - timezone.now()).total_seconds()

    def is_true(self) -> bool:
        """Whether the page still shows what is true now."""
        left = self.seconds_left()
        return left is None or left > 0


def page_cache(get_response: Callable[[HttpRequest], HttpResponseBase]) -> Callable:
    """The middleware (see the module's docstring)."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        if request.method not in SAFE_METHODS:
            response = get_response(request)
            if response.status_code < 400:
                _mark_fresh(response)
            return response
        if not _is_shared_view(request):
            return get_response(request)
        if _is_personal(request):
            return _kept_private(get_response(request))
        try:
            version = request_page_version(request)
        except DatabaseError:
            # The view will meet the same database; its answer is the one to give.
            return get_response(request)
        key = _key(request, version)
        stored = cache_get(key)
        if isinstance(stored, StoredPage) and stored.is_true():
            return _answer(request, stored)
        request.page_shared = True
        response = get_response(request)
        if not cache_answers():
            # Nothing would be kept: spare the compressing (the cache has just failed).
            return response
        stored = _stored_from(response, getattr(request, "_page_changes_at", None))
        if stored is None:
            return _kept_private(response)
        seconds = settings.PAGE_CACHE_SECONDS
        if (left := stored.seconds_left()) is not None:
            seconds = min(seconds, math.ceil(left))
        if seconds > 0:
            cache_set(key, stored, seconds)
        return _answer(request, stored)

    return middleware


def _is_shared_view(request: HttpRequest) -> bool:
    """Whether the view asked for is marked ``@shared_page``."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(match.func, "shared_page", False) is True


def _is_personal(request: HttpRequest) -> bool:
    """Whether this reader gets a page of their own (see the module's docstring)."""
    return "Authorization" in request.headers or any(
        name in request.COOKIES for name in settings.PAGE_CACHE_PERSONAL_COOKIES
    )


def _kept_private(response: HttpResponseBase) -> HttpResponseBase:
    """A page drawn for one reader: no cache between them and us may keep it."""
    patch_cache_control(response, private=True, no_cache=True)
    return response


def page_version() -> int:
    """The number shared pages are kept under now (-1 before the first change); one query."""
    # Raw SQL: this query runs on every shared page served, and the ORM would double it.
    table = connection.ops.quote_name(PageVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = 1")  # noqa: S608 (no input)
        row = cursor.fetchone()
    return -1 if row is None else row[0]


def request_page_version(request: HttpRequest) -> int:
    """``page_version()`` for this request, read once however many parts of it ask."""
    version = getattr(request, "_page_version", None)
    if version is None:
        version = request._page_version = page_version()
    return version


def _key(request: HttpRequest, version: int) -> str:
    query = sorted(
        (name, values)
        for name, values in request.GET.lists()
        if name not in TRACKING_PARAMS and not name.startswith("utm_")
    )
    address = (
        request.scheme,
        request.get_host(),
        request.path,
        query,
        settings.LANGUAGE_CODE,
        settings.TIME_ZONE,
    )
    digest = hashlib.sha256(repr(address).encode()).hexdigest()[:32]
    return f"page:v{version}:{digest}"


def _stored_from(response: HttpResponseBase, changes_at: datetime | None) -> StoredPage | None:
    """What to keep of ``response``, or None when it must not be shared."""
    if (
        response.status_code != 200
        or not isinstance(response, HttpResponse)
        or response.cookies
        or response.has_header("Content-Encoding")
    ):
        return None
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return None
    varies = {name.strip().lower() for name in response.get("Vary", "").split(",")}
    if varies - {"", "cookie", "accept-encoding"}:
        return None
    body = response.content
    return StoredPage(
        headers=tuple((k, v) for k, v in response.items() if k.lower() not in UNKEPT_HEADERS),
        etag=f'W/"{hashlib.sha256(body).hexdigest()[:32]}"',
        gzip_body=gzip.compress(body, compresslevel=6, mtime=0),
        brotli_body=brotli.compress(body, quality=5),
        changes_at=changes_at,
    )


def _answer(request: HttpRequest, stored: StoredPage) -> HttpResponseBase:
    """``stored`` as this request asked for it: a 304, or the body in an encoding it takes."""
    if stored.etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        accepted = accepted_encodings(request.headers.get("Accept-Encoding", ""))
        if "br" in accepted:
            response, encoding = HttpResponse(stored.brotli_body), "br"
        elif "gzip" in accepted:
            response, encoding = HttpResponse(stored.gzip_body), "gzip"
        else:
            response, encoding = HttpResponse(gzip.decompress(stored.gzip_body)), ""
        for name, value in stored.headers:
            response[name] = value
        if encoding:
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(response.content))
    response["ETag"] = stored.etag
    max_age, stale = settings.PAGE_CACHE_MAX_AGE, settings.PAGE_CACHE_STALE_SECONDS
    if (left := stored.seconds_left()) is not None:
        # Nor may a cache in front keep it past the moment it changes.
        max_age, stale = min(max_age, max(0, int(left))), 0
    response["Cache-Control"] = f"public, max-age={max_age}, stale-while-revalidate={stale}"
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    return response


def accepted_encodings(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` header accepts (``q=0`` refuses one)."""
    accepted = set()
    for part in header.lower().split(","):
        coding, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            if coding and float(quality) > 0:
                accepted.add(coding.strip())
        except ValueError:
            continue
    return accepted


def _mark_fresh(response: HttpResponseBase) -> None:
    """Give someone who has just changed something fresh pages for a while (see above)."""
    response.set_cookie(
        settings.PAGE_CACHE_FRESH_COOKIE,
        "1",
        max_age=settings.PAGE_CACHE_MAX_AGE + settings.PAGE_CACHE_STALE_SECONDS + 30,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )

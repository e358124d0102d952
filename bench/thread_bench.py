"""How fast a post page with a large threaded discussion is served.

    .venv/bin/python bench/thread_bench.py [--sizes 100,1000,5000] [--runs 20]
        [--duration 10] [--clients 32] [--postgres [URL]] [--redis] [--profile] [--xtd]

For each size N it builds one published post with N threaded comments in a throwaway
database, then reports

1. in process (django.test.Client, DEBUG off): the median time to serve the post page
   (first comment page) rendered in full, from the full-page cache (anonymous) and to a
   signed-in member with the thread cache warm, and the queries each runs;
2. over HTTP (gunicorn, 2 sync workers, DEBUG off, 32 connections each sending a
   browser's Accept-Encoding), one table: requests per second, p50/p99 latency and page
   bytes for a bare Django view sending the same raw bytes, one sending the same
   compressed bytes, the full-page cached page, the member's page, the page uncached
   (a server with no cache at all), and with ``--xtd`` django-comments-xtd 2.10 serving
   the same discussions, built in a throwaway virtualenv of its own (bench/xtd_peer.py)
   and loaded in the same rounds; ratios to xtd and to the bare view of the same bytes,
   and issue 12's targets at N=500, met or not.

It never touches the project's database, media or staticfiles, and it stops every process
it starts. See bench/README.md for what the numbers mean.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gzip
import io
import math
import os
import pstats
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from bench import xtd_peer  # noqa: E402
from bench.common import ROOT, BenchError, note, say  # noqa: E402
from bench.discussion_data import Discussion, build_discussion, build_people  # noqa: E402
from bench.http_load import LoadResult, combine, load  # noqa: E402
from bench.servers import Answer, gunicorn, http_get, postgres_create, redis_start  # noqa: E402

# Issue 12's targets, judged at N=500 with 32 connections: Tribune uncached at 20 times
# django-comments-xtd's requests per second (measured by --xtd in the same run), the
# full-page cached page at 0.8 times a bare view sending the same (compressed) bytes, a
# signed-in member's page at 0.25 times a bare view of the raw page, and the cached page's
# 99th percentile under 100 ms.
TARGET_FACTOR = 20
TARGET_PAGE_TO_BARE = 0.8
TARGET_MEMBER_TO_BARE = 0.25
TARGET_P99_MS = 100
TARGET_N = 500
TARGET_CLIENTS = 32
# What a browser sends; every case is asked with it, xtd included.
ACCEPT_ENCODING = "gzip, deflate, br"

# --- Arguments ------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        help="comment counts, comma-separated (default 100,1000,5000; with --xtd 100,500,2000)",
    )
    parser.add_argument("--runs", type=int, default=20, help="renders timed per case")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per case")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load not counted")
    parser.add_argument(
        "--rounds", type=int, default=2, help="turns the cases take within --duration"
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=TARGET_CLIENTS,
        help=f"concurrent HTTP connections per case (default {TARGET_CLIENTS}, what the "
        "targets are judged at)",
    )
    parser.add_argument(
        "--xtd-clients",
        type=int,
        default=2,
        help="connections for django-comments-xtd (default 2: its pages take seconds, so at "
        "32 an answer would take minutes; 2 sync workers serve as many per second either way)",
    )
    parser.add_argument(
        "--xtd-duration",
        type=float,
        help="seconds of load for django-comments-xtd (default 60, or --duration if longer); "
        "keep each of its turns well above its latency at the largest N",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="DJANGO_CONN_MAX_AGE (default 60, as production's deploy/tribune.env.example "
        "sets; 0, the settings' default, opens a database connection per request)",
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
        help="create the throwaway database on this PostgreSQL server instead of SQLite "
        "(default: $DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument(
        "--redis",
        action="store_true",
        help="use Redis as the cache: $REDIS_URL if set, else a throwaway redis-server",
    )
    parser.add_argument(
        "--no-throughput", action="store_true", help="skip the gunicorn measurements"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile one uncached request of the largest N and one warm member request "
        "(N=500 if measured, else the largest N)",
    )
    parser.add_argument("--seed", type=int, default=2024, help="random seed for the data")
    parser.add_argument(
        "--xtd",
        action="store_true",
        help="also build django-comments-xtd 2.10 in a throwaway virtualenv with the same "
        "discussions and measure it in the same rounds (needs the package index)",
    )
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = [100, 500, 2000] if args.xtd else [100, 1000, 5000]
    if args.xtd_duration is None:
        args.xtd_duration = max(args.duration, 60.0)
    if args.clients < 1 or args.xtd_clients < 1:
        parser.error("--clients and --xtd-clients need at least 1")
    if not args.postgres and (os.environ.get("DATABASE_URL") or "").startswith("postgres"):
        args.postgres = os.environ["DATABASE_URL"]
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs positive numbers")
    if args.xtd and args.no_throughput:
        parser.error("--xtd is measured over HTTP: it cannot go with --no-throughput")
    if args.xtd and args.postgres:
        parser.error("--xtd runs on SQLite only: leave out --postgres")
    return args


# --- Django ------------------------------------------------------------------------------


def django_environment(
    *, database_url: str, redis_url: str, tmp: Path, conn_max_age: int = 60
) -> dict[str, str]:
    """Production-like settings (DEBUG off) for this process and for gunicorn."""
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # Plain HTTP on the loopback: no redirect to https.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "DJANGO_CACHE_PREFIX": f"tribune-bench-{secrets.token_hex(4)}",
        "DATABASE_URL": database_url,
        "DJANGO_CONN_MAX_AGE": str(conn_max_age),
        "BENCH_STATIC_ROOT": str(tmp / "static"),
        "BENCH_BARE_DIR": str(tmp / "bare"),
        "PYTHONPATH": str(ROOT),
    }
    os.environ.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    os.environ.update(env)
    return {**os.environ}


def django_start() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def cache_clear(*, owns_cache: bool) -> None:
    """Forget every cached thread. On a Redis server the bench did not start, only the
    bench's own keys (its unique prefix) are removed."""
    from django.conf import settings
    from django.core.cache import cache, caches

    if owns_cache or not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        cache.clear()
        return
    client = caches["default"]._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


def forget_bench_keys() -> None:
    """Remove the bench's keys from a Redis server it did not start."""
    from redis.exceptions import RedisError

    try:
        cache_clear(owns_cache=False)
    except RedisError as error:
        sys.stderr.write(f"could not remove the bench's cache keys: {error}\n")


def machine_load() -> str:
    """The 1-minute load average against the CPU count: other work on the machine skews
    every figure, the ratios least."""
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    busy = " — the machine is busy, figures are unreliable" if load > cpus * 0.75 else ""
    return f"load average {load:.2f} on {cpus} CPUs{busy}"


# --- The signed-in member ------------------------------------------------------------------


@dataclass
class Member:
    """A member with a confirmed e-mail address and no comment of their own, signed in."""

    name: str
    cookies: dict[str, str]  # what their browser sends: the session, then the CSRF cookie


def member_signed_in() -> Member:
    """Make the member and a session for them, stored as signing in stores it (the
    database), so the gunicorns, which share the database and the secret key, take it."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User

    user = User.objects.create(
        username="member",
        email="member@example.com",
        display_name="Bench Member",
        email_verified_at=timezone.now(),
        password=make_password(None),
    )
    client = Client()
    client.force_login(user)
    return Member(
        name=user.display_name,
        cookies={settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value},
    )


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# --- In-process render times -------------------------------------------------------------


@dataclass
class RenderResult:
    n: int
    threads_shown: int
    comments_shown: int
    page_bytes: int
    uncached_ms: float
    page_ms: float
    member_ms: float
    uncached_queries: int
    page_queries: int
    member_queries: int
    html: bytes  # the shared page, decompressed


def measure_render(
    discussion: Discussion, member: Member, *, runs: int, owns_cache: bool
) -> RenderResult:
    """Median time to serve the post page through the full middleware stack: rendered in
    full (the thread cache cleared before every request, the page cache bypassed as it is
    for someone who has just sent a form), from the full-page cache (anonymous), and to the
    signed-in member with the thread cache warm; queries for each."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_ENCODING=ACCEPT_ENCODING)

    def get(cookies: dict[str, str]):
        client.cookies.clear()  # a new reader, or the member's browser
        for name, value in cookies.items():
            client.cookies[name] = value
        start = time.perf_counter()
        response = client.get(discussion.url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise BenchError(f"{discussion.url} answered {response.status_code}")
        return elapsed, response

    fresh = {settings.PAGE_CACHE_FRESH_COOKIE: "1"}

    def uncached():
        cache_clear(owns_cache=owns_cache)
        return get(fresh)

    for _ in range(3):  # templates compiled, code paths warm
        uncached()
    uncached_times = [uncached()[0] for _ in range(runs)]

    # The member's browser keeps the CSRF cookie the first page gives it.
    _, first = get(member.cookies)
    if member.name.encode() not in first.content:
        raise BenchError("The member's page does not show them signed in.")
    member.cookies.update(
        {name: morsel.value for name, morsel in first.cookies.items() if morsel.value}
    )
    get({})
    page_times = [get({})[0] for _ in range(runs)]
    member_times = [get(member.cookies)[0] for _ in range(runs)]

    # Each count is taken at once: the next request empties the connection's query log
    # (Django's request_started), and a capture's list is read from that log.
    cache_clear(owns_cache=owns_cache)
    with CaptureQueriesContext(connection) as cold:
        _, full = get(fresh)
    uncached_queries = len(cold.captured_queries)
    get({})
    with CaptureQueriesContext(connection) as shared:
        _, page = get({})
    page_queries = len(shared.captured_queries)
    get(member.cookies)  # the post's commenters cached, as for a member reading on
    with CaptureQueriesContext(connection) as personal:
        get(member.cookies)
    member_queries = len(personal.captured_queries)
    if page.get("Content-Encoding") != "br" or not page.get("ETag"):
        raise BenchError("The anonymous page did not come from the full-page cache.")
    html = Answer(200, page, page.content).decoded()
    if full.content.count(b'<li id="comment-') != html.count(b'<li id="comment-'):
        raise BenchError("The cached page shows different comments from the uncached one.")
    return RenderResult(
        n=discussion.n,
        threads_shown=html.count(b'class="thread"'),
        comments_shown=html.count(b'<li id="comment-'),
        page_bytes=len(html),
        uncached_ms=statistics.median(uncached_times),
        page_ms=statistics.median(page_times),
        member_ms=statistics.median(member_times),
        uncached_queries=uncached_queries,
        page_queries=page_queries,
        member_queries=member_queries,
        html=html,
    )


# A warm member request takes a few milliseconds: profile enough of them to rank the parts.
MEMBER_PROFILED = 200


def profile_request(
    url: str,
    *,
    cookies: dict[str, str],
    before: Callable[[], None] | None = None,
    top: int = 25,
    repeat: int = 1,
) -> str:
    """cProfile of ``repeat`` requests for ``url`` with ``cookies`` (each after ``before``):
    the functions with the most time of their own, then the heaviest by cumulative time."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_ENCODING=ACCEPT_ENCODING)
    for name, value in cookies.items():
        client.cookies[name] = value
    for _ in range(3):
        client.get(url)
    profiler = cProfile.Profile()
    for _ in range(repeat):
        if before is not None:
            before()
        profiler.enable()
        client.get(url)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


LABELS = {
    "bare_raw": "bare view, raw page bytes",
    "bare_wire": "bare view, compressed page bytes (br)",
    "page": "Tribune, full-page cached (anonymous)",
    "member": "Tribune, signed-in member, thread cache warm",
    "uncached": "Tribune, uncached",
    "xtd": "django-comments-xtd",
}
# The bare view each case's "× bare" divides by: the one sending the same bytes.
BARE_FOR = {"page": "bare_wire"}


@dataclass
class Case:
    port: int
    path: str
    headers: dict[str, str]
    clients: int
    duration: float


@dataclass
class Served:
    """One case of one N: its load, the page it serves (decompressed) and the bytes sent."""

    result: LoadResult
    page: bytes
    sent_bytes: int
    clients: int


def _comments_in(name: str, body: bytes) -> int:
    """Comments shown in a page: Tribune's ``<li id="comment-…``, xtd's ``<div id="c…``."""
    return body.count(b'<div id="c') if name == "xtd" else body.count(b'<li id="comment-')


def _check(name: str, answer: Answer, wire: Answer, member: Member) -> None:
    """That each case is what its label says: the page cache answers the anonymous page,
    and only it; the bare views send the bytes the page cache sends; the member is signed in."""
    coding, etag = answer.headers.get("Content-Encoding"), answer.headers.get("ETag")
    problem = ""
    if name == "page" and not (coding == "br" and etag):
        problem = "not served by the full-page cache"
    elif name == "bare_wire" and (coding != "br" or answer.body != wire.body):
        problem = "not the full-page cache's bytes"
    elif name == "bare_raw" and (coding or answer.body != wire.decoded()):
        problem = "not the full-page cache's page"
    elif name in ("member", "uncached") and (coding or etag):
        problem = f"answered from the full-page cache (Content-Encoding {coding}, ETag {etag})"
    elif name == "member" and member.name.encode() not in answer.body:
        problem = "the member is not signed in"
    elif name == "member" and set(answer.set_cookies()) - {"csrftoken"}:
        # Django sends the CSRF cookie again with every page that uses the token.
        problem = f"the member's page sets cookies: {sorted(answer.set_cookies())}"
    if problem:
        raise BenchError(f"{LABELS[name]}: {problem}")


def measure_throughput(
    env: dict[str, str],
    discussions: list[Discussion],
    member: Member,
    args: argparse.Namespace,
    log: Path,
    peer: xtd_peer.Peer | None = None,
) -> dict[int, dict[str, Served]]:
    """Two gunicorns side by side, one with the cache (the full-page cache, the member's
    thread cache and the bare views) and one without any cache or full-page cache
    (uncached), plus a third serving django-comments-xtd if ``peer`` is given. Only one case
    is loaded at a time, and the cases of each N take turns in rounds, so a change in the
    machine's other load hits them alike."""
    ready = "/robots.txt"
    bare_dir = Path(env["BENCH_BARE_DIR"])
    browser = {"Accept-Encoding": ACCEPT_ENCODING}
    results: dict[int, dict[str, Served]] = {}
    with contextlib.ExitStack() as stack:
        cached_port = stack.enter_context(
            gunicorn(
                {**env, "BENCH_THREAD_CACHE": "1"}, workers=args.workers, ready_path=ready, log=log
            )
        )
        uncached_port = stack.enter_context(
            gunicorn(
                {**env, "BENCH_THREAD_CACHE": "0"}, workers=args.workers, ready_path=ready, log=log
            )
        )
        xtd_port = 0
        if peer is not None:
            xtd_port = stack.enter_context(
                gunicorn(
                    peer.env,
                    workers=args.workers,
                    ready_path=peer.paths[discussions[0].n],
                    log=log,
                    app="wsgi",
                    cwd=peer.root,
                    binary=peer.gunicorn,
                )
            )
        for d in discussions:
            # The page as the full-page cache sends it (stored by the first request), kept
            # for the bare views before either is asked for it.
            http_get(cached_port, d.url, headers=browser)
            wire = http_get(cached_port, d.url, headers=browser)
            if wire.status != 200 or wire.headers.get("Content-Encoding") != "br":
                raise BenchError(f"{d.url} did not come compressed from the full-page cache")
            (bare_dir / f"n{d.n}.html").write_bytes(wire.decoded())
            (bare_dir / f"n{d.n}.br").write_bytes(wire.body)
            personal = {**browser, "Cookie": cookie_header(member.cookies)}
            tribune = {"clients": args.clients, "duration": args.duration}
            cases = {
                "bare_raw": Case(cached_port, f"/bench/bare/n{d.n}/", browser, **tribune),
                "bare_wire": Case(cached_port, f"/bench/bare/n{d.n}/br/", browser, **tribune),
                "page": Case(cached_port, d.url, browser, **tribune),
                "member": Case(cached_port, d.url, personal, **tribune),
                "uncached": Case(uncached_port, d.url, browser, **tribune),
            }
            if peer is not None:
                cases["xtd"] = Case(
                    xtd_port, peer.paths[d.n], browser, args.xtd_clients, args.xtd_duration
                )
            answers: dict[str, Answer] = {}
            for name, case in cases.items():
                answer = http_get(case.port, case.path, headers=case.headers, timeout=300)
                if answer.status != 200 or not _comments_in(name, answer.decoded()):
                    raise BenchError(
                        f"{name}: {case.path} answered {answer.status} without comments"
                    )
                _check(name, answer, wire, member)
                answers[name] = answer
                note(f"N={d.n} {name}: warming up for {args.warmup:g} s")
                load(
                    case.port,
                    case.path,
                    clients=case.clients,
                    duration=0,
                    warmup=args.warmup,
                    headers=case.headers,
                )
            slices: dict[str, list[LoadResult]] = {name: [] for name in cases}
            for round_ in range(1, args.rounds + 1):
                for name, case in cases.items():
                    seconds = case.duration / args.rounds
                    note(
                        f"N={d.n} {name}: round {round_}/{args.rounds}, {seconds:g} s, "
                        f"{case.clients} connections"
                    )
                    result = load(
                        case.port,
                        case.path,
                        clients=case.clients,
                        duration=seconds,
                        warmup=0,
                        headers=case.headers,
                    )
                    if result.errors:
                        raise BenchError(f"N={d.n} {name}: {result.errors} errors")
                    slices[name].append(result)
            for name, parts in slices.items():
                if sum(part.requests for part in parts):
                    continue
                if name != "xtd":
                    raise BenchError(f"N={d.n} {name}: no answer in time; raise --duration")
                # Its rate is then only known to be under one answer per --xtd-duration.
                note(f"N={d.n} xtd: no answer in {args.xtd_duration:g} s; raise --xtd-duration")
            # The uncached server, after the load, still answers without the page cache.
            after = http_get(uncached_port, d.url, headers=browser)
            _check("uncached", after, wire, member)
            results[d.n] = {
                name: Served(
                    result=combine(slices[name]),
                    page=answers[name].decoded(),
                    sent_bytes=len(answers[name].body),
                    clients=case.clients,
                )
                for name, case in cases.items()
            }
    return results


# --- Report ------------------------------------------------------------------------------


def package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def django_version() -> str:
    import django

    return django.get_version()


def report(
    renders: list[RenderResult],
    throughput: dict[int, dict[str, Served]],
    *,
    args: argparse.Namespace,
    database: str,
    cache_name: str,
    load_at_start: str,
    load_at_end: str,
    versions: str = "",
) -> None:
    say(f"## Post page with N threaded comments — {database}, cache: {cache_name}")
    say()
    say(
        f"Django {django_version()}, Python {sys.version.split()[0]}; at the start "
        f"{load_at_start}; at the end {load_at_end}."
    )
    say()
    say(
        f"In process (django.test.Client, DEBUG off, Accept-Encoding: {ACCEPT_ENCODING}), "
        f"median of {args.runs} requests for the first comment page: uncached = thread cache "
        "cleared before each request and the page cache bypassed; page cached = an anonymous "
        "reader served by the full-page cache; member = a signed-in member, thread cache warm."
    )
    say()
    say(
        "| N | threads on page | comments on page | page KB | uncached ms | page cached ms "
        "| member ms | queries uncached | queries page cached | queries member |"
    )
    say("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in renders:
        say(
            f"| {r.n:,} | {r.threads_shown} | {r.comments_shown} | {r.page_bytes / 1024:.0f} "
            f"| {r.uncached_ms:.1f} | {r.page_ms:.2f} | {r.member_ms:.1f} "
            f"| {r.uncached_queries} | {r.page_queries} | {r.member_queries} |"
        )
    if len({(r.uncached_queries, r.page_queries, r.member_queries) for r in renders}) > 1:
        say()
        say("**Warning: the query count depends on N.**")
    if throughput:
        report_throughput(throughput, args=args, versions=versions)


def gzipped(body: bytes) -> int:
    """Bytes of ``body`` gzipped at level 6 (Django's GZipMiddleware, nginx's usual)."""
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def _ratio(value: float) -> str:
    return f"{value:.{2 if value >= 0.01 else 4}f}×"


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0f}"


def _to_xtd(result: LoadResult, xtd: LoadResult) -> tuple[float, str]:
    """``result``'s req/s over xtd's, and how to print it; when xtd answered nothing in
    its time, its rate is under one per that time, so the ratio is a lower bound."""
    if xtd.requests:
        factor = result.rps / xtd.rps
        return factor, _ratio(factor)
    factor = result.rps * xtd.seconds
    return factor, f"> {_ratio(factor)}"


def report_throughput(
    throughput: dict[int, dict[str, Served]], *, args: argparse.Namespace, versions: str
) -> None:
    peer = versions or "django-comments-xtd (not measured: run with --xtd)"
    say()
    say(
        f"Over HTTP: gunicorn, {args.workers} sync workers per server, "
        f"DJANGO_CONN_MAX_AGE={args.conn_max_age}, {os.cpu_count()} CPUs "
        f"shared with the load client; {args.clients} connections per Tribune case "
        f"({args.xtd_clients} for xtd), each sending Accept-Encoding: {ACCEPT_ENCODING}; "
        f"{args.duration:g} s per case ({args.xtd_duration:g} s for xtd) in {args.rounds} "
        f"turns after {args.warmup:g} s of warm-up. Peer: {peer} (its own virtualenv, SQLite, "
        "the same discussions; it renders the whole thread on one page, Tribune its first page "
        "of threads). × xtd and × bare divide req/s; × bare divides by the bare view of the "
        "same bytes: the compressed one (br) for the full-page cached row, the raw one for the "
        "others. Page KB is the page decompressed, gzip KB that gzipped at level 6, sent KB "
        "the body as sent."
    )
    say()
    say(
        "| N | case | conns | req/s | p50 ms | p99 ms | comments shown | page KB | gzip KB "
        "| sent KB | × xtd | × bare | requests | client CPU |"
    )
    say("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, cases in throughput.items():
        xtd = cases.get("xtd")
        for name, served in cases.items():
            result = served.result
            bare = cases[BARE_FOR.get(name, "bare_raw")].result
            to_xtd = _to_xtd(result, xtd.result)[1] if xtd else "–"
            rate = f"{result.rps:,.{1 if result.rps >= 10 else 2}f}"
            if not result.requests:
                rate = f"< {1 / result.seconds:.3f}"
            say(
                f"| {n:,} | {LABELS[name]} | {served.clients} "
                f"| {rate} "
                f"| {_ms(result.p50_ms)} | {_ms(result.p99_ms)} "
                f"| {_comments_in(name, served.page)} | {len(served.page) / 1024:.0f} "
                f"| {gzipped(served.page) / 1024:.0f} | {served.sent_bytes / 1024:.0f} "
                f"| {to_xtd} | {_ratio(result.rps / bare.rps)} | {len(result.latencies_ms)} "
                f"| {result.client_cpu:.0%} |"
            )
    report_targets(throughput, args=args)


def report_targets(throughput: dict[int, dict[str, Served]], *, args: argparse.Namespace) -> None:
    say()
    if TARGET_N not in throughput:
        say(f"Issue 12's targets are judged at N={TARGET_N}, which this run did not measure.")
        return
    cases = throughput[TARGET_N]
    say(f"Issue 12's targets at N={TARGET_N:,}, {args.clients} connections:")
    say()

    def line(text: str, value: str, met: bool | None) -> None:
        verdict = {True: "**met**", False: "**not met**", None: "not judged"}[met]
        say(f"- {text}: {value}, {verdict}")

    page = cases["page"].result
    line(
        f"full-page cached ≥ {TARGET_PAGE_TO_BARE}× the bare view of the same compressed bytes",
        _ratio(page.rps / cases["bare_wire"].result.rps),
        page.rps / cases["bare_wire"].result.rps >= TARGET_PAGE_TO_BARE,
    )
    member = cases["member"].result
    line(
        f"signed-in member ≥ {TARGET_MEMBER_TO_BARE}× the bare view of the raw bytes",
        _ratio(member.rps / cases["bare_raw"].result.rps),
        member.rps / cases["bare_raw"].result.rps >= TARGET_MEMBER_TO_BARE,
    )
    if "xtd" in cases:
        factor, shown = _to_xtd(cases["uncached"].result, cases["xtd"].result)
        line(
            f"uncached ≥ {TARGET_FACTOR}× django-comments-xtd",
            shown,
            factor >= TARGET_FACTOR,
        )
    else:
        line(f"uncached ≥ {TARGET_FACTOR}× django-comments-xtd", "xtd not measured (--xtd)", None)
    judged = args.clients == TARGET_CLIENTS
    line(
        f"full-page cached p99 < {TARGET_P99_MS} ms at {TARGET_CLIENTS} connections",
        f"{page.p99_ms:.0f} ms" + ("" if judged else f" at {args.clients} connections"),
        page.p99_ms < TARGET_P99_MS if judged else None,
    )


# --- Main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="tribune-bench-"))
    cleanups: list[Callable[[], None]] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    load_at_start = machine_load()
    try:
        if args.postgres:
            database_url, drop = postgres_create(args.postgres)
            cleanups.append(drop)
            database = f"PostgreSQL ({urlsplit(args.postgres).hostname})"
        else:
            database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
            database = "SQLite (temporary file)"
        redis_url, owns_cache = "", True
        if args.redis:
            redis_url = os.environ.get("REDIS_URL", "")
            owns_cache = not redis_url
            if owns_cache:
                redis_url, stop = redis_start(tmp)
                cleanups.append(stop)
        cache_name = (
            ("Redis (throwaway server)" if owns_cache else "Redis ($REDIS_URL, own key prefix)")
            if redis_url
            else "local memory (one per process)"
        )
        (tmp / "bare").mkdir()
        env = django_environment(
            database_url=database_url,
            redis_url=redis_url,
            tmp=tmp,
            conn_max_age=args.conn_max_age,
        )
        note(f"database: {database}; cache: {cache_name}; temp dir {tmp}; {load_at_start}")
        django_start()
        if redis_url and not owns_cache:
            cleanups.append(forget_bench_keys)
        from django.db import connections

        cleanups.append(connections.close_all)

        rng = random.Random(args.seed)  # noqa: S311
        editor, members = build_people(rng)
        member = member_signed_in()
        discussions, renders = [], []
        for n in args.sizes:
            note(f"N={n}: building the discussion")
            discussion = build_discussion(n, rng=rng, editor=editor, members=members)
            note(f"N={n}: timing {args.runs} requests of each kind in process")
            render = measure_render(discussion, member, runs=args.runs, owns_cache=owns_cache)
            discussions.append(discussion)
            renders.append(render)
        profiles = []
        if args.profile:
            from django.conf import settings

            largest = discussions[-1]
            profiles.append(
                (
                    f"one uncached request (thread cache cleared, page cache bypassed), "
                    f"N={largest.n:,}",
                    profile_request(
                        largest.url,
                        cookies={settings.PAGE_CACHE_FRESH_COOKIE: "1"},
                        before=lambda: cache_clear(owns_cache=owns_cache),
                    ),
                )
            )
            chosen = next((d for d in discussions if d.n == TARGET_N), largest)
            profiles.append(
                (
                    f"{MEMBER_PROFILED} warm requests of the signed-in member, N={chosen.n:,}",
                    profile_request(chosen.url, cookies=member.cookies, repeat=MEMBER_PROFILED),
                )
            )
        connections.close_all()

        peer = None
        if args.xtd:
            exported = {d.n: xtd_peer.export_discussion(d.post_pk) for d in discussions}
            connections.close_all()
            note("django-comments-xtd: building its virtualenv and project, loading the data")
            try:
                peer = xtd_peer.build(
                    tmp / "xtd", exported, gunicorn_version=package_version("gunicorn")
                )
            except RuntimeError as error:
                raise BenchError(f"building django-comments-xtd: {error}") from error
            note(f"{peer.versions} ready")

        throughput = {}
        if not args.no_throughput:
            throughput = measure_throughput(
                env, discussions, member, args, tmp / "gunicorn.log", peer
            )
        report(
            renders,
            throughput,
            args=args,
            database=database,
            cache_name=cache_name,
            load_at_start=load_at_start,
            load_at_end=machine_load(),
            versions=peer.versions if peer else "",
        )
        for title, profile in profiles:
            say()
            say(f"### Profile of {title}")
            say()
            say("```")
            say(profile.strip())
            say("```")
        note(f"done in {time.monotonic() - began:.0f} s")
        return 0
    except BenchError as error:
        sys.stderr.write(f"bench failed: {error}\n")
        return 1
    finally:
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except (OSError, subprocess.SubprocessError) as error:
                sys.stderr.write(f"cleanup: {error}\n")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

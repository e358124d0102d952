"""Lighthouse scores of the site as it runs in production: ``make lighthouse``.

Starts the production stack (``deploy/production.py``: nginx before two gunicorns, DEBUG
off) with the demo content in a new PostgreSQL database, runs Lighthouse (npm
``lighthouse``, headless Debian Chromium, its default mobile settings) on the home page, the
post with the most comments and the sign-up page, writes the four category scores and each
page's failing audits to ``docs/lighthouse.md``, then stops the stack and drops the
database. Not part of ``make test``: it needs nginx, PostgreSQL, Node and Chromium, and
its figures are measurements to read, not pass/fail checks.
"""

import argparse
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from tools.chromium import lighthouse_chrome_flags

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FIND_PAGES = (
    "import json; from blog.models import Post; "
    "post = Post.objects.published().order_by('-comment_count', 'pk').first(); "
    "print(json.dumps({'post': post.get_absolute_url()}))"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", required=True, type=Path, help="the lighthouse command")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (a database of its own is created there and dropped)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "lighthouse.md")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextlib.contextmanager
def stack(tmp: Path, postgres: str):
    """The production stack with the demo content; yields its address and environment."""
    database = f"tribune_lighthouse_{secrets.token_hex(4)}"
    port, web = free_port(), [free_port(), free_port()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env |= {
        "DATABASE_URL": f"{server_url(postgres)}/{database}",
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DEMO": "1",
    }
    run = [sys.executable, "deploy/production.py"]
    options = ["--run-dir", str(tmp / "run"), "--env-file", str(tmp / "env")]
    log = (tmp / "stack.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [*run, "start", *options, "--port", str(port), "--web-ports", f"{web[0]},{web[1]}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(address, process, tmp / "stack.log")
        yield address, env
    finally:
        subprocess.run([*run, "stop", *options], cwd=ROOT, env=env, check=False)  # noqa: S603
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        drop_database(postgres, database)


def drop_database(postgres: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server_url(postgres)}/postgres", autocommit=True) as connection:
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        connection.execute(statement.format(sql.Identifier(database)))


def wait_until_up(address: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The production stack did not start:\n{log.read_text()}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{address}/healthz", timeout=2) as answer,  # noqa: S310
        ):
            if answer.status == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"The production stack did not answer in time:\n{log.read_text()}")


def pages(env: dict[str, str]) -> dict[str, str]:
    found = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", FIND_PAGES],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "0", **read_env_file(env)},
        capture_output=True,
        text=True,
        check=True,
    )
    post = json.loads(found.stdout.strip().splitlines()[-1])["post"]
    return {"home": "/", "post with the most comments": post, "sign-up": "/accounts/signup/"}


def read_env_file(env: dict[str, str]) -> dict[str, str]:
    """The values deploy/production.py wrote to its env file (the secret key among them)."""
    path = Path(env.get("LIGHTHOUSE_ENV_FILE", ""))
    if not path.is_file():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs if not k.startswith("#")}


def lighthouse(command: Path, url: str, *, chromium: str, out: Path) -> dict:
    """Lighthouse's report on ``url``. A run that fails (Chromium not answering in time on a
    busy machine, now and then) is tried once more."""
    for attempt in (1, 2):
        run = subprocess.run(  # noqa: S603
            _lighthouse_command(command, url, chromium=chromium, out=out), check=False
        )
        if run.returncode == 0:
            return json.loads(out.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt} of 2).", file=sys.stderr)
    raise SystemExit(f"Lighthouse failed twice on {url}.")


def _lighthouse_command(command: Path, url: str, *, chromium: str, out: Path) -> list[str]:
    return [
        str(command),
        url,
        f"--chrome-path={chromium}",
        f"--chrome-flags={lighthouse_chrome_flags()}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]


def failing_audits(report: dict) -> list[str]:
    """Titles of the audits that count towards a category and did not pass."""
    counted = {ref["id"] for cat in report["categories"].values() for ref in cat["auditRefs"]}
    return sorted(
        audit["title"]
        for audit_id, audit in report["audits"].items()
        if audit_id in counted
        and audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )


def markdown(results: dict[str, dict], *, commit: str) -> str:
    when = datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC")
    lines = [
        "# Lighthouse scores",
        "",
        f"`make lighthouse` at {commit}, {when}: the production stack (nginx, gunicorn, DEBUG",
        "off) with the demo content, Lighthouse's default mobile settings, headless Chromium.",
        "The sign-up page is marked `noindex` on purpose (as sign-in is); Lighthouse's SEO",
        'score counts that against it ("Page is blocked from indexing").',
        "",
        "| page | " + " | ".join(CATEGORIES) + " |",
        "| --- |" + " ---: |" * len(CATEGORIES),
    ]
    for name, report in results.items():
        scores = [round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES]
        lines.append(f"| {name} | " + " | ".join(map(str, scores)) + " |")
    lines += ["", "## Audits that did not pass", ""]
    for name, report in results.items():
        failing = failing_audits(report)
        lines.append(f"- **{name}**: " + ("; ".join(failing) if failing else "none"))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="tribune-lighthouse-") as name:
        tmp = Path(name)
        with stack(tmp, args.postgres) as (address, env):
            env["LIGHTHOUSE_ENV_FILE"] = str(tmp / "env")
            results = {
                page: lighthouse(
                    args.lighthouse,
                    address + path,
                    chromium=args.chromium,
                    out=tmp / f"{index}.json",
                )
                for index, (page, path) in enumerate(pages(env).items())
            }
    args.out.write_text(markdown(results, commit=commit))
    print(args.out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the home page and the busiest post at 1280 and 390 px: ``make screenshots``.

The demo content is loaded into a throw-away SQLite database with the clock fixed at
``CLOCK`` (the demo's dates are relative to "now"), the site is served from this process
with DEBUG off (WhiteNoise serves the collected static files, as in production, and the
uploads), and Debian's Chromium, headless through Playwright, with its clock fixed too,
takes the pictures into ``docs/screenshots/`` (or ``--out``):

- ``home-<width>.png``: the whole home page;
- ``post-<width>.png``: the top of the busiest post (headline, picture, first paragraphs);
- ``thread-<width>.png``: the same page scrolled to its discussion.

The post shots are cut at a fixed height so each file stays small. Not part of
``make test``: the pictures are for people to look at (issue 15's before and after).
"""

import argparse
import contextlib
import io
import os
import secrets
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tools.chromium import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (1280, 390)
# The post shots' height at each width: the top of the article, or of the discussion.
CLIP_HEIGHT = {1280: 1400, 390: 1800}
# A Monday morning; the demo's posts are published in the days before it.
CLOCK = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Shot:
    """One picture: which page, how wide, and where on it."""

    name: str
    page: str
    width: int
    anchor: str | None = None
    full_page: bool = False

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.width}.png"


def shots(widths: tuple[int, ...] = WIDTHS) -> list[Shot]:
    """The pictures to take, in order."""
    found = []
    for width in widths:
        found += [
            Shot("home", "home", width, full_page=True),
            Shot("post", "post", width),
            Shot("thread", "post", width, anchor="#comments"),
        ]
    return found


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the browser to drive")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNGs"
    )
    parser.add_argument(
        "--width",
        type=int,
        action="append",
        choices=WIDTHS,
        help="only this viewport width (again for more); default: all",
    )
    args = parser.parse_args(argv)
    args.width = tuple(args.width or WIDTHS)
    return args


def django_start(tmp: Path) -> None:
    """Django with DEBUG off on a new database with the demo content, at ``CLOCK``."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on 127.0.0.1: no redirect to HTTPS, cookies without Secure.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": f"sqlite:///{tmp / 'shots.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_LOG_LEVEL": "ERROR",
            "DJANGO_REQUEST_LOG": "0",
        }
    )
    for name in ("REDIS_URL", "DJANGO_S3_BUCKET"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    # E-mail kept in memory: nothing leaves the machine.
    setup_test_environment()
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)
    # A throw-away database nobody else can reach: the demo passwords do no harm.
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


def addresses() -> dict[str, str]:
    """{page name: path} of the pages in ``shots``."""
    from blog.models import Post

    post = Post.objects.published().order_by("-comment_count", "pk").first()
    if post is None:
        raise SystemExit("The demo content has no published post.")
    return {"home": "/", "post": post.get_absolute_url()}


@contextlib.contextmanager
def serve() -> Iterator[str]:
    """The site (static files and uploads included) on a free port; yields its address."""
    from django.conf import settings
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from whitenoise import WhiteNoise

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args) -> None:
            pass

    # Production has nginx in front for /media/; here WhiteNoise looks the files up.
    app = WhiteNoise(get_wsgi_application(), autorefresh=True)
    app.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def take(base: str, paths: dict[str, str], todo: list[Shot], *, out: Path, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            for shot in todo:
                context = browser.new_context(
                    viewport={"width": shot.width, "height": 900},
                    device_scale_factor=1,
                    locale="en-GB",
                    timezone_id="Europe/London",
                    color_scheme="light",
                    reduced_motion="reduce",
                )
                page = context.new_page()
                page.clock.set_fixed_time(CLOCK)
                page.goto(base + paths[shot.page], wait_until="networkidle")
                page.evaluate("document.fonts.ready")
                path = out / shot.filename
                if shot.full_page:
                    page.screenshot(path=path, full_page=True, animations="disabled")
                else:
                    top = 0
                    if shot.anchor:
                        top = page.locator(shot.anchor).first.evaluate(
                            "el => el.getBoundingClientRect().top + window.scrollY"
                        )
                    height = page.evaluate("document.documentElement.scrollHeight")
                    clip_height = min(CLIP_HEIGHT[shot.width], height - top)
                    page.screenshot(
                        path=path,
                        full_page=True,
                        animations="disabled",
                        clip={"x": 0, "y": top, "width": shot.width, "height": clip_height},
                    )
                context.close()
                print(
                    f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                    f"{path.stat().st_size // 1024} KB"
                )
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(args.chromium).exists():
        raise SystemExit(f"{args.chromium} is missing: run `make browser`, which installs it.")
    import time_machine

    with (
        tempfile.TemporaryDirectory(prefix="tribune-shots-") as name,
        time_machine.travel(CLOCK, tick=True),
    ):
        tmp = Path(name)
        django_start(tmp)
        paths = addresses()
        with serve() as base:
            take(base, paths, shots(args.width), out=args.out, chromium=args.chromium)
    return 0


if __name__ == "__main__":
    sys.exit(main())

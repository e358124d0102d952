"""Check the site's main pages with the Nu Html Checker, the W3C's own validator.

``make html-check`` runs it: the demo content is loaded into a throw-away SQLite database,
the pages a reader, a member and a moderator see are fetched through Django's test client,
and ``vnu.jar`` (from the ``vnu-jar`` npm package, run with Java) checks them all at once.
Any error is printed with the page it is on, and the exit status is 1; warnings are left
out (the checker's own advice, not invalid HTML). Not part of ``make test``: it needs Java
and npm, which a machine with only Python and make does not have.
"""

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GNU_LINE = re.compile(r'^"file:(?P<path>[^"]+)":(?P<rest>.*)$')


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vnu", required=True, type=Path, help="path to vnu.jar")
    parser.add_argument("--java", default="java", help="the java command")
    return parser.parse_args(argv)


def django_start(tmp: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp / 'check.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    # The test client's host, and e-mail kept in memory.
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=io.StringIO())


def pages() -> dict[str, tuple[str, str | None]]:
    """{name: (address, who is signed in)} of the pages to check."""
    from django.urls import reverse

    from blog.models import Category, Page, Post, Tag

    post = Post.objects.published().order_by("-comment_count", "pk").first()
    found = {
        "home": ("/", None),
        "post": (post.get_absolute_url(), None),
        "post-as-member": (post.get_absolute_url(), "reader"),
        "post-as-moderator": (post.get_absolute_url(), "moderator"),
        "guidelines": (reverse("guidelines"), None),
        "corrections": (reverse("blog:corrections"), None),
        "search": ("/search/?q=bus", None),
        "sign-in": (reverse("accounts:login"), None),
        "sign-up": (reverse("accounts:signup"), None),
        "profile": (reverse("accounts:profile"), "reader"),
        "author": (reverse("blog:author", kwargs={"username": post.author.username}), None),
        "not-found": ("/no-such-page/", None),
    }
    category = Category.objects.filter(posts__in=Post.objects.published()).first()
    if category is not None:
        found["category"] = (category.get_absolute_url(), None)
    tag = Tag.objects.filter(posts__in=Post.objects.published()).first()
    if tag is not None:
        found["tag"] = (tag.get_absolute_url(), None)
    page = Page.objects.published().first()
    if page is not None:
        found["page"] = (page.get_absolute_url(), None)
    # The demo's corrected article: its box of notes ("Updated" shows on home and search).
    noted = Post.objects.published().filter(notes__isnull=False).order_by("pk").first()
    if noted is not None:
        found["post-with-notes"] = (noted.get_absolute_url(), None)
    found.update(_follow_pages())
    return found


def _follow_pages() -> dict[str, tuple[str, str | None]]:
    """A member's list of followed discussions, and the pages a guest's confirmation link
    and a digest's stop link open, for a post whose discussion can be followed."""
    from django.conf import settings
    from django.urls import reverse

    from accounts.models import User
    from blog.models import Post
    from comments.follows.mail import confirm_url, stop_url
    from comments.follows.models import DiscussionFollow
    from comments.services.follows import follow_member, follow_refusal

    post = next(p for p in Post.objects.published() if follow_refusal(post=p) is None)
    follow_member(post=post, user=User.objects.get(username="reader"))
    guest, _created = DiscussionFollow.objects.get_or_create(post=post, email="gus@example.org")
    confirm = confirm_url(post_id=post.pk, email="new@example.org")
    return {
        "following": (reverse("comments:following"), "reader"),
        "follow-confirm": (confirm.removeprefix(settings.SITE_URL), None),
        "follow-stop": (stop_url(follow_id=guest.pk).removeprefix(settings.SITE_URL), None),
    }


def fetch(out: Path) -> dict[Path, str]:
    """Each page as an HTML file in ``out``: {file: address}."""
    from django.test import Client

    from accounts.models import User

    files = {}
    for name, (address, username) in pages().items():
        client = Client()
        if username is not None:
            client.force_login(User.objects.get(username=username))
        response = client.get(address)
        if response.status_code != (404 if name == "not-found" else 200):
            raise SystemExit(f"{address} answered {response.status_code}")
        path = out / f"{name}.html"
        path.write_bytes(response.content)
        files[path] = address
    return files


def check(files: dict[Path, str], *, vnu: Path, java: str) -> int:
    command = [java, "-jar", str(vnu), "--errors-only", "--format", "gnu", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    for line in errors:
        # '"file:/tmp/…/post.html":12.3-12.9: error: …', told by the page's address.
        found = GNU_LINE.match(line)
        if found is None:
            print(line)
        else:
            print(f"{files.get(Path(found['path']), found['path'])}:{found['rest']}")
    if result.returncode not in (0, 1) or (result.returncode and not errors):
        print(result.stdout + result.stderr)
        return 2
    print(f"{len(files)} pages checked, {len(errors)} errors.")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.vnu.is_file():
        raise SystemExit(f"{args.vnu} is missing: run `make html-check`, which installs it.")
    with tempfile.TemporaryDirectory(prefix="tribune-html-") as name:
        tmp = Path(name)
        django_start(tmp)
        out = tmp / "pages"
        out.mkdir()
        return check(fetch(out), vnu=args.vnu, java=args.java)


if __name__ == "__main__":
    sys.exit(main())

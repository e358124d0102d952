"""The site under gunicorn, as production runs it (debug off), for tests that take a part
away from under it: started in its own process on a free port, on a database the test
gives it, its tables made straight from the models."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parent.parent

# Made straight from the models, as pytest-django's --no-migrations does: a fifth of the
# time of running every migration. Then one member and one published post.
SECRET_KEY = "a-throw-away-key-for-one-test-run-0123456789-abcdefghijkl"
SETUP = """
import django
from django.conf import settings

class NoMigrations(dict):
    def __contains__(self, app):
        return True

    def __getitem__(self, app):
        return None

settings.MIGRATION_MODULES = NoMigrations()
django.setup()
from django.core.management import call_command
call_command("migrate", run_syncdb=True, verbosity=0)
from tests.factories import PostFactory, UserFactory
post = PostFactory(author=UserFactory(username="writer"), title="Bus lanes", slug="bus-lanes")
print(post.get_absolute_url(), post.pk)
"""


class AppServer:
    """gunicorn serving config.wsgi with one worker of four threads, keeping database
    connections open between requests (DJANGO_CONN_MAX_AGE) as a busy site does."""

    def __init__(self, directory: Path, database_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        clean.pop("REDIS_URL", None)
        self.env = clean | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_CONN_MAX_AGE": "60",
            "DJANGO_COMMENT_FORM_MIN_SECONDS": "0",
            "DJANGO_COMMENTS_PER_IP_PER_MINUTE": "0",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        made = subprocess.run(  # noqa: S603
            [sys.executable, "-c", SETUP], env=self.env, cwd=ROOT, capture_output=True, text=True
        )
        if made.returncode:
            raise RuntimeError(f"Setting up the database failed:\n{made.stderr}")
        self.secret_key = SECRET_KEY
        self.post_path, pk = made.stdout.strip().splitlines()[-1].split()
        self.comment_path = f"/comments/post/{pk}/"
        self.log = (directory / "gunicorn.log").open("w")
        command = [sys.executable, "-m", "gunicorn", "tests.app_server_wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "4"]
        command += ["--graceful-timeout", "1"]
        self.process = subprocess.Popen(  # noqa: S603
            command, env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                urllib.request.urlopen(self.url + "/robots.txt", timeout=5)  # noqa: S310
                return
            except OSError:  # refused, or timed out while it starts
                time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not start on port {self.port}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()

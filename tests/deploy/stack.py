"""The production stack of `make production`, started by a test: deploy/production.py with
its own run folder, free ports, a PostgreSQL cluster and a Redis server of its own (the
cluster is made with initdb, so the test needs PostgreSQL's programs, not a running server)."""

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests
from psycopg import sql

from tests.postgres_cluster import PostgresCluster
from tests.redis_server import RedisServer, free_port

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ("nginx", "web-1", "web-2", "worker")

# Run in the stack's environment: what the tests need, printed as JSON.
SEED = """
import json
from django.core.files.uploadedfile import SimpleUploadedFile
from blog.services import image_create
from tests.factories import GuidelineFactory, PostFactory, UserFactory, make_picture_bytes
picture = SimpleUploadedFile("harbour.jpg", make_picture_bytes(), content_type="image/jpeg")
image = image_create(file=picture, alt_text="The harbour at dawn")
post = PostFactory(title="Harbour news", featured_image=image)
UserFactory(username="mod", moderator=True, password="a-moderator-password")
guideline = GuidelineFactory(number=1, title="Be civil")
print(json.dumps({"post": post.get_absolute_url(), "post_id": post.pk,
                  "guideline": guideline.pk, "image": image.file.url,
                  "rendition": image.rendition_urls("webp")[0][0]}))
"""


def _server_connection(server: str, dbname: str = "postgres") -> psycopg.Connection:
    parts = urlsplit(server)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=dbname,
        autocommit=True,
    )


class Stack:
    """nginx on ``url`` before gunicorns on ``instances[0]`` and ``instances[1]``."""

    def __init__(self, directory: Path, name: str) -> None:
        self.directory, self.run = directory, directory / "run"
        self.database = name
        self.postgres = PostgresCluster(database=None)
        self.server = self.postgres.server_url
        self.port, ports = free_port(), [free_port(), free_port()]
        self.url = f"http://127.0.0.1:{self.port}"
        self.instances = [f"http://127.0.0.1:{port}" for port in ports]
        self.redis = RedisServer(directory)
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env = {
            **clean,
            "DATABASE_URL": f"{self.server}/{name}",
            "REDIS_URL": self.redis.url,
            "DJANGO_MEDIA_ROOT": str(directory / "media"),
            "DJANGO_STATIC_ROOT": str(directory / "static"),
            "DJANGO_CACHE_PREFIX": name,
            # A test sends a comment as soon as it has the form.
            "DJANGO_COMMENT_FORM_MIN_SECONDS": "0",
            # A loaded CI machine may keep a gunicorn from reading Redis's answer within the
            # production half second; the outage timeouts have tests of their own.
            "DJANGO_CACHE_TIMEOUT_MS": "3000",
            "GUNICORN_WORKERS": "1",
        }
        self.log = (directory / "stack.log").open("w")
        command = [sys.executable, "deploy/production.py", "start", "--no-install"]
        command += ["--run-dir", str(self.run), "--env-file", str(directory / "env")]
        command += ["--port", str(self.port), "--web-ports", ",".join(map(str, ports))]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait_until_up()
        self.seeded = self.manage_json(SEED)

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the stack did not start:\n{self.output()}")
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the stack did not answer in time:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return (self.directory / "stack.log").read_text()

    def manage_json(self, code: str) -> dict:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env={**self.env, "DJANGO_DEBUG": "0", **self._env_file()},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def _env_file(self) -> dict[str, str]:
        """The secret key and the rest the supervisor wrote to its env file."""
        lines = (self.directory / "env").read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))

    @contextlib.contextmanager
    def database_refusing(self):
        """The stack's database refuses new connections (and drops the open ones) for the
        length of the block: the database down, as the app sees it."""
        name = sql.Identifier(self.database)
        with _server_connection(self.server) as connection:
            connection.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(name))
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [self.database],
            )
            try:
                yield
            finally:
                connection.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(name))

    def pids(self) -> dict[str, int]:
        """The processes the supervisor recorded, with their children (workers)."""
        found = {}
        for name in PROCESSES:
            path = self.run / f"{name}.pid"
            if path.exists():
                found[name] = int(path.read_text().split()[0])
        return found

    def stop(self) -> int:
        """SIGTERM, as make passes it on; the supervisor's exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=90)
        return self.process.returncode

    def close(self) -> None:
        self.stop()
        self.log.close()
        self.redis.stop()
        self.postgres.close()


def descendants(pid: int) -> set[int]:
    """``pid`` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, queue = set(), [pid]
    while queue:
        current = queue.pop()
        found.add(current)
        queue.extend(children.get(current, []))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"

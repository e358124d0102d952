"""The benchmarks' throwaway services (a PostgreSQL database, a redis-server, gunicorn)
and the plain HTTP client that checks what they answer. Each start returns a function
that stops what it started."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import ROOT, BenchError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_create(server_url: str) -> tuple[str, Callable[[], None]]:
    """A new empty database on the server of ``server_url``; its URL and how to drop it."""
    import psycopg

    name = f"tribune_bench_{secrets.token_hex(4)}"
    admin_url = urlsplit(server_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        try:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except psycopg.Error as error:
            sys.stderr.write(f"could not drop the bench database {name}: {error}\n")

    return urlsplit(server_url)._replace(path=f"/{name}").geturl(), drop


def redis_start(tmp: Path) -> tuple[str, Callable[[], None]]:
    """A private redis-server on a free port, saving nothing; its URL and how to stop it."""
    server = shutil.which("redis-server")
    if server is None:
        raise BenchError("--redis needs REDIS_URL or a redis-server on PATH.")
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return f"redis://127.0.0.1:{port}/0", lambda: stop_process(proc)
        time.sleep(0.05)
    stop_process(proc)
    raise BenchError("The throwaway redis-server did not start.")


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a process this script started, and its children (its own process group)."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes  # as sent: compressed if the answer says Content-Encoding

    def decoded(self) -> bytes:
        coding = self.headers.get("Content-Encoding", "")
        if coding == "br":
            import brotli

            return brotli.decompress(self.body)
        if coding == "gzip":
            return gzip.decompress(self.body)
        if coding:
            raise BenchError(f"unexpected Content-Encoding {coding!r}")
        return self.body

    def set_cookies(self) -> dict[str, str]:
        cookies = {}
        for line in self.headers.get_all("Set-Cookie") or ():
            name, _, rest = line.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return cookies


def http_get(
    port: int, path: str, timeout: float = 30, headers: dict[str, str] | None = None
) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str],
    *,
    workers: int,
    ready_path: str,
    log: Path,
    app: str = "config.wsgi",
    cwd: Path = ROOT,
    binary: Path | None = None,
) -> Iterator[int]:
    """Serve ``app`` (the project, unless told) with gunicorn on a free port until the
    block ends."""
    if binary is None:
        binary = Path(sys.executable).parent / "gunicorn"
        if not binary.exists():
            binary = Path(shutil.which("gunicorn") or "gunicorn")
    port = free_port()
    # A long worker timeout: xtd's biggest pages take longer than gunicorn's default 30 s
    # on a busy machine, and a worker killed mid-answer would count as an error.
    command = [str(binary), app, "-w", str(workers), "-b", f"127.0.0.1:{port}", "-t", "300"]
    with log.open("ab") as out:
        proc = subprocess.Popen(  # noqa: S603
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise BenchError(f"gunicorn exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status = http_get(port, ready_path, timeout=5).status
                if status == 200:
                    break
                raise BenchError(f"gunicorn answered {status} for {ready_path}")
            if time.monotonic() > deadline:
                raise BenchError(f"gunicorn did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield port
    finally:
        stop_process(proc)

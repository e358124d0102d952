"""A throw-away redis-server for tests that need the real cache to fail: started on a free
port of its own (never the shared one at 6379), stopped when the test says so."""

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """One redis-server, without persistence, in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        options = {"port": self.port, "bind": "127.0.0.1", "save": "", "appendonly": "no"}
        options |= {"daemonize": "yes", "dir": directory, "pidfile": directory / "redis.pid"}
        command = [shutil.which("redis-server") or "/usr/bin/redis-server"]
        for name, value in options.items():
            command += [f"--{name}", str(value)]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603
        self.client = redis.Redis.from_url(self.url)
        if not self._wait(up=True):
            raise RuntimeError(f"redis-server did not start on port {self.port}")

    def _wait(self, *, up: bool) -> bool:
        for _ in range(100):
            try:
                self.client.ping()
                if up:
                    return True
            except redis.exceptions.ConnectionError:
                if not up:
                    return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        """Shut the server down (safe to repeat) and wait until it refuses connections."""
        with contextlib.suppress(redis.exceptions.ConnectionError):  # already stopped
            self.client.shutdown(nosave=True)
        if not self._wait(up=False):
            raise RuntimeError(f"redis-server on port {self.port} did not stop")

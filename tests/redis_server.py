"""A throw-away redis-server for tests that need the real cache to fail: started on a free
port of its own (never the shared one at 6379), stopped, hung or restarted when the test
says so."""

import contextlib
import os
import shutil
import signal
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
    """One redis-server in ``directory``, with no snapshots of its own: ``stop(keep=True)``
    writes one, which the next ``start()`` loads, as a managed Redis keeps its data across
    a restart."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis.from_url(self.url)
        self._paused = False
        self.start()

    def start(self) -> None:
        options = {"port": self.port, "bind": "127.0.0.1", "save": "", "appendonly": "no"}
        options |= {"daemonize": "yes", "dir": self.directory}
        options |= {"pidfile": self.directory / "redis.pid"}
        command = [shutil.which("redis-server") or "/usr/bin/redis-server"]
        for name, value in options.items():
            command += [f"--{name}", str(value)]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603
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

    def stop(self, *, keep: bool = False) -> None:
        """Shut the server down (safe to repeat) and wait until it refuses connections;
        with ``keep``, its data is saved first for the next ``start()``."""
        self.resume()
        with contextlib.suppress(redis.exceptions.ConnectionError):  # already stopped
            self.client.shutdown(save=keep, nosave=not keep)
        if not self._wait(up=False):
            raise RuntimeError(f"redis-server on port {self.port} did not stop")

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): it still accepts connections, and answers nothing."""
        os.kill(self._pid(), signal.SIGSTOP)
        self._paused = True

    def resume(self) -> None:
        if self._paused:
            os.kill(self._pid(), signal.SIGCONT)
            self._paused = False

    def _pid(self) -> int:
        return int((self.directory / "redis.pid").read_text())

"""A throw-away PostgreSQL cluster for tests that need the database to go away: made with
initdb in a new temporary folder, on a free port (never the shared one at 5432), and
stopped and started when the test says so. As root, it runs as the ``postgres`` user, since
PostgreSQL refuses to run as root; its folder is then outside pytest's, which only root may
enter."""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.redis_server import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} was not found under /usr/lib/postgresql")
    return found[-1]


class PostgresCluster:
    """One cluster, trusting local connections, with one database; ``close()`` stops it
    and removes its folder."""

    def __init__(self, database: str | None = "tribune") -> None:
        """``database=None`` makes none: the caller creates its own (``server_url``)."""
        self.directory = Path(tempfile.mkdtemp(prefix="tribune-postgres-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.server_url = f"postgres://postgres@127.0.0.1:{self.port}"
        self.url = f"{self.server_url}/{database or 'postgres'}"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync")
        self.start()
        if database:
            self._run(
                _bin("createdb"), "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", database
            )

    def _run(self, *command) -> None:
        command = [str(part) for part in command]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.directory)  # noqa: S603

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        self._run(
            _bin("pg_ctl"),
            "-D",
            self.data,
            "-l",
            self.directory / "log",
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        """Stop at once, as a restart or a crash does: open sessions are cut off and their
        transactions rolled back."""
        self._run(_bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop")

    def close(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(_bin("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)

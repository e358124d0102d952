"""deploy/production.py's bookkeeping with real processes: it stops what its pid files
name, processes started below them included, and nothing that merely took over a pid."""

import importlib.util
import subprocess
import time
from pathlib import Path

import pytest

from tests.deploy.stack import alive, descendants

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def production():
    spec = importlib.util.spec_from_file_location("production", ROOT / "deploy/production.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _started(command: str) -> subprocess.Popen:
    # In a session of its own, as the supervisor starts each process.
    return subprocess.Popen(["sh", "-c", command], start_new_session=True)  # noqa: S603, S607


def test_what_a_killed_supervisor_left_is_stopped_from_its_pid_files(
    production, tmp_path, monkeypatch
):
    # A "gunicorn" with a worker below it, and a "worker" that ignores SIGTERM.
    web = _started("sleep 60 & wait")
    stubborn = _started("trap '' TERM; sleep 60 & wait")
    production.Recorded(tmp_path, "web-1").write(web.pid)
    production.Recorded(tmp_path, "worker").write(stubborn.pid)
    # Each shell forks its sleep when the machine gets round to it.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        started = descendants(web.pid) | descendants(stubborn.pid)
        if len(started) == 4:
            break
        time.sleep(0.05)
    assert len(started) == 4
    monkeypatch.setattr(production, "STOP_SECONDS", 2)

    stopped = production.stop_recorded(tmp_path)
    web.wait(timeout=5), stubborn.wait(timeout=5)

    assert sorted(stopped) == ["web-1", "worker"]
    # SIGKILL is sent at once but acted on when the kernel next runs the process: on a busy
    # machine that can be a moment after stop_recorded returns.
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in started if alive(pid)] == []
    assert list(tmp_path.glob("*.pid")) == []


def test_a_pid_taken_over_by_another_process_is_left_alone(production, tmp_path):
    bystander = _started("sleep 60")
    try:
        # A pid file from an earlier boot of that pid: same number, another start time.
        (tmp_path / "nginx.pid").write_text(f"{bystander.pid} 1\n")

        assert production.stop_recorded(tmp_path) == []
        assert alive(bystander.pid)
        assert not (tmp_path / "nginx.pid").exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_stop_with_nothing_running_tidies_up(production, tmp_path, capsys):
    dead = _started("true")
    dead.wait()
    (tmp_path / "production.pid").write_text(f"{dead.pid} 1\n")

    assert production.main(["stop", "--run-dir", str(tmp_path)]) == 0

    assert "nothing was running" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []

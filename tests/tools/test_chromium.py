"""tools/chromium.py: the one list of Chromium's flags, and the tools that use it started
as the Makefile starts them."""

import subprocess
import sys
from pathlib import Path

import pytest

from tools.chromium import CHROMIUM_ARGS, lighthouse_chrome_flags

ROOT = Path(__file__).resolve().parents[2]


def test_lighthouse_gets_the_same_flags_in_the_new_headless_mode():
    flags = lighthouse_chrome_flags().split()
    assert flags[0] == "--headless=new"
    assert tuple(flags[1:]) == CHROMIUM_ARGS
    assert "--no-sandbox" in CHROMIUM_ARGS


@pytest.mark.parametrize("tool", ["screenshots", "lighthouse"])
def test_the_tools_start_as_the_makefile_runs_them(tool):
    # ``python -m tools.<name>`` from the project's folder, as make does.
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", f"tools.{tool}", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "--chromium" in done.stdout

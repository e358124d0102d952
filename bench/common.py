"""What every part of the benchmarks shares: where the project is, how they fail and how
they print (the report on stdout, progress notes on stderr)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class BenchError(Exception):
    """Something the bench needs did not work; the message says what."""


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def note(text: str) -> None:
    sys.stderr.write(f"· {text}\n")
    sys.stderr.flush()

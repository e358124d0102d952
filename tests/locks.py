"""Race tests: calls from several connections made to meet at one row's lock
(PostgreSQL only: SQLite locks the whole database and has no SELECT ... FOR UPDATE)."""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.db.models import Model


def waiting_for_a_lock() -> int:
    """How many other connections to this test database wait for a lock right now."""
    with connection.cursor() as cursor:
        # pg_stat_activity is read once per transaction unless told to look again.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def at_once(
    row: Model, calls: list[Callable[[], object]], refusal: type[Exception]
) -> list[object]:
    """Run ``calls`` at the same moment, each in its own thread and database connection, and
    return each one's outcome (its result, or the ``refusal`` it raised), in order.

    This test's connection holds ``row``'s lock while the calls start, so each runs until it
    must wait for that lock: code that locks the row waits at its first read, code that does
    not has read the row already and waits at its first write. Only once every call waits is
    the lock released, so they always meet at the row, and only the code's own lock can keep
    the second from acting on what it read before the first committed.
    """

    def in_thread(call: Callable[[], object]) -> object:
        try:
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool, transaction.atomic():
        type(row).objects.select_for_update().get(pk=row.pk)
        futures = [pool.submit(in_thread, call) for call in calls]
        deadline = time.monotonic() + 20
        while waiting_for_a_lock() < len(calls):
            if time.monotonic() > deadline or any(f.done() for f in futures):
                pytest.fail(f"the calls did not all wait for the {row._meta.verbose_name}'s row")
            time.sleep(0.01)
    outcomes = []
    for future in futures:
        error = future.exception()
        if error is not None and not isinstance(error, refusal):
            raise error
        outcomes.append(error or future.result())
    return outcomes

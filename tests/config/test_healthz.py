"""/healthz: what a load balancer or a monitor asks each instance, through HTTP."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db


def _task(*, waiting: timedelta, run_after=None) -> DBTaskResult:
    """A READY task in the database queue, enqueued ``waiting`` ago."""
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="accounts.tasks.send_verification_email",
        backend_name="default",
        run_after=run_after or get_date_max(),
        exception_class_path="",
        traceback="",
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waiting)
    return task


def test_healthz_reports_database_cache_and_tasks(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": True,
        "cache": True,
        "tasks": True,
        "task_backlog_seconds": 0,
        "down": [],
    }
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_answers_503_naming_the_cache_when_redis_is_down(client, redis_server):
    assert client.get("/healthz").status_code == 200  # the test's own Redis, up

    redis_server.stop()
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() | {"task_backlog_seconds": 0} == {
        "status": "unavailable",
        "database": True,
        "cache": False,
        "tasks": True,
        "task_backlog_seconds": 0,
        "down": ["cache"],
    }


def test_probes_during_a_cache_outage_log_it_once(client, redis_server, caplog):
    redis_server.stop()

    with caplog.at_level(logging.WARNING):
        statuses = [client.get("/healthz").status_code for _ in range(3)]

    assert statuses == [503, 503, 503]
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_healthz_answers_503_naming_the_database_when_it_does_not_answer(client):
    with mock.patch("config.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] is False
    # The task queue lives in the database: unknown, and counted as down with it.
    assert body["tasks"] is None
    assert body["task_backlog_seconds"] is None
    assert body["down"] == ["database", "tasks"]


def test_healthz_answers_503_when_a_due_task_waited_past_the_threshold(client, settings):
    settings.HEALTHZ_TASK_BACKLOG_SECONDS = 300
    _task(waiting=timedelta(seconds=100))
    assert client.get("/healthz").status_code == 200

    _task(waiting=timedelta(minutes=10))
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["tasks"]
    assert body["tasks"] is False
    assert 600 <= body["task_backlog_seconds"] < 700


def test_a_task_scheduled_for_later_is_not_a_backlog(client):
    # Enqueued an hour ago to run in an hour: not due, so nobody is late with it.
    _task(waiting=timedelta(hours=1), run_after=timezone.now() + timedelta(hours=1))
    # Due for ten seconds only, though enqueued an hour ago.
    _task(waiting=timedelta(hours=1), run_after=timezone.now() - timedelta(seconds=10))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert 10 <= response.json()["task_backlog_seconds"] < 60


def test_finished_tasks_are_not_a_backlog(client):
    task = _task(waiting=timedelta(hours=1))
    DBTaskResult.objects.filter(pk=task.pk).update(status="SUCCESSFUL")

    assert client.get("/healthz").json()["task_backlog_seconds"] == 0


def test_healthz_answers_a_probe_by_address_whatever_the_allowed_hosts(client, settings):
    settings.ALLOWED_HOSTS = ["tribune.example.org"]

    # A load balancer asks each instance at its own address.
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.head("/healthz", HTTP_HOST="10.0.3.7").status_code == 200
    # Nothing else is answered for a host that is not the site's.
    assert client.get("/", HTTP_HOST="10.0.3.7").status_code == 400
    assert client.post("/healthz", HTTP_HOST="10.0.3.7").status_code == 400


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    # A load balancer's plain-HTTP probe gets the answer; a reader gets sent to HTTPS.
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/").status_code != 200
    assert client.get("/").status_code == 301

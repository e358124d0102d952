"""E-mail in production's set-up: tasks queued in the database, run by ``db_worker``, sent
over SMTP to a local server the test runs (``tests/smtp_server.py``). A refused or
unreachable server is tried again after growing waits (``settings.EMAIL_RETRY_DELAYS``);
an e-mail that never goes through ends "Failed" in the admin, which superusers alone see."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.tasks.base import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tasks import send_prepared_email
from tests.factories import UserFactory
from tests.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = reverse("admin:django_tasks_database_dbtaskresult_changelist")


@pytest.fixture
def smtp(settings):
    """The site's mail goes over SMTP to this server (not yet started), its tasks to the
    database for the worker."""
    server = SMTPServer()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def results() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def _queue_email() -> None:
    send_prepared_email.enqueue(subject="Your reset link", body="Follow it.", to="r@example.org")


def test_an_email_the_server_refuses_is_sent_on_a_later_attempt(smtp, clock):
    smtp.start().refuse(2)
    _queue_email()

    run_worker()
    first, second = results()
    assert smtp.received == []
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert first.return_value.startswith("Not sent (attempt 1 of 6, SMTPDataError")
    assert second.status == TaskResultStatus.READY
    assert second.args_kwargs["kwargs"]["attempt"] == 2
    wait = second.run_after - first.finished_at
    assert timedelta(seconds=59) < wait <= timedelta(seconds=60)

    run_worker()  # not due yet: the worker leaves it alone
    assert results()[1].status == TaskResultStatus.READY

    clock.shift(timedelta(seconds=61))
    run_worker()
    third = results()[2]
    assert smtp.received == []
    assert (
        timedelta(seconds=299)
        < third.run_after - results()[1].finished_at
        <= timedelta(seconds=300)
    )

    clock.shift(timedelta(seconds=301))
    run_worker()
    assert [m["Subject"] for m in smtp.received] == ["Your reset link"]
    assert [m["To"] for m in smtp.received] == ["r@example.org"]
    assert [r.status for r in results()] == [TaskResultStatus.SUCCESSFUL] * 3


def test_a_server_that_is_down_is_tried_again_once_it_is_up(smtp, clock):
    _queue_email()

    run_worker()  # nothing listens: the connection is refused
    first, second = results()
    assert "ConnectionRefusedError" in first.return_value
    assert second.status == TaskResultStatus.READY

    smtp.start()
    clock.shift(timedelta(seconds=61))
    run_worker()
    assert [m["Subject"] for m in smtp.received] == ["Your reset link"]
    assert results()[-1].status == TaskResultStatus.SUCCESSFUL


@pytest.mark.task_failures_expected
def test_an_email_that_never_goes_through_fails_after_the_last_wait(smtp, clock):
    smtp.start().refuse(100)
    _queue_email()

    for wait in settings.EMAIL_RETRY_DELAYS:
        run_worker()
        assert results()[-1].status == TaskResultStatus.READY
        clock.shift(timedelta(seconds=wait + 1))
    run_worker()

    attempts = results()
    assert len(attempts) == len(settings.EMAIL_RETRY_DELAYS) + 1
    assert attempts[-1].status == TaskResultStatus.FAILED
    assert attempts[-1].exception_class_path == "smtplib.SMTPDataError"
    assert "451" in attempts[-1].traceback
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0
    assert smtp.received == []


@pytest.mark.task_failures_expected
def test_superusers_find_failed_emails_in_the_admin_and_nobody_else_does(client, smtp, clock):
    _queue_email()
    for wait in settings.EMAIL_RETRY_DELAYS:
        run_worker()
        clock.shift(timedelta(seconds=wait + 1))
    run_worker()
    failed = results()[-1]

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listed = client.get(CHANGELIST, {"status__exact": "FAILED"})
    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk]))
    index = client.get(reverse("admin:index"))

    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == [failed]
    assert "ConnectionRefusedError" in listed.content.decode()
    assert page.status_code == 200
    assert "ConnectionRefusedError" in page.content.decode()
    assert CHANGELIST in index.content.decode()
    assert index.context["failed_tasks"] == {"count": 1, "days": 7}
    assert f'href="{CHANGELIST}?status__exact=FAILED"' in index.content.decode()

    client.force_login(UserFactory(moderator=True))
    assert client.get(CHANGELIST).status_code == 403
    moderator_index = client.get(reverse("admin:index"))
    assert CHANGELIST not in moderator_index.content.decode()
    assert "failed_tasks" not in moderator_index.context

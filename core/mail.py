"""E-mail sent from background tasks survives a mail server that is down or refusing: the
task runs again later, with growing waits, instead of the message being lost."""

import functools
import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# What a mail server that is down, refusing or slow makes the SMTP backend raise: smtplib's
# own errors (a 4xx or 5xx answer, a dropped connection), and OSError for a refused
# connection, a timeout or a failed TLS handshake.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def retry_on_mail_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Make the task function ``function`` (put this under ``@task``) try again when sending
    fails with one of ``MAIL_ERRORS``.

    The failed run enqueues the same task with the same arguments and ``attempt`` one
    higher, to run after the next wait in ``settings.EMAIL_RETRY_DELAYS`` (seconds), logs a
    warning and returns a line saying when the next attempt is due (the task's result in
    the admin). The attempt after the last wait, or any attempt on a backend that cannot
    run a task later (the immediate one of development and the tests), raises the error
    instead: the worker records the task as failed, with its traceback, for superusers to
    see in the admin (Tasks, status "Failed").

    A retry sends the task's e-mails again: a server that refuses the connection, the usual
    failure, has taken none of them.
    """

    @functools.wraps(function)
    def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except MAIL_ERRORS as error:
            delays = settings.EMAIL_RETRY_DELAYS
            task = import_string(f"{function.__module__}.{function.__qualname__}")
            if attempt > len(delays) or not task.get_backend().supports_defer:
                raise
            run_after = timezone.now() + timedelta(seconds=delays[attempt - 1])
            task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
            attempts = len(delays) + 1
            logger.warning(
                "%s: e-mail not sent (attempt %d of %d, %s: %s); trying again at %s",
                task.name,
                attempt,
                attempts,
                type(error).__name__,
                error,
                run_after.isoformat(),
            )
            return (
                f"Not sent (attempt {attempt} of {attempts}, {type(error).__name__}: {error}); "
                f"trying again at {run_after.isoformat()}."
            )

    return run


def plain_message(template: str, context: dict, *, to: str) -> EmailMessage:
    """A plain-text e-mail to ``to`` from ``<template>_subject.txt`` and ``<template>.txt``,
    written in the site's language (tasks run outside any request), its subject on one
    line, marked as sent by a machine so that nobody's auto-reply answers it."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[to],
        headers={"Auto-Submitted": "auto-generated"},
    )

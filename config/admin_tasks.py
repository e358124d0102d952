"""The background tasks' results in the admin: django-tasks-db's page, for superusers only,
with each e-mail's attempt and outcome. ``config.apps.AdminConfig.ready()`` puts it in place
of django-tasks-db's own registration, once every admin module is loaded."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class TaskResultAdmin(DBTaskResultAdmin):
    """The background tasks (e-mails) the worker ran, is running or will run, for
    superusers only: their arguments hold e-mail addresses and password-reset links. An
    e-mail the mail server kept refusing ends "Failed", with its traceback
    (``core.mail.retry_on_mail_errors``); the attempts before it say when the next was due."""

    list_display = ("task_name", "status", "attempt", "enqueued_at", "finished_at", "outcome")
    list_filter = ("status", "queue_name")
    list_per_page = 50

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: DBTaskResult | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.display(description=_("attempt"))
    def attempt(self, result: DBTaskResult) -> int:
        return (result.args_kwargs.get("kwargs") or {}).get("attempt", 1)

    @admin.display(description=_("outcome"))
    def outcome(self, result: DBTaskResult) -> str:
        if result.exception_class_path:
            last_line = result.traceback.strip().splitlines()[-1:] or [""]
            return last_line[0][:200]
        return str(result.return_value if result.return_value is not None else "")[:200]


def register_task_results(site: admin.AdminSite) -> None:
    """Show the task results through ``TaskResultAdmin`` instead of django-tasks-db's own
    registration."""
    if site.is_registered(DBTaskResult):
        site.unregister(DBTaskResult)
    site.register(DBTaskResult, TaskResultAdmin)

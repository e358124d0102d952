"""The read-only tables on a comment's admin page: its reports and its moderation
history."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from comments.admin.display import event_author, status_change
from comments.models import ModerationEvent, Report


class ReadOnlyInline(admin.TabularInline):
    template = "admin/comments/comment/readonly_inline.html"
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ("created_at", "reporter_name", "guideline", "note", "resolution", "resolved")
    readonly_fields = fields
    verbose_name_plural = _("reports")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("reporter", "guideline", "resolved_by")

    @admin.display(description=_("reported by"))
    def reporter_name(self, report: Report) -> str:
        if report.reporter is not None:
            return report.reporter.public_name
        if report.reporter_key.startswith("guest:"):
            return str(_("A guest"))
        return str(_("Former member"))

    @admin.display(description=_("resolved"))
    def resolved(self, report: Report) -> str:
        if report.resolved_at is None:
            return "—"
        # No resolver left means their account has since been closed.
        who = report.resolved_by.public_name if report.resolved_by else _("Former member")
        return _("%(when)s by %(who)s") % {
            "when": date_format(localtime(report.resolved_at), "SHORT_DATETIME_FORMAT"),
            "who": who,
        }


class ModerationEventInline(ReadOnlyInline):
    model = ModerationEvent
    fields = ("created_at", "who", "action", "change", "guideline", "note")
    readonly_fields = fields
    verbose_name_plural = _("moderation history")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor", "guideline")

    @admin.display(description=_("by"))
    def who(self, event: ModerationEvent) -> str:
        return event_author(event)

    @admin.display(description=_("status"))
    def change(self, event: ModerationEvent) -> str:
        return status_change(event)

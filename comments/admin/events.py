"""The moderation log: every change of a comment's status, read-only for everyone."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from comments.admin.display import comment_admin_link, event_author, excerpt, status_change
from comments.models import ModerationEvent


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    """Append-only: the services write events; here they are only listed and read."""

    list_display = (
        "created_at",
        "comment_link",
        "who",
        "action",
        "change",
        "guideline",
        "note_excerpt",
    )
    list_display_links = ("created_at",)
    list_filter = (
        "action",
        "rule",
        ("actor", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    search_fields = ("comment__body",)
    list_select_related = ("comment", "actor", "guideline")
    show_full_result_count = False
    fields = (
        "created_at",
        "comment_link",
        "who",
        "action",
        "change",
        "guideline",
        "note",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        context = {"title": _("Moderation log"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("comment", "actor", "guideline")

    @admin.display(description=_("comment"))
    def comment_link(self, event: ModerationEvent) -> SafeString:
        return comment_admin_link(event.comment)

    @admin.display(description=_("by"), ordering="actor__username")
    def who(self, event: ModerationEvent) -> str:
        return event_author(event)

    @admin.display(description=_("status"))
    def change(self, event: ModerationEvent) -> str:
        return status_change(event)

    @admin.display(description=_("note"))
    def note_excerpt(self, event: ModerationEvent) -> str:
        # A rule's note says why it acted ("held: 0.94 — 'casino', 3 links").
        return excerpt(event.note, 100) if event.note else ""

"""The imported objects' map, read-only: only the importer writes it."""

from django.contrib import admin
from django.http import HttpRequest

from wordpress.models import ImportedObject


@admin.register(ImportedObject)
class ImportedObjectAdmin(admin.ModelAdmin):
    """Lists what each WordPress id became, for checking an import and its redirects."""

    list_display = ("kind", "wp_id", "object_id", "old_path", "imported_at")
    list_filter = ("kind",)
    search_fields = ("wp_id", "old_path")
    show_full_result_count = False
    fields = ("kind", "wp_id", "object_id", "old_path", "digest", "imported_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

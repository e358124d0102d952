"""The imported objects' map, read-only: only the importer writes it; and the superusers'
import from WordPress (upload, progress, summary) and export to WordPress."""

import tempfile

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from wordpress.export import export_wordpress
from wordpress.forms import WordPressExportForm
from wordpress.models import ImportedObject, WordPressImport
from wordpress.selectors import wordpress_export_filename


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


@admin.register(WordPressImport)
class WordPressImportAdmin(admin.ModelAdmin):
    """Superusers' "Import from WordPress" (upload, then a progress page that ends on the
    summary), the list of past imports, and "Export to WordPress". An import brings in
    staff accounts and everything published, so no other role may start one."""

    list_display = ("original_name", "is_dry_run", "status", "created_by", "created_at")
    list_display_links = None
    list_filter = ("status", "is_dry_run")
    list_select_related = ("created_by",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # through the upload page, which queues the import

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("export/", wrap(self.export_view), name="wordpress_export"),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The export page; sent with ``download``, the whole site as a WordPress export
        file to save, written to a temporary file first and sent from it in chunks."""
        _refuse_unless_superuser(request)
        form = WordPressExportForm(request.GET if "download" in request.GET else None)
        if form.is_valid():
            export = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
            try:
                export_wordpress(export, with_emails=form.cleaned_data["with_emails"])
            except BaseException:
                export.close()
                raise
            export.seek(0)
            return FileResponse(
                export,
                as_attachment=True,
                filename=wordpress_export_filename(),
                content_type="application/xml; charset=utf-8",
            )
        context = {**self._context(request, _("Export to WordPress")), "form": form}
        return TemplateResponse(request, "admin/wordpress/wordpressimport/export.html", context)

    def _context(self, request: HttpRequest, title: str) -> dict:
        request.current_app = self.admin_site.name
        return {**self.admin_site.each_context(request), "title": title, "opts": self.opts}


def _is_superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


def _refuse_unless_superuser(request: HttpRequest) -> None:
    if not _is_superuser(request):
        raise PermissionDenied

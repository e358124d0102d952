"""The imported objects' map, read-only: only the importer writes it; and the superusers'
import from WordPress (upload, progress, summary) and export to WordPress."""

import tempfile

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wordpress.export import export_wordpress
from wordpress.forms import WordPressExportForm, WordPressImportForm
from wordpress.models import ImportedObject, WordPressImport
from wordpress.selectors import (
    import_summary_table,
    wordpress_export_filename,
    wordpress_import_state,
)
from wordpress.services import wordpress_import_queue


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

    list_display = ("original_name", "is_dry_run", "status", "created_by", "created_at", "outcome")
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

    @admin.display(description=_("outcome"))
    def outcome(self, wordpress_import: WordPressImport) -> str:
        url = reverse("admin:wordpress_wordpressimport_progress", args=[wordpress_import.pk])
        return format_html('<a href="{}">{}</a>', url, _("Progress and summary"))

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="wordpress_wordpressimport_upload"),
            path(
                "<int:pk>/progress/",
                wrap(self.progress_view),
                name="wordpress_wordpressimport_progress",
            ),
            path(
                "<int:pk>/progress.json",
                wrap(self.progress_json_view),
                name="wordpress_wordpressimport_progress_json",
            ),
            path("export/", wrap(self.export_view), name="wordpress_export"),
            *super().get_urls(),
        ]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """The upload form; a valid export is kept and queued, then its progress shown."""
        _refuse_unless_superuser(request)
        posted = request.method == "POST"
        form = WordPressImportForm(request.POST, request.FILES) if posted else WordPressImportForm()
        if posted and form.is_valid():
            wordpress_import = wordpress_import_queue(
                export=form.cleaned_data["export"],
                uploads=form.cleaned_data["uploads"],
                is_dry_run=form.cleaned_data["is_dry_run"],
                user=request.user,
            )
            return redirect("admin:wordpress_wordpressimport_progress", wordpress_import.pk)
        context = {**self._context(request, _("Import from WordPress")), "form": form}
        return TemplateResponse(request, "admin/wordpress/wordpressimport/upload.html", context)

    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Where the import has got to, and its summary once finished; reloaded by hand
        without JavaScript, kept current in place by a script with it."""
        _refuse_unless_superuser(request)
        wordpress_import = get_object_or_404(WordPressImport, pk=pk)
        title = (
            _("Dry run of a WordPress import")
            if wordpress_import.is_dry_run
            else _("Import from WordPress")
        )
        context = {
            **self._context(request, title),
            "wordpress_import": wordpress_import,
            "state": wordpress_import_state(wordpress_import),
            "summary": import_summary_table(wordpress_import.summary),
        }
        return TemplateResponse(request, "admin/wordpress/wordpressimport/progress.html", context)

    def progress_json_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        """The progress page's state, for its script."""
        _refuse_unless_superuser(request)
        wordpress_import = get_object_or_404(WordPressImport, pk=pk)
        return JsonResponse(wordpress_import_state(wordpress_import).as_dict())

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

"""Pages (About, Contact) in the admin: the same editor as posts."""

from django.contrib import admin
from django.forms import ModelForm
from django.http import (
    Http404,
    HttpRequest,
)
from django.utils.translation import gettext_lazy as _

from blog.admin.rich_text import RichTextAdmin
from blog.forms import PageAdminForm
from blog.models import (
    Page,
)
from blog.selectors import page_get_for_preview
from blog.services import (
    page_save,
)


@admin.register(Page)
class PageAdmin(RichTextAdmin):
    """About, Contact and the like: the same editor as posts; only those who may publish
    pages change their status."""

    form = PageAdminForm
    preview_template = "blog/page_detail.html"
    list_display = ("title", "slug", "state", "updated_at")
    list_filter = ("status",)
    search_fields = ("title", "slug", "body")
    ordering = ("title", "pk")
    prepopulated_fields = {"slug": ("title",)}

    def get_fieldsets(self, request: HttpRequest, obj: Page | None = None) -> list:
        fieldsets = [
            (None, {"fields": ("title", "slug", "body")}),
            (_("Publishing"), {"fields": ("status", "published_at")}),
        ]
        if obj is not None:
            fieldsets.append(
                (_("Record"), {"fields": ("author", "created_at", "updated_at"),
                               "classes": ("collapse",)})
            )  # fmt: skip
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Page | None = None) -> list[str]:
        readonly = ["author", "created_at", "updated_at"]
        if not request.user.has_perm(f"{self.opts.app_label}.publish_page"):
            readonly += ["status", "published_at"]
        return readonly

    def save_model(self, request: HttpRequest, obj: Page, form: ModelForm, change: bool) -> None:
        if not change and obj.author_id is None:
            obj.author = request.user
        page_save(obj)

    def view_on_site(self, obj: Page) -> str | None:
        """The public address, offered only while readers can see the page."""
        return obj.get_absolute_url() if obj.is_published else None

    def preview_context(self, pk: int) -> dict:
        page = page_get_for_preview(pk=pk)
        if page is None:
            raise Http404(_("There is no page with this number."))
        return {"page": page}

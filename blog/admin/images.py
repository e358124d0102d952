"""The image library in the admin: uploads, alt text, captions and the smaller copies."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.forms import ModelForm
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from blog.forms import ImageUploadForm
from blog.models import (
    Image,
)
from blog.services import (
    image_create,
    image_update,
)
from core.storage import STORAGE_UNAVAILABLE

THUMBNAIL_WIDTH = 120
PREVIEW_WIDTH = 480


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ("thumbnail", "alt_text", "dimensions", "created_at")
    list_display_links = ("thumbnail", "alt_text")
    search_fields = ("alt_text", "caption", "credit")
    date_hierarchy = "created_at"

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        """The upload page; an upload the storage failed to keep (``image_create`` refuses
        it, nothing is left) is answered with the upload page again and why, not a 500."""
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as error:
            refusals = getattr(error, "error_dict", {}).get("file", [])
            if not any(refusal.code == STORAGE_UNAVAILABLE for refusal in refusals):
                raise
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(
        self, request: HttpRequest, obj: Image | None = None, change: bool = False, **kwargs
    ) -> type[ModelForm]:
        if obj is None:
            kwargs["form"] = ImageUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Image | None = None) -> list:
        if obj is None:
            return [(None, {"fields": ("file", "alt_text", "caption", "credit")})]
        return [
            (None, {"fields": ("preview", "file_url", "alt_text", "caption", "credit")}),
            (
                _("Picture"),
                {"fields": ("file", "dimensions", "rendition_urls", "uploader", "created_at")},
            ),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Image | None = None) -> tuple:
        if obj is None:
            return ()
        # The picture itself never changes: a new picture is a new upload.
        return ("preview", "file_url", "file", "dimensions", "rendition_urls", "uploader",
                "created_at")  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Image, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            image_update(
                image=obj, alt_text=data["alt_text"], caption=data["caption"], credit=data["credit"]
            )
            return
        stored = image_create(
            file=data["file"],
            alt_text=data["alt_text"],
            caption=data["caption"],
            credit=data["credit"],
            uploaded_by=request.user,
        )
        # The admin goes on with its own instance (log entry, redirect): make it the
        # stored row. Copying the values directly avoids re-reading the file.
        vars(obj).update(vars(stored))

    @admin.display(description=_("picture"))
    def thumbnail(self, image: Image) -> SafeString | str:
        return _rendition_img(image, THUMBNAIL_WIDTH)

    @admin.display(description=_("picture"))
    def preview(self, image: Image) -> SafeString | str:
        return _rendition_img(image, PREVIEW_WIDTH)

    @admin.display(description=_("size"))
    def dimensions(self, image: Image) -> str:
        return f"{image.width} × {image.height}"

    @admin.display(description=_("uploaded by"))
    def uploader(self, image: Image) -> str:
        return str(image.uploaded_by) if image.uploaded_by else self.get_empty_value_display()

    @admin.display(description=_("address to use in articles"))
    def file_url(self, image: Image) -> SafeString:
        return format_html('<a href="{0}">{0}</a>', image.file.url)

    @admin.display(description=_("smaller copies"))
    def rendition_urls(self, image: Image) -> SafeString | str:
        renditions = sorted(image.renditions, key=lambda r: (r["width"], r["format"]))
        if not renditions:
            return self.get_empty_value_display()
        items = format_html_join(
            "",
            '<li>{} × {} {}: <a href="{}">{}</a></li>',
            (
                (r["width"], r["height"], r["format"].upper(), url, url)
                for r in renditions
                for url in [default_storage.url(r["name"])]
            ),
        )
        return format_html("<ul>{}</ul>", items)


def _rendition_img(image: Image, width: int) -> SafeString | str:
    """An <img> of the smallest WebP rendition, at most ``width`` pixels wide."""
    webp = [r for r in image.renditions if r["format"] == "webp"]
    if not webp:
        return "—"
    smallest = min(webp, key=lambda r: r["width"])
    shown = min(width, smallest["width"])
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy">',
        default_storage.url(smallest["name"]),
        image.alt_text,
        shown,
        max(1, round(smallest["height"] * shown / smallest["width"])),
    )

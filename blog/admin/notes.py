"""Corrections and updates in the admin: every note of every post in one list, to search
and filter by kind and date, each linked to its post's admin page.

A note is added in its post's page (the inline of ``blog.admin.posts``), where the editor
sees the article it corrects. Here it may be read, edited or deleted; both go through
``blog.services.post_note_save`` and ``post_note_delete``, so its post is marked as changed
(``dateModified``, the feeds and the caches follow) as from the post's page.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from blog.forms import PostNoteForm
from blog.models import PostNote
from blog.services import post_note_delete, post_note_save

NOTE_LIST_TEXT_CHARS = 90


@admin.register(PostNote)
class PostNoteAdmin(admin.ModelAdmin):
    form = PostNoteForm
    list_display = ("created_at", "kind", "text_start", "post_link", "created_by")
    list_display_links = ("created_at",)
    list_filter = ("kind", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("post", "created_by")
    search_fields = ("text", "post__title")
    ordering = ("-created_at", "-pk")
    fields = ("post_link", "kind", "text", "created_at", "created_by")
    readonly_fields = ("post_link", "created_at", "created_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Added in the post's page, beside the article it corrects.
        return False

    def save_model(
        self, request: HttpRequest, obj: PostNote, form: ModelForm, change: bool
    ) -> None:
        post_note_save(note=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: PostNote) -> None:
        post_note_delete(note=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # One at a time through the service, so each post is marked as changed.
        for note in queryset.select_related("post"):
            post_note_delete(note=note)

    @admin.display(description=_("text"))
    def text_start(self, note: PostNote) -> str:
        return Truncator(note.text).chars(NOTE_LIST_TEXT_CHARS)

    @admin.display(description=_("post"), ordering="post__title")
    def post_link(self, note: PostNote) -> SafeString:
        url = reverse("admin:blog_post_change", args=[note.post_id])
        return format_html('<a href="{}">{}</a>', url, note.post.title)

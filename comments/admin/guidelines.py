"""The Community Guidelines in the admin."""

from django.contrib import admin

from comments.models import Guideline
from comments.services import guideline_save


@admin.register(Guideline)
class GuidelineAdmin(admin.ModelAdmin):
    """Numbered guidelines, edited by moderators. A guideline cited by a hidden comment,
    a report or a moderation event cannot be deleted (the database protects it)."""

    fields = ("number", "title", "text", "about_spam")
    list_display = ("number", "title", "about_spam")
    list_display_links = ("number", "title")
    ordering = ("number",)
    search_fields = ("title", "text")

    def save_model(self, request, obj, form, change) -> None:
        guideline_save(guideline=obj)

"""The discussion settings: one row, edited by moderators, applied at once."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comments.admin.display import spam_filter_state
from comments.models import DiscussionSettings
from comments.services import discussion_settings_save


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    """The one settings row: the list goes straight to it, and it cannot be added or deleted."""

    fieldsets = (
        (_("Who may comment"), {"fields": ("guests_allowed", "close_after_days")}),
        (
            _("Threads"),
            {"fields": ("max_depth", "comments_per_page", "max_length", "flood_interval")},
        ),
        (
            _("Moderation"),
            {"fields": ("moderation_mode", "hold_link_count", "hold_words", "block_words")},
        ),
        (
            _("Spam filter"),
            {
                "fields": (
                    "spam_filter_state",
                    "spam_filter_hold_score",
                    "spam_filter_spam_score",
                    "spam_filter_min_decisions",
                ),
                "description": _(
                    "The filter learns from your decisions: Spam, and Hide for a guideline "
                    "about spam, teach it spam; Approve, Restore and a week without reports "
                    "teach it what is fine. It scores each new comment from 0 to 1."
                ),
            },
        ),
        (
            _("Trusted commenters"),
            {"fields": ("trust_members", "trusted_after_comments", "trusted_clean_days")},
        ),
        (_("Reports"), {"fields": ("guests_may_report", "auto_hide_reports")}),
    )
    readonly_fields = ("spam_filter_state",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        return HttpResponseRedirect(reverse("admin:comments_discussionsettings_change", args=[1]))

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        # A data migration makes the row. Should it be missing all the same, the page shows
        # the defaults (as the site applies them) and the first save stores the row: a GET
        # never writes.
        stored = super().get_object(request, object_id, from_field)
        if stored is None and from_field is None and object_id == "1":
            return DiscussionSettings(pk=1)
        return stored

    @admin.display(description=_("learnt so far"))
    def spam_filter_state(self, settings: DiscussionSettings) -> str:
        return spam_filter_state(settings)

    def save_model(self, request, obj, form, change) -> None:
        discussion_settings_save(settings=obj)

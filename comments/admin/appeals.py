"""Appeals in the admin, for moderators: the queue (the oldest open appeal first), and each
appeal's page with the comment, the guideline it was hidden for, its moderation history and
the form to decide: restore it or uphold the removal, with a note for the author.

The decision goes through ``comments.services.appeals.appeal_decide``; who may decide is
``user_may_moderate``.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from comments.admin.display import comment_admin_link, event_author, excerpt, status_change
from comments.admin.moderators import ModeratorsOnly
from comments.forms import AppealDecisionForm
from comments.models import Appeal, ModerationEvent
from comments.services import user_may_moderate
from comments.services.appeals import AppealRefused, appeal_decide


def _when(moment) -> str:
    return date_format(localtime(moment), "SHORT_DATETIME_FORMAT")


DONE = {
    "restore": _("Comment restored. Its author is e-mailed the decision."),
    "uphold": _("Removal upheld. Its author is e-mailed the decision."),
}


@admin.register(Appeal)
class AppealAdmin(ModeratorsOnly, admin.ModelAdmin):
    list_display = ("created_at", "comment_excerpt", "author", "post", "guideline", "decision")
    list_display_links = ("created_at", "comment_excerpt")
    list_filter = ("decision", "created_at")
    list_select_related = ("comment__post", "comment__user", "comment__guideline")
    search_fields = ("text", "comment__body")
    ordering = ("created_at", "pk")
    show_full_result_count = False
    fields = (
        "comment_link",
        "author",
        "post",
        "comment_text",
        "guideline",
        "created_at",
        "text",
        "decision",
        "decided",
        "decision_note",
        "history",
    )
    readonly_fields = fields

    # Appeals come from the site; the page is read-only and the decision has its own form.

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:pk>/decide/", decide, name="comments_appeal_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        context = dict(extra_context or {})
        appeal = self.get_object(request, object_id)
        if appeal is not None and appeal.decision == Appeal.Decision.OPEN:
            context["decision_form"] = AppealDecisionForm()
        return super().change_view(request, object_id, form_url, context)

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """POST only: the decision form of an appeal's page. Its errors, and a refusal
        (decided meanwhile), come back to that page as messages; nothing is stored."""
        if not user_may_moderate(request.user):
            raise PermissionDenied
        appeal = get_object_or_404(Appeal.objects.select_related("comment"), pk=pk)
        back = reverse("admin:comments_appeal_change", args=[appeal.pk])
        if request.method != "POST":
            return HttpResponseRedirect(back)
        form = AppealDecisionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(back)
        decision = form.cleaned_data["decision"]
        try:
            appeal_decide(
                appeal=appeal,
                moderator=request.user,
                restore=decision == "restore",
                note=form.cleaned_data["note"],
            )
        except AppealRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return HttpResponseRedirect(back)
        self.message_user(request, DONE[decision], messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:comments_appeal_changelist") + "?decision__exact=open"
        )

    # Columns and fields

    @admin.display(description=_("comment"))
    def comment_excerpt(self, appeal: Appeal) -> str:
        return excerpt(appeal.comment.body)

    @admin.display(description=_("comment"))
    def comment_link(self, appeal: Appeal) -> SafeString:
        return comment_admin_link(appeal.comment)

    @admin.display(description=_("by"))
    def author(self, appeal: Appeal) -> str:
        comment = appeal.comment
        if comment.user_id is not None:
            return _("%(name)s (member %(username)s)") % {
                "name": comment.user.public_name,
                "username": comment.user.username,
            }
        return _("%(name)s (guest)") % {"name": comment.author_name}

    @admin.display(description=_("post"))
    def post(self, appeal: Appeal) -> SafeString:
        post = appeal.comment.post
        return format_html('<a href="{}">{}</a>', post.get_absolute_url(), post.title)

    @admin.display(description=_("text of the comment"))
    def comment_text(self, appeal: Appeal) -> SafeString:
        return linebreaksbr(appeal.comment.body, autoescape=True)

    @admin.display(description=_("hidden for breaking"))
    def guideline(self, appeal: Appeal) -> str:
        return str(appeal.comment.guideline or "—")

    @admin.display(description=_("decided"))
    def decided(self, appeal: Appeal) -> str:
        if appeal.decided_at is None:
            return "—"
        who = appeal.decided_by.public_name if appeal.decided_by else _("Former member")
        return _("%(when)s by %(who)s") % {"when": _when(appeal.decided_at), "who": who}

    @admin.display(description=_("moderation history"))
    def history(self, appeal: Appeal) -> SafeString:
        events = ModerationEvent.objects.filter(comment_id=appeal.comment_id).select_related(
            "actor", "guideline"
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    _when(event.created_at),
                    event_author(event),
                    event.action,
                    status_change(event),
                    event.guideline or "—",
                    event.note or "—",
                )
                for event in events.order_by("created_at", "pk")
            ),
        )
        labels = (_("when"), _("by"), _("action"), _("status"), _("guideline"), _("note"))
        head = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels))
        return format_html(
            '<table id="appeal-history"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
            head,
            rows,
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("comment__post", "comment__user", "comment__guideline", "decided_by")
        )

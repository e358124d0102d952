"""The moderation actions of the comment admin: hide, restore, approve, mark spam, dismiss
reports and (superusers only) purge.

Each runs from the comment list (on the selected comments) and from a comment's own page
(Django's change-form actions), through the same code. Every change goes through
``comments.services``, one comment at a time: a refusal is named and the others still go
through. Hide and purge first show a confirmation page, which posts back to the page it
came from with ``_confirm=yes``.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.admin.display import excerpt
from comments.admin.moderators import CHANGE_FORM_ACTION, CONFIRMED, EVERYWHERE, is_confirmed
from comments.admin.suspensions import suspend_authors
from comments.forms import HideForm
from comments.models import Comment
from comments.selectors.moderation import reports_most_cited_guideline
from comments.services import (
    ModerationRefused,
    comment_approve,
    comment_hide,
    comment_mark_spam,
    comment_purge,
    comment_restore,
    reports_dismiss,
)

# A confirmation page lists this many comments at most, then says how many more.
CONFIRMATION_LIST_MAX = 100


class ModerationActionsMixin:
    """The actions, for ``CommentAdmin``. Moderators and superusers hold
    ``comments.change_comment``; purging needs a superuser."""

    actions = (
        "hide_comments",
        "restore_comments",
        "approve_comments",
        "mark_spam",
        "dismiss_reports",
        "purge_comments",
        suspend_authors,
    )

    def has_purge_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.action(
        description=_("Hide…"),
        description_plural=_("Hide selected comments…"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def hide_comments(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        if is_confirmed(request):
            form = HideForm(request.POST)
        else:
            # Asked once for all the selected comments; the reports' choice comes first.
            form = HideForm(initial={"guideline": reports_most_cited_guideline(comments=queryset)})
        form.fields["guideline"].widget.attrs["autofocus"] = True
        if form.is_valid():
            guideline = form.cleaned_data["guideline"]
            note = form.cleaned_data["note"]
            self._apply(
                request,
                queryset,
                lambda comment: comment_hide(
                    comment=comment, moderator=request.user, guideline=guideline, note=note
                ),
                lambda n: ngettext("%(count)d comment hidden.", "%(count)d comments hidden.", n),
            )
            return None
        return self._confirmation_page(
            request,
            queryset,
            action="hide_comments",
            template="admin/comments/comment/hide_confirmation.html",
            title=_("Hide comments"),
            form=form,
        )

    @admin.action(
        description=_("Restore"),
        description_plural=_("Restore selected comments"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def restore_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(
            request,
            queryset,
            lambda comment: comment_restore(comment=comment, moderator=request.user),
            lambda n: ngettext("%(count)d comment restored.", "%(count)d comments restored.", n),
        )

    @admin.action(
        description=_("Approve"),
        description_plural=_("Approve selected held comments"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def approve_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(
            request,
            queryset,
            lambda comment: comment_approve(comment=comment, moderator=request.user),
            lambda n: ngettext("%(count)d comment approved.", "%(count)d comments approved.", n),
        )

    @admin.action(
        description=_("Mark as spam"),
        description_plural=_("Mark selected comments as spam"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def mark_spam(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(
            request,
            queryset,
            lambda comment: comment_mark_spam(comment=comment, moderator=request.user),
            lambda n: ngettext(
                "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", n
            ),
        )

    @admin.action(
        description=_("Dismiss reports"),
        description_plural=_("Dismiss the reports on selected comments"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def dismiss_reports(self, request: HttpRequest, queryset: QuerySet) -> None:
        dismissed = 0

        def dismiss(comment: Comment) -> None:
            nonlocal dismissed
            dismissed += reports_dismiss(comment=comment, moderator=request.user)

        comments = self._apply(request, queryset, dismiss, None)
        if comments:
            reports = ngettext("%(count)d report", "%(count)d reports", dismissed) % {
                "count": dismissed
            }
            message = ngettext(
                "%(reports)s dismissed on %(count)d comment.",
                "%(reports)s dismissed on %(count)d comments.",
                comments,
            ) % {"reports": reports, "count": comments}
            self.message_user(request, message, messages.SUCCESS)

    @admin.action(
        description=_("Purge…"),
        description_plural=_("Purge selected comments…"),
        permissions=["purge"],
        location=EVERYWHERE,
    )
    def purge_comments(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        if is_confirmed(request):
            self._apply(
                request,
                queryset,
                lambda comment: comment_purge(comment=comment, actor=request.user),
                lambda n: ngettext("%(count)d comment purged.", "%(count)d comments purged.", n),
            )
            return None
        return self._confirmation_page(
            request,
            queryset,
            action="purge_comments",
            template="admin/comments/comment/purge_confirmation.html",
            title=_("Purge comments"),
        )

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        act: Callable[[Comment], object],
        done_message: Callable[[int], str] | None,
    ) -> int:
        """Run ``act`` on each comment in turn; name each refusal; say how many went
        through. Returns that number."""
        done = 0
        for comment in queryset.select_related("user").order_by("pk"):
            try:
                act(comment)
            except ModerationRefused as refused:
                refusal = _("%(comment)s: %(reason)s") % {
                    "comment": comment,
                    "reason": refused.message,
                }
                self.message_user(request, refusal, messages.ERROR)
            else:
                done += 1
        if done and done_message is not None:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        return done

    def _confirmation_page(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        *,
        action: str,
        template: str,
        title: str,
        form: forms.Form | None = None,
    ) -> TemplateResponse:
        """The page that lists the selected comments and asks again before acting. Its form
        posts back to the page it came from, carrying the same action and selection."""
        on_change_form = CHANGE_FORM_ACTION in request.POST
        select_across = not on_change_form and request.POST.get("select_across") == "1"
        total = queryset.count()
        comments = list(
            queryset.select_related("user", "post").order_by("-created_at", "-pk")[
                :CONFIRMATION_LIST_MAX
            ]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "rows": [(comment, excerpt(comment.body)) for comment in comments],
            "more": total - len(comments),
            "total": total,
            "form": form,
            "action_name": action,
            "action_field": CHANGE_FORM_ACTION if on_change_form else "action",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": select_across,
            "confirm_field": CONFIRMED,
            "back_url": request.get_full_path(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)

"""Comments in the admin, for moderators: the list, the reports and held-comments queues,
the read-only comment page with its context, reports and history, and the overview.

Nothing here edits a comment: the page has no form fields and every change is a
moderation action (``comments.admin.actions``) that calls ``comments.services``.
"""

from enum import StrEnum

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from comments.admin.actions import ModerationActionsMixin
from comments.admin.chart import overview_chart
from comments.admin.columns import COLUMNS, LINK_COLUMNS, CommentColumnsMixin
from comments.admin.display import (
    assessments_summary,
    comment_admin_link,
    spam_filter_state,
    status_badge,
)
from comments.admin.inlines import ModerationEventInline, ReportInline
from comments.admin.keyboard import shortcuts_for
from comments.models import Comment, Report
from comments.selectors import discussion_settings_get
from comments.selectors.moderation import (
    busiest_posts,
    moderation_daily_overview,
    moderation_queue_counts,
    open_reports_of_outer_comment,
)

REPLIES_SHOWN = 50

# The buttons a comment's page offers for each status; the services still decide.
ACTIONS_BY_STATUS = {
    Comment.Status.PUBLISHED: ("hide_comments", "mark_spam"),
    Comment.Status.PENDING: ("approve_comments", "hide_comments", "mark_spam"),
    Comment.Status.HIDDEN: ("restore_comments", "mark_spam"),
    Comment.Status.SPAM: ("restore_comments",),
}
ALWAYS_OFFERED = ("purge_comments", "suspend_authors")


class Queue(StrEnum):
    """The comment list's two queues, each at its own address: ``<changelist>/<value>/``."""

    REPORTS = "reports"
    HELD = "held"


def _queue(request: HttpRequest) -> Queue | None:
    """Which queue the request is for, from the name of the URL it came through."""
    match = request.resolver_match
    name = match.url_name if match else ""
    return next((q for q in Queue if name == f"comments_comment_{q}"), None)


class HasOpenReportsFilter(admin.SimpleListFilter):
    title = _("open reports")
    parameter_name = "reported"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("Has open reports")), ("no", _("No open reports"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        match self.value():
            case "yes":
                return queryset.filter(Exists(open_reports_of_outer_comment()))
            case "no":
                return queryset.filter(~Exists(open_reports_of_outer_comment()))
        return queryset


@admin.register(Comment)
class CommentAdmin(ModerationActionsMixin, CommentColumnsMixin, admin.ModelAdmin):
    list_display = COLUMNS[None]
    list_display_links = LINK_COLUMNS
    list_filter = (
        "status",
        HasOpenReportsFilter,
        ("post", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    search_fields = ("body", "guest_name", "guest_email", "user__username", "user__display_name")
    list_select_related = ("post", "user")
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("status_badge", "author", "body_text", "created_at", "edited_at")}),
        (_("Spam check"), {"fields": ("spam_opinions",)}),
        (
            _("Context"),
            {"fields": ("post_link", "permalink", "parent_link", "replies_list", "guideline")},
        ),
    )
    readonly_fields = (
        "status_badge",
        "author",
        "body_text",
        "created_at",
        "edited_at",
        "spam_opinions",
        "post_link",
        "permalink",
        "parent_link",
        "replies_list",
        "guideline",
    )
    inlines = (ReportInline, ModerationEventInline)

    # Nobody edits, adds or deletes a comment here: moderation goes through the actions.

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        # Without an object this answers "may moderate?", which the actions ask. With one it
        # answers "may edit this comment's fields?": never, so the page is read-only.
        if obj is not None:
            return False
        return super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    # The list and the queues

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        open_count = (
            open_reports_of_outer_comment()
            .order_by()
            .values("comment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        # Not super(): it orders before the annotations the ordering needs exist.
        queryset = self.model._default_manager.annotate(
            open_report_count=Coalesce(Subquery(open_count), 0)
        )
        match _queue(request):
            case Queue.REPORTS:
                first_open = open_reports_of_outer_comment().order_by("created_at")
                reports = Report.objects.filter(resolution=Report.Resolution.OPEN)
                queryset = (
                    queryset.filter(Exists(open_reports_of_outer_comment()))
                    .annotate(first_reported_at=Subquery(first_open.values("created_at")[:1]))
                    .prefetch_related(
                        Prefetch(
                            "reports",
                            queryset=reports.select_related("guideline").order_by("created_at"),
                            to_attr="open_reports_list",
                        )
                    )
                )
            case Queue.HELD:
                queryset = queryset.filter(status=Comment.Status.PENDING).prefetch_related(
                    "assessments"
                )
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request: HttpRequest) -> tuple:
        match _queue(request):
            case Queue.REPORTS:
                return ("-open_report_count", "first_reported_at", "pk")
            case Queue.HELD:
                return ("created_at", "pk")
        return ("-created_at", "-pk")

    def get_list_display(self, request: HttpRequest) -> tuple:
        return COLUMNS[_queue(request)]

    def get_list_filter(self, request: HttpRequest) -> tuple:
        if _queue(request):
            # A queue is already a filter; only the post and the date narrow it further.
            return (("post", admin.RelatedOnlyFieldListFilter), "created_at")
        return self.list_filter

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        queue = _queue(request)
        titles = {
            Queue.REPORTS: _("Reports queue"),
            Queue.HELD: _("Held comments"),
            None: _("Comments"),
        }
        context = {
            "title": titles[queue],
            "queue": queue,
            "queue_counts": moderation_queue_counts(),
            "shortcuts": shortcuts_for(self.get_actions(request)),
            # The list needs the width: the queues and the log are in the object tools.
            "is_nav_sidebar_enabled": False,
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_urls(self) -> list[URLPattern]:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            *(
                path(f"{queue}/", wrap(self.changelist_view), name=f"{info}_{queue}")
                for queue in Queue
            ),
            path("overview/", wrap(self.overview_view), name=f"{info}_overview"),
            *super().get_urls(),
        ]

    # The comment's page

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Comment | None = None,
    ) -> HttpResponse:
        action_form = context.get("action_form")
        if obj is not None and action_form is not None:
            context["moderation_buttons"] = self._buttons_for(obj, action_form)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _buttons_for(self, comment: Comment, action_form) -> list[tuple[str, str]]:
        wanted = set(ACTIONS_BY_STATUS.get(comment.status, ())) | set(ALWAYS_OFFERED)
        if comment.open_report_count:
            # Hiding a comment a rule hid pending review confirms that hide.
            wanted |= {"dismiss_reports", "hide_comments"}
        return [
            (name, label) for name, label in action_form.fields["action"].choices if name in wanted
        ]

    # Columns and fields

    @admin.display(description=_("comment"))
    def body_text(self, comment: Comment) -> SafeString:
        return linebreaksbr(comment.body, autoescape=True)

    @admin.display(description=_("opinions"))
    def spam_opinions(self, comment: Comment) -> SafeString | str:
        return assessments_summary(list(comment.assessments.all()))

    @admin.display(description=_("on the site"))
    def permalink(self, comment: Comment) -> SafeString:
        url = comment.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=_("in reply to"))
    def parent_link(self, comment: Comment) -> SafeString | str:
        if comment.parent_id is None:
            return _("Nothing: a top-level comment.")
        parent = comment.parent
        return format_html("{} — {}", comment_admin_link(parent), status_badge(parent))

    @admin.display(description=_("replies"))
    def replies_list(self, comment: Comment) -> SafeString | str:
        replies = list(
            comment.replies.select_related("user").order_by("created_at", "pk")[: REPLIES_SHOWN + 1]
        )
        if not replies:
            return _("None yet.")
        items = format_html_join(
            "",
            "<li>{} — {} — {}</li>",
            (
                (comment_admin_link(reply), reply.author_name, status_badge(reply))
                for reply in replies[:REPLIES_SHOWN]
            ),
        )
        more = ""
        if len(replies) > REPLIES_SHOWN:
            more = format_html("<li>{}</li>", _("and more…"))
        return format_html("<ul>{}{}</ul>", items, more)

    # The overview

    def overview_view(self, request: HttpRequest) -> TemplateResponse:
        """Counts over the last 30 days as a chart and a table, and the busiest posts."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        overview = moderation_daily_overview()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Moderation overview"),
            "opts": self.opts,
            "overview": overview,
            "chart": overview_chart(overview),
            "busiest_posts": busiest_posts(),
            "queue_counts": moderation_queue_counts(),
            "spam_filter_state": spam_filter_state(discussion_settings_get()),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/comments/comment/overview.html", context)

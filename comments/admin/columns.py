"""The columns of the moderators' comment list and its queues.

A moderator scans the list, so each comment takes one or two lines at a desktop width: its
first words (a ``<details>`` that opens on the whole text, with no script), and under them
who wrote it on which post. The status, the open reports and the date sit in narrow
columns beside it. ``static/css/moderation_list.css`` keeps each line to one line.

Which columns each page shows is ``COLUMNS`` (the list, the reports queue, the held queue):
the comment admin picks from it by queue.
"""

from django.contrib import admin
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from comments.admin.display import assessments_summary, excerpt, status_badge
from comments.models import Comment

# The summary line is cut by the browser at the column's width; this only keeps the page
# small when a comment is long.
SUMMARY_LENGTH = 200

# By queue (None: the whole list), after the checkbox. The comment comes first; the last
# column links to the comment's page, keeping the list's filters for the way back.
COLUMNS: dict[str | None, tuple[str, ...]] = {
    None: ("comment", "status_badge", "open_reports", "created_at"),
    "reports": (
        "comment",
        "open_reports",
        "guidelines_cited",
        "status_badge",
        "first_reported_at",
    ),
    "held": ("comment", "spam_check", "open_reports", "created_at"),
}
LINK_COLUMNS = ("created_at", "first_reported_at")


def comment_author(comment: Comment) -> str:
    """Who wrote ``comment``, as a moderator needs it: a member's public name and username,
    a guest's name marked as a guest, or "Former member"."""
    if comment.user_id is not None:
        return _("%(name)s (member %(username)s)") % {
            "name": comment.user.public_name,
            "username": comment.user.username,
        }
    if comment.guest_name:
        return _("%(name)s (guest)") % {"name": comment.guest_name}
    return str(_("Former member"))


def post_link(comment: Comment) -> SafeString:
    return format_html('<a href="{}">{}</a>', comment.post.get_absolute_url(), comment.post.title)


def comment_lines(comment: Comment) -> SafeString:
    """``comment`` in two lines: its start, which opens on its whole text and a link to it
    on the site, and its author and post. Everything a person typed is escaped."""
    text = linebreaksbr(comment.body, autoescape=True) if comment.body else excerpt("")
    return format_html(
        '<details class="comment-text"><summary>{}</summary>'
        '<div class="comment-full">{}<p><a href="{}">{}</a></p></div></details>'
        '<div class="comment-meta">{}</div>',
        excerpt(comment.body, SUMMARY_LENGTH),
        text,
        comment.get_absolute_url(),
        _("See it on the site"),
        format_html(
            str(_("{author} on {post}")), author=comment_author(comment), post=post_link(comment)
        ),
    )


class CommentColumnsMixin:
    """The columns, for ``CommentAdmin``; the comment's own page uses some of them too."""

    @admin.display(description=_("comment"))
    def comment(self, comment: Comment) -> SafeString:
        return comment_lines(comment)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, comment: Comment) -> SafeString:
        return status_badge(comment)

    @admin.display(description=_("by"))
    def author(self, comment: Comment) -> str:
        return comment_author(comment)

    @admin.display(description=_("post"), ordering="post__title")
    def post_link(self, comment: Comment) -> SafeString:
        return post_link(comment)

    @admin.display(description=_("reports"), ordering="open_report_count")
    def open_reports(self, comment: Comment) -> int:
        return comment.open_report_count

    @admin.display(description=_("guidelines cited"))
    def guidelines_cited(self, comment: Comment) -> SafeString | str:
        counts: dict = {}
        for report in getattr(comment, "open_reports_list", []):
            counts[report.guideline] = counts.get(report.guideline, 0) + 1
        if not counts:
            return "—"
        cited = format_html_join(", ", "{} ×{}", counts.items())
        return format_html('<span class="two-lines">{}</span>', cited)

    @admin.display(description=_("first reported"), ordering="first_reported_at")
    def first_reported_at(self, comment: Comment):
        return comment.first_reported_at

    @admin.display(description=_("spam check"))
    def spam_check(self, comment: Comment) -> SafeString | str:
        # Prefetched on the held queue. The comment's page shows it whole.
        summary = assessments_summary(list(comment.assessments.all()))
        return format_html('<span class="two-lines spam-check">{}</span>', summary)

"""How comments and moderation events read in the admin: small formatting helpers shared by
the comment pages, the confirmation pages and the moderation log."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, CommentAssessment, DiscussionSettings, ModerationEvent
from comments.spamfilter.service import filter_counts, filter_is_active

EXCERPT_LENGTH = 80

STATUS_ICONS = {
    Comment.Status.PUBLISHED: "admin/img/icon-yes.svg",
    Comment.Status.PENDING: "admin/img/icon-clock.svg",
    Comment.Status.HIDDEN: "admin/img/icon-no.svg",
    Comment.Status.SPAM: "admin/img/icon-alert.svg",
}


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a comment on one line; a purged comment's empty text says so."""
    return Truncator(" ".join(text.split())).chars(length) or str(_("(text erased)"))


def status_badge(comment: Comment) -> SafeString:
    """The status as a small badge: the admin's own icon and the status name."""
    return format_html(
        '<span class="comment-status comment-status-{}"><img src="{}" alt="" width="13" '
        'height="13"> {}</span>',
        comment.status,
        static(STATUS_ICONS.get(comment.status, "admin/img/icon-unknown.svg")),
        comment.get_status_display(),
    )


def comment_admin_link(comment: Comment) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:comments_comment_change", args=[comment.pk]),
        excerpt(comment.body, 60),
    )


def event_author(event: ModerationEvent) -> str:
    """The moderator who acted, or the rule that did."""
    if event.actor is not None:
        return event.actor.public_name
    if event.rule:
        return _("rule: %(rule)s") % {"rule": event.rule}
    return str(_("Former member"))


def _status_label(value: str) -> str:
    if not value:
        return "—"
    try:
        return Comment.Status(value).label
    except ValueError:
        return value


def status_change(event: ModerationEvent) -> str:
    return f"{_status_label(event.from_status)} → {_status_label(event.to_status)}"


def assessments_summary(assessments: list[CommentAssessment]) -> SafeString | str:
    """Each source's opinion of a comment on a line of its own, as the moderator reads it:
    "Spam filter: held: 0.94 — 'casino', 3 links, new account"."""
    if not assessments:
        return "—"
    return format_html_join(
        mark_safe("<br>"),
        "{}: {}",
        ((a.get_source_display(), a.explanation or a.get_verdict_display()) for a in assessments),
    )


def spam_filter_state(settings: DiscussionSettings) -> str:
    """What the spam filter has learnt and whether it acts yet, in a sentence. One query."""
    counts = filter_counts()
    learnt = _("It has learnt from %(spam)s spam and %(ham)s legitimate comments.") % {
        "spam": counts.spam,
        "ham": counts.ham,
    }
    if filter_is_active(counts=counts, settings=settings):
        return f"{learnt} {_('It is on.')}"
    waiting = _("It starts once it has %(n)s of each.") % {"n": settings.spam_filter_min_decisions}
    return f"{learnt} {waiting}"

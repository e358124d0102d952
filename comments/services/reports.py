"""Readers' reports: ``report_create``, the one way a report is stored (and, when the
discussion settings ask for it, a comment hidden automatically pending review), and
``report_refusal``, the same rules asked before the form is sent. The comment a reader may
report and the guidelines they choose from are read by ``comments.selectors``."""

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.ratelimit import rate_limit
from comments.models import Comment, DiscussionSettings, Guideline, Report
from comments.selectors import discussion_settings_get
from comments.services.moderation import comment_hide
from comments.services.posting import ip_hash

NOTE_MAX_LENGTH = 1000
# Enough for anyone reading a discussion in good faith; a flood of reports is the same
# abuse as a flood of comments.
REPORTS_PER_HOUR = 10
THROTTLE_SECONDS = 60 * 60
AUTO_HIDE_RULE = "auto-hide"


class ReportRefused(Exception):
    """A report the rules do not accept. ``code`` tells the view how to answer; ``field``
    names the form field the message belongs to, if any."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


def reporter_key(*, user: User | None, guest_email: str = "") -> str:
    """Who reports, as one string: ``user:<id>`` for a member, ``guest:<keyed hash of the
    e-mail>`` for a guest, so each person has one open report per comment without their
    address being stored again."""
    if user is not None:
        return f"user:{user.pk}"
    digest = salted_hmac("comments.reporter", guest_email.strip().lower(), algorithm="sha256")
    return f"guest:{digest.hexdigest()}"


def report_refusal(
    *, comment: Comment, user: User | None, settings: DiscussionSettings | None = None
) -> ReportRefused | None:
    """Why ``user`` (None for a guest) may not report ``comment``, as far as it is known
    before the form is sent; None if nothing stands in the way yet. Runs at most one query
    (a member's open report on it)."""
    settings = settings or discussion_settings_get()
    try:
        _check_reporter(user=user, settings=settings)
        if user is not None:
            _check_not_own(comment=comment, user=user, guest_email="")
            _check_not_reported(comment=comment, key=reporter_key(user=user))
    except ReportRefused as refused:
        return refused
    return None


def report_create(
    *,
    comment: Comment,
    guideline: Guideline,
    note: str,
    user: User | None = None,
    guest_email: str = "",
    ip: str = "",
) -> Report:
    """Store a report by ``user`` (or by a guest with ``guest_email``) that ``comment``
    breaks ``guideline``, and return it. The comment stays visible unless the discussion
    settings hide comments after K reports from different people: the report that makes K
    hides it, in the same transaction, citing the guideline cited most.

    Refuses (``ReportRefused``, nothing stored) a comment that is not published or whose
    post is not, a guest where guests may not report, a member who has not confirmed
    their e-mail address, a missing guest e-mail, the reporter's own comment, a second
    open report by the same person on the same comment, a note over 1,000 characters or
    carrying a NUL byte, and more than ten reports an hour from one person.
    """
    settings = discussion_settings_get()
    _check_reporter(user=user, settings=settings)
    if user is None:
        guest_email = guest_email.strip()
        if not guest_email or "\x00" in guest_email:
            raise ReportRefused(
                _("Please give your e-mail address; it is never shown."),
                code="invalid",
                field="email",
            )
    note = _clean_note(note)
    key = reporter_key(user=user, guest_email=guest_email)
    _check_not_own(comment=comment, user=user, guest_email=guest_email)
    _check_not_reported(comment=comment, key=key)
    # Last, so only a report that would otherwise be stored counts towards the limit.
    _check_throttle(key=key, user=user, ip=ip)
    try:
        with transaction.atomic():
            # Reports on one comment queue here, so the count that triggers auto-hide is
            # never read by two reports at once.
            locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
            if locked is None or locked.status != Comment.Status.PUBLISHED:
                raise ReportRefused(_("That comment isn’t available."), code="unavailable")
            report = Report.objects.create(
                comment=locked, reporter=user, reporter_key=key, guideline=guideline, note=note
            )
            if _auto_hide(comment=locked, settings=settings):
                comment.status = Comment.Status.HIDDEN
    except IntegrityError:
        # The same person's report raced in twice and the first one stands; or, rarer, the
        # guideline was deleted after the form was shown.
        _check_not_reported(comment=comment, key=key)
        raise ReportRefused(
            _("That guideline doesn’t exist any more. Please choose one from the list."),
            code="invalid",
            field="guideline",
        ) from None
    return report


def _check_reporter(*, user: User | None, settings: DiscussionSettings) -> None:
    if user is None:
        if not settings.guests_may_report:
            raise ReportRefused(_("Please sign in to report a comment."), code="forbidden")
        return
    if not user.is_active:
        raise ReportRefused(_("This account can’t report comments."), code="forbidden")
    if not user.can_comment:
        raise ReportRefused(
            _("Please confirm your e-mail address to report comments."), code="unverified"
        )


def _check_not_own(*, comment: Comment, user: User | None, guest_email: str) -> None:
    if user is not None and comment.user_id == user.pk:
        own = True
    else:
        # The same address as the comment's author: a guest reporting their own guest
        # comment, a member reporting what they wrote as a guest, or the reverse.
        email = user.email if user is not None else guest_email
        author_email = comment.author_email
        own = bool(email and author_email and email.strip().lower() == author_email.lower())
    if own:
        raise ReportRefused(_("You can’t report your own comment."), code="own")


def _already_reported() -> ReportRefused:
    return ReportRefused(
        _("You’ve already reported this comment; a moderator will look at it."),
        code="duplicate",
    )


def _check_not_reported(*, comment: Comment, key: str) -> None:
    if Report.objects.filter(
        comment=comment, reporter_key=key, resolution=Report.Resolution.OPEN
    ).exists():
        raise _already_reported()


def _clean_note(note: str) -> str:
    note = note.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in note:
        raise ReportRefused(
            _("Your note contains a character we can’t store (a null byte). Please remove it."),
            code="invalid",
            field="note",
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise ReportRefused(
            _("Please keep your note under %(max)s characters; it has %(n)s.")
            % {"max": f"{NOTE_MAX_LENGTH:,}", "n": f"{len(note):,}"},
            code="invalid",
            field="note",
        )
    return note


def _check_throttle(*, key: str, user: User | None, ip: str) -> None:
    """Count this report towards its reporter's hourly limit and refuse it past the limit.
    A guest could give a new address for each report, so their connection (hashed IP) is
    counted too; members are not counted by address, so people sharing one are not held
    back."""
    counted = [("comments:reports", key)]
    if user is None and ip:
        counted.append(("comments:reports:ip", ip_hash(ip)))
    waits = [
        rate_limit(scope, who, limit=REPORTS_PER_HOUR, seconds=THROTTLE_SECONDS)
        for scope, who in counted
    ]
    if any(waits):
        raise ReportRefused(
            _(
                "You’ve sent %(n)s reports in the last hour, the most we accept. Thank you; "
                "please try again later."
            )
            % {"n": REPORTS_PER_HOUR},
            code="throttled",
        )


def _auto_hide(*, comment: Comment, settings: DiscussionSettings) -> bool:
    """Hide ``comment`` pending review once open reports from ``auto_hide_reports``
    different people are in; whether it did."""
    threshold = settings.auto_hide_reports
    if not threshold:
        return False
    open_reports = Report.objects.filter(comment=comment, resolution=Report.Resolution.OPEN)
    reporters = open_reports.aggregate(n=Count("reporter_key", distinct=True))["n"]
    if reporters < threshold:
        return False
    # The guideline cited most; on a tie, the lowest number.
    most_cited = (
        open_reports.values("guideline")
        .annotate(n=Count("pk"))
        .order_by("-n", "guideline__number")
        .values_list("guideline", flat=True)
        .first()
    )
    comment_hide(
        comment=comment,
        moderator=None,
        guideline=Guideline.objects.get(pk=most_cited),
        note=_("Hidden automatically after %(n)s reports; awaiting review.") % {"n": threshold},
        rule=AUTO_HIDE_RULE,
    )
    return True

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Suspensions and appeals live in a module of their own; imported here so Django registers them.
from comments.sanctions import Appeal, Suspension  # noqa: F401


class DiscussionSettings(models.Model):
    """The one row of site-wide discussion settings. Read on every request, so a change
    applies at once on every app instance."""

    guests_allowed = models.BooleanField(
        _("guests may comment"),
        default=True,
        help_text=_("Guests give a name and an e-mail address. Untick to require an account."),
    )
    close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty to keep discussions open."),
    )
    max_depth = models.PositiveSmallIntegerField(
        _("maximum thread depth"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many levels replies may nest, counting the top-level comment."),
    )
    comments_per_page = models.PositiveSmallIntegerField(
        _("top-level comments per page"),
        default=50,
        validators=[MinValueValidator(5), MaxValueValidator(500)],
    )
    max_length = models.PositiveIntegerField(
        _("maximum comment length (characters)"),
        default=5000,
        validators=[MinValueValidator(100), MaxValueValidator(50_000)],
    )
    flood_interval = models.PositiveIntegerField(
        _("seconds between comments by the same person"), default=15
    )

    class ModerationMode(models.TextChoices):
        POST = "post", _("Publish at once; moderators act afterwards")
        FIRST_TIME = "first_time", _("Hold comments from first-time commenters")
        ALL = "all", _("Hold every comment for a moderator")

    moderation_mode = models.CharField(
        _("moderation"), max_length=12, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    hold_link_count = models.PositiveSmallIntegerField(
        _("hold a comment with more links than"),
        default=2,
        validators=[MaxValueValidator(50)],
    )
    hold_words = models.TextField(
        _("hold words"),
        blank=True,
        help_text=_("One word or phrase per line. A comment using one waits for a moderator."),
    )
    block_words = models.TextField(
        _("block words"),
        blank=True,
        help_text=_("One word or phrase per line. A comment using one goes straight to spam."),
    )
    # The spam filter (comments.spamfilter) scores each new comment from 0 to 1.
    spam_filter_hold_score = models.FloatField(
        _("spam filter: hold from score"),
        null=True,
        blank=True,
        default=0.7,
        validators=[MinValueValidator(0.5), MaxValueValidator(1.0)],
        help_text=_(
            "From 0.5 to 1. A comment the filter scores this high waits for a moderator. "
            "Leave empty to never hold."
        ),
    )
    spam_filter_spam_score = models.FloatField(
        _("spam filter: spam from score"),
        null=True,
        blank=True,
        default=0.99,
        validators=[MinValueValidator(0.5), MaxValueValidator(1.0)],
        help_text=_(
            "From 0.5 to 1, at least the hold score. A comment scored this high goes straight "
            "to spam. Leave empty to only hold."
        ),
    )
    spam_filter_min_decisions = models.PositiveIntegerField(
        _("spam filter: start after"),
        default=20,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The filter acts only once it has learnt from this many spam and this many "
            "legitimate comments."
        ),
    )
    # Trusted commenters (comments.moderation.is_trusted_commenter) skip two holds.
    trust_members = models.BooleanField(
        _("trust members with a good record"),
        default=True,
        help_text=_(
            "Such a member skips the first-time and link holds. Block words, hold words and "
            "the spam filter still apply."
        ),
    )
    trusted_after_comments = models.PositiveSmallIntegerField(
        _("a good record: at least this many published comments"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    trusted_clean_days = models.PositiveSmallIntegerField(
        _("and no removal upheld in this many days"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("A removal: a moderator hid a comment or marked it spam, and it stays so."),
    )
    guests_may_report = models.BooleanField(_("guests may report comments"), default=False)
    auto_hide_reports = models.PositiveSmallIntegerField(
        _("hide a comment pending review after this many reports"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text=_("Reports from different people. Leave empty to never hide automatically."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")

    def __str__(self) -> str:
        return str(_("Discussion settings"))

    def clean(self) -> None:
        hold_at, spam_at = self.spam_filter_hold_score, self.spam_filter_spam_score
        if hold_at is not None and spam_at is not None and spam_at < hold_at:
            message = _("Make this at least the hold score, %(n)s.") % {"n": hold_at}
            raise ValidationError({"spam_filter_spam_score": message})


def guideline_anchor(number: int) -> str:
    """The fragment that points at guideline ``number`` on the Community Guidelines page."""
    return f"guideline-{number}"


class Guideline(models.Model):
    """One numbered rule of the Community Guidelines."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))
    about_spam = models.BooleanField(
        _("about spam"),
        default=False,
        help_text=_(
            "Hiding a comment for breaking this guideline teaches the spam filter that it is spam."
        ),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return f"{reverse('guidelines')}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return guideline_anchor(self.number)


class CommentQuerySet(models.QuerySet):
    def published(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PUBLISHED)

    def visible_roots(self) -> "CommentQuerySet":
        """Top-level comments a reader sees: published ones, and any other kept as a
        placeholder because a published comment hangs somewhere in its thread. This is
        ``rules.comment_shown_as`` for a reader, in SQL: every comment of a thread hangs
        below its top-level comment, and a published one keeps each comment above it."""
        published_reply = Comment.objects.filter(
            thread_id=OuterRef("pk"), status=Comment.Status.PUBLISHED
        ).exclude(pk=OuterRef("pk"))
        return self.filter(parent__isnull=True).filter(
            Q(status=Comment.Status.PUBLISHED) | Q(Exists(published_reply))
        )


def comment_author_name(*, member_name: str | None, guest_name: str) -> str:
    """The name a comment is shown under: its member's public name (``public_name``), else
    the name the guest gave; a comment detached from a closed account is "Former member"."""
    if member_name is not None:
        return member_name
    return guest_name or str(_("Former member"))


class Comment(models.Model):
    """One comment under a post: a top-level comment (depth 0) or a reply in its thread."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Awaiting moderation")
        HIDDEN = "hidden", _("Hidden")
        SPAM = "spam", _("Spam")

    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, related_name="comments", verbose_name=_("post")
    )
    # Moderation never deletes a comment; rows go only when their post is deleted.
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    # The top-level comment of the thread; a top-level comment points at itself.
    thread = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("member"),
    )
    guest_name = models.CharField(_("name"), max_length=100, blank=True)
    guest_email = models.EmailField(_("e-mail"), blank=True)
    body = models.TextField(_("comment"))
    # ``body`` as the thread shows it (``comments.rendering.comment_body_html``: escaped,
    # paragraphs kept, links made), written by the services that store or change ``body``,
    # so a page of hundreds of comments does not linkify each one on every request. Empty
    # only on rows stored by some other way; the thread then renders ``body`` itself.
    # ``manage.py rerender_comment_bodies`` rewrites them all when the rules change.
    body_html = models.TextField(blank=True, default="", editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    created_at = models.DateTimeField(_("posted"), db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    notify_on_reply = models.BooleanField(_("e-mail me replies"), default=False)
    # The guideline a moderator cited when hiding it (kept after a restore, for the record).
    guideline = models.ForeignKey(
        Guideline,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guideline broken"),
    )
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    user_agent = models.CharField(max_length=255, blank=True, editable=False)
    # Its form's one-time key, hashed with its sender, parent and text
    # (``comments.services.admission.submission_key``): a second submit of the same form by
    # the same person finds this comment instead of making another. NULL, not "", so only
    # real keys clash.
    submission_key = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["post", "parent", "status", "created_at"], name="comment_roots_idx"
            ),
            models.Index(fields=["thread", "status"], name="comment_thread_idx"),
            models.Index(fields=["status", "created_at"], name="comment_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="comment_depth_matches_parent",
            ),
        ]

    def __str__(self) -> str:
        return _("Comment %(id)s by %(name)s") % {"id": self.pk, "name": self.author_name}

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def author_name(self) -> str:
        return comment_author_name(
            member_name=self.user.public_name if self.user_id is not None else None,
            guest_name=self.guest_name,
        )

    @property
    def author_email(self) -> str:
        """Where notifications go; never shown on the site."""
        if self.user_id is not None:
            return self.user.email
        return self.guest_email


class Report(models.Model):
    """A reader's report that a comment breaks a guideline."""

    class Resolution(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld: the comment was hidden")
        DISMISSED = "dismissed", _("Dismissed")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    # Who reported, as one string ("user:12" or "guest:<hash of e-mail>"), so one person
    # has one open report per comment, member or guest.
    reporter_key = models.CharField(max_length=80, editable=False)
    guideline = models.ForeignKey(Guideline, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    resolution = models.CharField(
        max_length=10, choices=Resolution.choices, default=Resolution.OPEN
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key"],
                condition=Q(resolution="open"),
                name="report_one_open_per_person",
            ),
        ]
        indexes = [models.Index(fields=["resolution", "comment"], name="report_open_idx")]

    def __str__(self) -> str:
        return _("Report on comment %(id)s") % {"id": self.comment_id}


class ModerationEvent(models.Model):
    """One change of a comment's status, by a person or by a rule. Append-only: the
    moderation services write these; nothing edits or deletes them."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    rule = models.CharField(_("rule"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    guideline = models.ForeignKey(
        Guideline, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation event")
        verbose_name_plural = _("moderation log")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


# The discussion modes' schedule (comments.modes), the follows (comments.follows) and the
# spam filter's models live with them; imported here so Django finds them in this app.
from comments.follows.models import DiscussionFollow as DiscussionFollow  # noqa: E402
from comments.follows.models import FollowedComment as FollowedComment  # noqa: E402
from comments.modes.models import ModeChange as ModeChange  # noqa: E402
from comments.spamfilter.models import CommentAssessment as CommentAssessment  # noqa: E402
from comments.spamfilter.models import SpamFilterCounts as SpamFilterCounts  # noqa: E402
from comments.spamfilter.models import SpamLabel as SpamLabel  # noqa: E402
from comments.spamfilter.models import SpamToken as SpamToken  # noqa: E402

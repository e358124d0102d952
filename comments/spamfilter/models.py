"""What the spam filter keeps in the database, and the opinions it and others give.

``CommentAssessment`` is one opinion on one comment from one source: this site's own filter
(``local``) or a second opinion such as Akismet. The posting pipeline writes one per source
that gave an opinion, and the admin shows them side by side to the moderator.

The rest is the local filter's learnt model (``comments.spamfilter.model`` does the sums):

- ``SpamToken``: for each token (a word, a word pair, a link's domain, a fact about the
  sender), in how many learnt spam and how many learnt legitimate comments it appeared;
- ``SpamFilterCounts``: one row, how many spam and legitimate comments were learnt, and
  when settled comments (published a week, never reported) were last picked up;
- ``SpamLabel``: for each learnt comment, which way it was learnt and the exact tokens
  added, so a moderator changing their mind moves those very counts to the other side,
  whatever has happened to the comment's text or its author's account since.

Imported by ``comments.models`` so Django finds them in the comments app.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentAssessment(models.Model):
    """One source's opinion of one comment, given when it was posted (or edited)."""

    class Source(models.TextChoices):
        LOCAL = "local", _("Spam filter")
        AKISMET = "akismet", _("Akismet")

    class Verdict(models.TextChoices):
        PUBLISH = "publish", _("publish")
        HOLD = "hold", _("hold")
        SPAM = "spam", _("spam")
        UNKNOWN = "unknown", _("no opinion")

    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="assessments"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # From 0 (legitimate) to 1 (spam); None when the source gives no score.
    score = models.FloatField(_("score"), null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    # What a moderator reads: "held: 0.94 — 'casino', 3 links, new account".
    explanation = models.CharField(_("why"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["source"]
        verbose_name = _("spam assessment")
        verbose_name_plural = _("spam assessments")
        constraints = [
            models.UniqueConstraint(fields=["comment", "source"], name="assessment_one_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.explanation or self.get_verdict_display()}"


class SpamToken(models.Model):
    """How often one token appeared in learnt spam and in learnt legitimate comments."""

    token = models.CharField(max_length=100, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("spam filter token")
        verbose_name_plural = _("spam filter tokens")

    def __str__(self) -> str:
        return f"{self.token}: {self.spam} spam, {self.ham} legitimate"


class SpamFilterCounts(models.Model):
    """The one row of totals: how many comments were learnt each way. Learning locks it,
    so learnt comments are counted one at a time and the token counts never deadlock."""

    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)
    # When comments left a week without reports were last looked for (``settled_learn``).
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("spam filter counts")
        verbose_name_plural = _("spam filter counts")

    def __str__(self) -> str:
        return f"{self.spam} spam, {self.ham} legitimate"


class SpamLabel(models.Model):
    """How one comment was learnt: one label per comment, so relabelling keeps the counts
    exact. ``tokens`` (one per line) are those added to the counts, taken back on relabel.
    Should the comment go (its post deleted), what it taught stays in the counts."""

    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    is_spam = models.BooleanField()
    tokens = models.TextField(editable=False)
    learnt_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("spam filter label")
        verbose_name_plural = _("spam filter labels")

    def __str__(self) -> str:
        return f"comment {self.comment_id}: {'spam' if self.is_spam else 'legitimate'}"

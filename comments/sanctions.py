"""The models for moderating people rather than comments: suspensions, and authors' appeals
against a hidden comment.

Kept out of ``comments/models.py`` so neither module grows past a screenful or two;
``comments.models`` imports them, so Django registers them with the app and the rest of the
code imports them from there like any other model. Relations name their models as strings,
so this module imports nothing of the app and no import goes round in a circle.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SuspensionQuerySet(models.QuerySet):
    """Suspensions by state. A suspension's state is worked out from the clock when it is
    read (``Suspension.state_at``): nothing runs when one runs out."""

    def active(self, now: datetime | None = None) -> "SuspensionQuerySet":
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )

    def expired(self, now: datetime | None = None) -> "SuspensionQuerySet":
        return self.filter(lifted_at__isnull=True, ends_at__lte=now or timezone.now())

    def lifted(self) -> "SuspensionQuerySet":
        return self.filter(lifted_at__isnull=False)


class Suspension(models.Model):
    """A member or a guest who may not comment until ``ends_at`` (for good when empty), for
    breaking ``guideline``. Written once by ``comments.services.suspensions``; lifting it
    fills the ``lifted_*`` fields, and running out changes nothing stored: the row is its
    own log (suspended, then lifted or expired, when and by whom)."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        LIFTED = "lifted", _("Lifted")

    # A member is known by their account; ``email`` then holds their address at the time,
    # so they cannot sign out and comment as a guest under it. A guest is known by ``email``.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    # Stored in lower case, and looked up the same way.
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    # The name they commented under, for the list (a guest has no other).
    name = models.CharField(_("name"), max_length=100, blank=True)
    # Guest comments from this hashed address are refused too (``posting.ip_hash``).
    ip_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    guideline = models.ForeignKey(
        "comments.Guideline",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("guideline"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("suspended"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_note = models.TextField(_("note when lifted"), blank=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        indexes = [models.Index(fields=["user", "lifted_at"], name="suspension_user_idx")]

    def __str__(self) -> str:
        return _("Suspension of %(who)s") % {"who": self.name or self.email or self.user_id}

    def state_at(self, now: datetime) -> "Suspension.State":
        """Active, expired (its time ran out) or lifted (a moderator ended it early)."""
        if self.lifted_at is not None:
            return self.State.LIFTED
        if self.ends_at is not None and self.ends_at <= now:
            return self.State.EXPIRED
        return self.State.ACTIVE


class Appeal(models.Model):
    """A hidden comment's author asking for it back, once per comment, and the moderator's
    answer. Written by ``comments.services.appeals``."""

    class Decision(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        RESTORED = "restored", _("Restored")
        UPHELD = "upheld", _("Removal upheld")

    comment = models.OneToOneField(
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="appeal",
        verbose_name=_("comment"),
    )
    text = models.TextField(_("appeal"), max_length=1000)
    created_at = models.DateTimeField(_("appealed"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.OPEN
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("note to the author"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [models.Index(fields=["decision", "created_at"], name="appeal_queue_idx")]

    def __str__(self) -> str:
        return _("Appeal on comment %(id)s") % {"id": self.comment_id}

"""A post's discussion schedule: each ``ModeChange`` says "from this time on, the discussion
is in this mode". Imported by ``comments.models`` so Django finds it in the comments app.

The rows hold what the editor chose; ``comments.modes.rules`` turns them, with the post's
own switch and the site's automatic closing, into the mode in force at any moment.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from comments.modes.rules import Mode, change_problem
from comments.modes.wording import schedule_problem_message

# The longest wait slow mode may ask for between one person's comments: a day.
SLOW_MINUTES_MAX = 24 * 60


class ModeChange(models.Model):
    """From ``starts_at`` (from the start when empty) until the next change, the discussion
    of ``post`` is in ``mode``; ``slow_minutes`` is slow mode's wait, and only slow mode's."""

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="discussion_modes")
    starts_at = models.DateTimeField(
        _("from"),
        null=True,
        blank=True,
        help_text=_("Leave empty for “from the start”."),
    )
    mode = models.CharField(_("discussion"), max_length=8, choices=Mode.choices)
    slow_minutes = models.PositiveSmallIntegerField(
        _("minutes between comments"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(SLOW_MINUTES_MAX)],
        help_text=_("Slow mode only: how long each person waits between two comments."),
    )

    class Meta:
        verbose_name = _("discussion mode change")
        verbose_name_plural = _("discussion modes")
        ordering = [models.F("starts_at").asc(nulls_first=True), "pk"]
        constraints = [
            # Two changes at one moment would leave the mode in force to chance.
            models.UniqueConstraint(fields=["post", "starts_at"], name="mode_change_one_per_time"),
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(starts_at__isnull=True),
                name="mode_change_one_from_the_start",
            ),
            models.CheckConstraint(
                condition=Q(mode=Mode.SLOW, slow_minutes__gte=1)
                | (~Q(mode=Mode.SLOW) & Q(slow_minutes__isnull=True)),
                name="mode_change_minutes_for_slow_mode_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} ({self.starts_at or _('from the start')})"

    def clean(self) -> None:
        problem = change_problem(mode=self.mode, slow_minutes=self.slow_minutes)
        if problem is not None:
            raise ValidationError({"slow_minutes": schedule_problem_message(problem)})

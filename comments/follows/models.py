"""Who follows which discussion by e-mail, and the comments waiting for their digests.
Imported by ``comments.models`` so Django finds them in the comments app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DiscussionFollow(models.Model):
    """A member, or a guest's confirmed address, following the discussion of ``post``: they
    get a digest of the comments published since their last one, at most one e-mail per
    digest period (``comments.services.follows``). A guest's row exists only once they have
    confirmed their address; nothing is stored before."""

    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, related_name="follows", verbose_name=_("post")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("member"),
    )
    # A guest's address, in lower case; empty for a member, whose current address is used.
    email = models.EmailField(_("e-mail"), blank=True)
    confirmed_at = models.DateTimeField(_("following since"), default=timezone.now)
    # The last ``FollowedComment`` this follower was sent, or that existed when they began:
    # a digest holds only the ones after it, so a task run twice sends nothing twice.
    seen_through = models.PositiveBigIntegerField(default=0, editable=False)
    # When their next digest goes; empty while there is nothing new for them.
    digest_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_sent_at = models.DateTimeField(_("last e-mail"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        verbose_name = _("discussion follow")
        verbose_name_plural = _("discussion follows")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"],
                condition=Q(user__isnull=False),
                name="follow_one_per_member",
            ),
            models.UniqueConstraint(
                fields=["post", "email"],
                condition=~Q(email=""),
                name="follow_one_per_address",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, email="") | (Q(user__isnull=True) & ~Q(email="")),
                name="follow_member_or_address",
            ),
        ]
        indexes = [models.Index(fields=["post", "digest_due_at"], name="follow_due_idx")]

    def __str__(self) -> str:
        return _("Follow of post %(post)s") % {"post": self.post_id}


class FollowedComment(models.Model):
    """A comment that became public (posted, approved, or restored before anyone was told)
    on a post someone follows. Ids grow in the order comments became public, which is what
    the followers' ``seen_through`` counts in: a comment approved today comes after one
    posted yesterday even though it was written before."""

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="+")
    comment = models.OneToOneField("comments.Comment", on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["post", "id"], name="followed_comment_post_idx")]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.comment_id}"

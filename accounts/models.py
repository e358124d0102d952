from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def public_name(
    *, display_name: str, first_name: str, last_name: str, username: str, is_deleted: bool = False
) -> str:
    """The name a member is shown by: display name, full name or username; "Former member"
    once the account is deleted. The one rule for it, for code that has the values but not
    a ``User`` (the comment list reads plain rows)."""
    if is_deleted:
        return str(_("Former member"))
    full_name = f"{first_name} {last_name}".strip()
    return display_name or full_name or username


class User(AbstractUser):
    """A person with an account: reader, editor, moderator or administrator."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=100,
        blank=True,
        help_text=_("Shown on your comments and, for staff, on your articles."),
    )
    byline_title = models.CharField(
        _("byline title"),
        max_length=100,
        blank=True,
        help_text=_("Shown after your name on articles, e.g. “Senior Researcher”."),
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    notify_on_post_comments = models.BooleanField(
        _("e-mail me about comments on my articles"), default=True
    )
    notify_replies_default = models.BooleanField(
        _("tick “e-mail me replies” on my comments by default"), default=True
    )
    email_verified_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    # Set when the member deleted their account: the row stays, emptied, so nothing
    # that pointed at it breaks.
    deleted_at = models.DateTimeField(_("account deleted"), null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def can_comment(self) -> bool:
        """Members comment once their e-mail is confirmed; staff accounts are made by an
        administrator and need no confirmation."""
        return self.is_active and (self.email_verified_at is not None or self.is_staff)

    @property
    def public_name(self) -> str:
        """The name shown to other people: display name, full name or username; "Former
        member" once the account is deleted."""
        return public_name(
            display_name=self.display_name,
            first_name=self.first_name,
            last_name=self.last_name,
            username=self.username,
            is_deleted=self.deleted_at is not None,
        )

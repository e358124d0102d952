"""The forms of a member's own account pages."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts.avatars import ACCEPT, avatar_max_mb, avatar_process
from accounts.models import User

_field = User._meta.get_field


def _avatar_help() -> str:
    # Written when shown: the limit follows the site's upload limit (settings.UPLOAD_MAX_MB).
    return _(
        "A JPEG, PNG or WebP picture of up to %(size)s MB. It is cropped to a square, resized, "
        "and stripped of any location or camera data."
    ) % {"size": avatar_max_mb()}


class ProfileFields(forms.Form):
    """A member's public face and e-mail preferences, and the rules for them: what the
    profile page and the admin's change form both take and hand to ``profile_update``."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=_field("display_name").max_length,
        required=False,
        help_text=_("Shown on your comments. Leave it empty to use your username."),
    )
    byline_title = forms.CharField(
        label=_("Byline title"),
        max_length=_field("byline_title").max_length,
        required=False,
        help_text=_("Shown after your name on articles you write, e.g. “Senior Researcher”."),
    )
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=_field("bio").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences, shown on your author page if you write articles."),
    )
    avatar = forms.FileField(
        label=_("New avatar"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=lazy(_avatar_help, str)(),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)
    notify_replies_default = forms.BooleanField(
        label=_("Tick “e-mail me replies” for me by default"),
        required=False,
        help_text=_("You can still change it on each comment."),
    )
    notify_on_post_comments = forms.BooleanField(
        label=_("E-mail me about comments on my articles"), required=False
    )

    @staticmethod
    def initial_for(user: User) -> dict:
        """The stored values of ``user`` for the fields that show them."""
        return {
            "display_name": user.display_name,
            "byline_title": user.byline_title,
            "bio": user.bio,
            "notify_replies_default": user.notify_replies_default,
            "notify_on_post_comments": user.notify_on_post_comments,
        }

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        if not name.isprintable():
            raise forms.ValidationError(
                _(
                    "Your display name contains a character we can’t show, such as a line "
                    "break or an invisible control character. Please remove it."
                ),
                code="unprintable",
            )
        if name.casefold() == str(_("Former member")).casefold():
            raise forms.ValidationError(
                _("“Former member” marks deleted accounts. Please choose another name."),
                code="reserved",
            )
        return name

    def clean_byline_title(self) -> str:
        title = self.cleaned_data["byline_title"]
        if not title.isprintable():
            raise forms.ValidationError(
                _(
                    "Your byline title contains a character we can’t show, such as a line "
                    "break or an invisible control character. Please remove it."
                ),
                code="unprintable",
            )
        return title

    def clean_avatar(self):
        """The processed avatar (a 256 × 256 WebP), or None when no file was chosen."""
        upload = self.cleaned_data.get("avatar")
        return avatar_process(upload) if upload else None

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("avatar") and cleaned.get("remove_avatar"):
            self.add_error(
                "remove_avatar",
                _("Choose a new picture or tick “%(remove)s”, not both.")
                % {"remove": self.fields["remove_avatar"].label},
            )
        return cleaned

    def profile_arguments(self, user: User) -> dict:
        """``cleaned_data`` in the shape ``profile_update`` takes for ``user``; a field left
        out of this form keeps ``user``'s stored value."""
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "byline_title": data["byline_title"],
            "bio": data["bio"],
            "notify_replies_default": data["notify_replies_default"],
            "notify_on_post_comments": data.get(
                "notify_on_post_comments", user.notify_on_post_comments
            ),
            "avatar": data.get("avatar"),
            "remove_avatar": data.get("remove_avatar", False),
        }


class ProfileForm(ProfileFields):
    """The member's own profile page. The e-mail address is not here: it is shown
    read-only. Articles e-mails are offered to staff only, who write articles."""

    def __init__(self, *args, user: User, **kwargs) -> None:
        kwargs.setdefault("initial", self.initial_for(user))
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.is_staff:
            del self.fields["notify_on_post_comments"]
        if not user.avatar:
            del self.fields["remove_avatar"]

    def service_arguments(self) -> dict:
        """``cleaned_data`` in the shape ``profile_update`` takes."""
        return self.profile_arguments(self.user)


class AccountDeleteForm(forms.Form):
    """Confirms that the person at the keyboard owns the account; the service checks it."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it’s you."),
    )

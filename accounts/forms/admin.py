"""The admin's form for changing a person."""

from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.forms.profile import ProfileFields

# Never written onto the row by the form: UserAdmin.save_model hands them to profile_update.
PROFILE_FIELDS = (
    "display_name",
    "byline_title",
    "bio",
    "avatar",
    "notify_replies_default",
    "notify_on_post_comments",
)


class UserAdminForm(ProfileFields, UserChangeForm):
    """Django's user change form for the account, with the public profile taken by the
    profile page's fields and rules: a name that can't be shown is refused, and an avatar
    must be a picture we can read, the same as on the site. The profile is saved by
    ``profile_update`` (see ``profile_arguments``), so an avatar is resized and stripped of
    its metadata and the threads that show the member are renewed."""

    class Meta(UserChangeForm.Meta):
        exclude = PROFILE_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, value in self.initial_for(self.instance).items():
            self.initial.setdefault(name, value)
        self.fields["remove_avatar"].label = _("Remove the avatar")

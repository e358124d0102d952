"""The comment form: its fields, its bot traps and the messages people read."""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from comments.models import Guideline

TOKEN_SALT = "comments.form"  # noqa: S105 (a namespace for signing, not a secret)
TOKEN_MAX_AGE = 24 * 60 * 60
MODERATION_NOTE_MAX_LENGTH = 1000


def new_form_token() -> str:
    """A signed token carrying when the form was shown and a one-time key for it."""
    return signing.dumps({"t": time.time(), "k": secrets.token_hex(16)}, salt=TOKEN_SALT)


class CommentForm(forms.Form):
    """A comment or a reply. Guests also give a name and an e-mail address."""

    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please write a comment first.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages={
            "required": _("Please give a name to show with your comment."),
            "max_length": _("Please keep your name under 100 characters."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Never shown. Used only for the e-mails you ask for."),
        error_messages={
            "required": _("Please give your e-mail address; it is never shown."),
            "invalid": _("Please check your e-mail address; it doesn’t look complete."),
        },
    )
    notify_on_reply = forms.BooleanField(
        label=_("E-mail me when someone replies to this comment"), required=False
    )
    remember = forms.BooleanField(
        label=_("Remember my name and e-mail on this browser"), required=False
    )
    parent = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "invalid": _("The comment you’re replying to isn’t part of this discussion."),
            "min_value": _("The comment you’re replying to isn’t part of this discussion."),
        },
    )
    token = forms.CharField(widget=forms.HiddenInput)
    # A field people never see; bots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, is_guest: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.is_guest = is_guest
        if not is_guest:
            del self.fields["name"]
            del self.fields["email"]
            del self.fields["remember"]
        if not self.is_bound:
            self.initial.setdefault("token", new_form_token())

    def clean_parent(self) -> int | None:
        return self.cleaned_data.get("parent") or None

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _(
                    "We couldn’t accept this comment. If you are a person, please clear the "
                    "field marked “Leave this field empty” and send it again."
                ),
                code="trap",
            )
        token = cleaned.get("token")
        if token is None:
            raise forms.ValidationError(
                _("This form is incomplete. Please reload the page and send your comment again."),
                code="token",
            )
        try:
            payload = signing.loads(token, salt=TOKEN_SALT)
            shown_at, key = float(payload["t"]), str(payload["k"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                _("This form is incomplete. Please reload the page and send your comment again."),
                code="token",
            ) from None
        age = time.time() - shown_at
        if age > TOKEN_MAX_AGE:
            raise forms.ValidationError(
                _("This form was opened more than a day ago. Please send your comment again."),
                code="expired",
            )
        if age < settings.COMMENT_FORM_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was quicker than anyone can type. Please wait a moment and send it again."),
                code="too_fast",
            )
        cleaned["form_key"] = key
        return cleaned

    def refresh_token(self) -> None:
        """Give a form shown again with errors a new token, keeping what the person typed."""
        data = self.data.copy()
        data["token"] = new_form_token()
        self.data = data


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please write a comment first.")},
    )


class ReportForm(forms.Form):
    """A reader's report: the guideline broken, an optional note and, for guests, an
    e-mail address. The guidelines come from the view, already loaded, so showing and
    checking the form runs no query of its own."""

    guideline = forms.TypedChoiceField(
        label=_("Which guideline does this comment break?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose the guideline this comment breaks."),
            "invalid_choice": _("That guideline doesn’t exist. Please choose one from the list."),
        },
    )
    note = forms.CharField(
        label=_("Anything a moderator should know? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to 1,000 characters. Only moderators see it."),
        error_messages={
            "max_length": _("Please keep your note under 1,000 characters; it has %(show_value)s."),
            "null_characters_not_allowed": _(
                "Your note contains a character we can’t store (a null byte). Please remove it."
            ),
        },
    )
    email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        help_text=_("Never shown. Used only to tell one person’s reports from another’s."),
        error_messages={
            "required": _("Please give your e-mail address; it is never shown."),
            "invalid": _("Please check your e-mail address; it doesn’t look complete."),
        },
    )

    def __init__(self, *args, guidelines, is_guest: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.guidelines = {g.pk: g for g in guidelines}
        self.fields["guideline"].choices = [(g.pk, str(g)) for g in guidelines]
        self.is_guest = is_guest
        if not is_guest:
            del self.fields["email"]

    def clean_guideline(self):
        """The chosen ``Guideline`` itself."""
        return self.guidelines[self.cleaned_data["guideline"]]


class HideForm(forms.Form):
    """What a moderator says when hiding comments, on the post page and in the admin alike:
    the guideline broken, and a note for the moderation log."""

    guideline = forms.ModelChoiceField(
        queryset=Guideline.objects.order_by("number"),
        label=_("Guideline broken"),
        empty_label=_("Choose a guideline"),
        error_messages={"required": _("Please choose the guideline that was broken.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MODERATION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept in the moderation log with this action."),
    )

    def __init__(self, *args, as_list: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if as_list:
            # One comment on its post page: every guideline in view, one click to choose.
            self.fields["guideline"].widget = forms.RadioSelect(
                choices=self.fields["guideline"].choices
            )
            self.fields["guideline"].empty_label = None


# How long a suspension lasts: days, or "forever".
SUSPENSION_LENGTHS = [
    ("1", _("1 day")),
    ("3", _("3 days")),
    ("7", _("1 week")),
    ("30", _("30 days")),
    ("forever", _("For good")),
]


class SuspendForm(HideForm):
    """What a moderator says when suspending someone, on the post page and in the admin: for
    how long, the guideline broken, a note, and what else to do at the same time. Without
    ``has_address`` (no comment to take a hashed address from) it does not offer to refuse
    one."""

    length = forms.ChoiceField(
        label=_("For how long"),
        choices=SUSPENSION_LENGTHS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose how long the suspension lasts."),
            "invalid_choice": _("Please choose one of the lengths offered."),
        },
    )
    by_address = forms.BooleanField(
        label=_("Also refuse guest comments from the address this comment was sent from"),
        required=False,
        help_text=_("Only its hash is kept. Members on that network can still comment."),
    )
    remove_comments = forms.BooleanField(
        label=_("Remove everything by this person: hide every comment they have published"),
        required=False,
        help_text=_("One entry each in the moderation log; each can be restored."),
    )

    field_order = ["length", "guideline", "note", "by_address", "remove_comments"]

    def __init__(self, *args, has_address: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _("Kept with the suspension. Only moderators see it.")
        if not has_address:
            del self.fields["by_address"]

    @property
    def days(self) -> int | None:
        """The chosen length in days; None for good."""
        length = self.cleaned_data["length"]
        return None if length == "forever" else int(length)

    def suspension(self) -> dict:
        """What ``services.suspensions.suspension_create`` needs from this form."""
        data = self.cleaned_data
        return {
            "guideline": data["guideline"],
            "days": self.days,
            "note": data["note"],
            "by_address": data.get("by_address", False),
            "remove_comments": data["remove_comments"],
        }


class AppealForm(forms.Form):
    """A hidden comment's author asking for it back."""

    text = forms.CharField(
        label=_("Why should your comment be restored?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Up to 1,000 characters. A moderator reads it and e-mails you the decision."),
        error_messages={
            "required": _("Please say in a few words why the comment should be restored."),
            "max_length": _(
                "Please keep your appeal under 1,000 characters; it has %(show_value)s."
            ),
            "null_characters_not_allowed": _(
                "Your appeal contains a character we can’t store (a null byte). Please remove it."
            ),
        },
    )


class AppealDecisionForm(forms.Form):
    """A moderator's answer to an appeal: restore the comment or uphold its removal, with a
    note that goes to the author and into the moderation log."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("restore", _("Restore the comment")),
            ("uphold", _("Uphold the removal")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose whether to restore it or uphold it.")},
    )
    note = forms.CharField(
        label=_("Note to the author (optional)"),
        required=False,
        max_length=MODERATION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("E-mailed to them with the decision, and kept in the moderation log."),
    )


class SuspensionAddForm(SuspendForm):
    """Suspending someone from the admin, without a comment to start from: a member by
    username or e-mail address, or a guest by e-mail address, and if wanted an IP address
    (kept only as its hash) whose guest comments are refused too."""

    member = forms.CharField(
        label=_("Member"),
        required=False,
        max_length=254,
        help_text=_("Their username or e-mail address."),
    )
    email = forms.EmailField(
        label=_("Or a guest’s e-mail address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Please check the e-mail address; it doesn’t look complete.")},
    )
    ip_address = forms.GenericIPAddressField(
        label=_("IP address (optional)"),
        required=False,
        help_text=_("Guest comments from it are refused too. Only its hash is kept."),
        error_messages={"invalid": _("Please give an IPv4 or IPv6 address, or leave it empty.")},
    )

    field_order = ["member", "email", "ip_address", "length", "guideline", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, has_address=False, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        member, email = cleaned.get("member", "").strip(), cleaned.get("email", "")
        if bool(member) == bool(email) and "email" not in self.errors:
            raise forms.ValidationError(
                _("Please give either a member or a guest’s e-mail address."), code="who"
            )
        if member:
            user = User.objects.filter(
                models.Q(username__iexact=member) | models.Q(email__iexact=member)
            ).first()
            if user is None:
                self.add_error("member", _("No member has that username or e-mail address."))
            cleaned["user"] = user
        return cleaned


class FollowForm(forms.Form):
    """A guest asking to follow a discussion by e-mail: the address to confirm."""

    email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        help_text=_("Never shown. We e-mail you a link to confirm first."),
        error_messages={
            "required": _("Please give your e-mail address; it is never shown."),
            "invalid": _("Please check your e-mail address; it doesn’t look complete."),
        },
    )

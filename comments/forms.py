"""The comment form: its fields, its bot traps and the messages people read."""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

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

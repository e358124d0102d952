"""The forms for joining and for resetting a password."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.template.loader import render_to_string

from accounts.models import User
from accounts.tasks import send_prepared_email


class SignupForm(auth_forms.UserCreationForm):
    """Username, e-mail address and password, checked by Django's password validators.

    The e-mail address is deliberately not checked against existing accounts here: saying
    "that address is taken" would tell anyone who has an account. ``user_signup`` deals with
    it instead.
    """

    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We’ll send a link to confirm it. It is never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["username", "email", "password1", "password2"]

    class Meta(auth_forms.UserCreationForm.Meta):
        model = User
        fields = ("username",)
        field_classes = {"username": auth_forms.UsernameField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = (
            "Used to sign in. Letters, digits and @ . + - _ only, up to 150 characters. "
            "You can choose the name shown on your comments later."
        )
        self.fields["password1"].label = "Password"
        self.fields["password2"].label = "Password again"
        self.fields["password2"].help_text = "Type the same password again, to be sure of it."

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        # Let the password validators compare the password with the address too.
        self.instance.email = email
        return email


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, with a label written for people. It sends nothing, and says nothing,
    when no account uses the address."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"
        self.fields["email"].help_text = "The address you joined with."

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        """Write the e-mail as Django does, then queue it instead of sending it here."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_prepared_email.enqueue(subject=subject, body=body, to=to_email)

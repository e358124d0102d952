"""Background work for accounts: e-mails never block a request. The services queue these
once their transaction commits; the tasks read what they need again, since the world may
have changed by the time a worker runs them."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.tokens import verification_token_make
from core.mail import retry_on_mail_errors


@task
@retry_on_mail_errors
def send_verification_email(*, user_id: int, next_url: str = "") -> bool:
    """E-mail a link confirming the current address of account ``user_id``. Sends nothing
    (and returns ``False``) if the account is gone or its address is confirmed."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified_at is not None or not user.email:
        return False
    token = verification_token_make(user=user, next_url=next_url)
    context = {
        "user": user,
        "verify_url": settings.SITE_URL + reverse("accounts:verify", kwargs={"token": token}),
        "days": settings.ACCOUNT_VERIFICATION_DAYS,
    }
    _send(template="verification", to=user.email, context=context)
    return True


@task
@retry_on_mail_errors
def send_signup_attempt_email(*, user_id: int) -> bool:
    """Tell the owner of account ``user_id`` that someone tried to join with their address,
    with links to sign in and to reset the password. Returns ``False`` if the account is
    gone."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    context = {
        "user": user,
        "login_url": settings.SITE_URL + reverse("accounts:login"),
        "password_reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
    }
    _send(template="signup_attempt_existing", to=user.email, context=context)
    return True


@task
@retry_on_mail_errors
def send_prepared_email(*, subject: str, body: str, to: str) -> None:
    """Send an e-mail whose text was written in the request (a password reset link), so
    the request answers at once and at the same speed whether or not it had an account."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=[to], headers={"Auto-Submitted": "auto-generated"}
    )
    mailers.default.send_messages([message])


def _send(*, template: str, to: str, context: dict) -> None:
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    # Sent from a worker, outside any request: use the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        body = render_to_string(f"accounts/email/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        to=[to],
        headers={"Auto-Submitted": "auto-generated"},
    )
    mailers.default.send_messages([message])

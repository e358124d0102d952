"""Joining and confirming an e-mail address.

A new account can sign in at once but comments only once its e-mail address is confirmed
through a signed link (``accounts.tokens``). Signing up with an address that already has an
account creates nothing and reveals nothing: the owner of that address is told by e-mail
instead. E-mails go out through the tasks of ``accounts.tasks`` once the transaction
commits.
"""

import math
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import User
from accounts.ratelimit import rate_limit
from accounts.tasks import send_signup_attempt_email, send_verification_email
from accounts.tokens import verification_token_read

RESEND_INTERVAL_SECONDS = 60


# --- What can go wrong --------------------------------------------------------


class VerificationError(Exception):
    """A verification link that cannot confirm anything; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class VerificationLinkInvalid(VerificationError):
    """A link that was changed, is incomplete, or names an account or address that is no
    longer there."""


class VerificationLinkExpired(VerificationError):
    """A link older than ``settings.ACCOUNT_VERIFICATION_DAYS`` days."""


class EmailAlreadyVerified(VerificationError):
    """The address the link confirms is already confirmed: nothing left to do."""

    def __init__(self, message: str, *, user: User, next_url: str = "") -> None:
        super().__init__(message)
        self.user = user
        self.next_url = next_url


class VerificationResendTooSoon(Exception):
    """A new link was asked for too soon after the last one."""

    def __init__(self, seconds_left: int) -> None:
        super().__init__(f"Try again in {seconds_left} seconds.")
        self.seconds_left = seconds_left


class TooManyEmails(Exception):
    """More e-mails were asked for, to one address or from one IP address, than the limits
    allow; ``message`` is for people and says nothing about whether an account exists."""

    def __init__(self, seconds_left: int) -> None:
        minutes = math.ceil(seconds_left / 60)
        self.seconds_left = seconds_left
        self.message = ngettext(
            "Sorry, we’ve sent as many e-mails to that address, or for your connection, as "
            "we can for now. Please try again in %(n)s minute.",
            "Sorry, we’ve sent as many e-mails to that address, or for your connection, as "
            "we can for now. Please try again in %(n)s minutes.",
            minutes,
        ) % {"n": minutes}
        super().__init__(self.message)


@dataclass(frozen=True)
class PendingVerification:
    """A valid link for an address not yet confirmed."""

    user: User
    next_url: str


# --- Limits -------------------------------------------------------------------


def account_email_limit(*, email: str, ip: str) -> None:
    """Count one e-mail asked for to ``email`` from ``ip`` (a sign-up, a new confirmation
    link, a password reset) against the hourly limits per address and per IP address
    (``ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR``, ``ACCOUNT_EMAILS_PER_IP_PER_HOUR``).

    Counted whether or not an account uses the address, so being refused says nothing about
    accounts. Raises ``TooManyEmails`` with the seconds left when either limit is reached.
    """
    hour = 60 * 60
    waits = [
        rate_limit(
            "accounts:email:address",
            email.strip().lower(),
            limit=settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR,
            seconds=hour,
        )
    ]
    if ip:
        waits.append(
            rate_limit(
                "accounts:email:ip",
                ip,
                limit=settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR,
                seconds=hour,
            )
        )
    if max(waits):
        raise TooManyEmails(max(waits))


# --- Joining ------------------------------------------------------------------


def user_signup(
    *, username: str, email: str, password: str, next_url: str = "", ip: str = ""
) -> User | None:
    """Create an account with an unconfirmed e-mail address and e-mail it a link (whose
    confirmation page then points at ``next_url``, a path on this site).

    Returns the new user, or ``None`` when ``email`` (in any letter case) already belongs to
    an account: then nothing is created, and that account's owner is told by e-mail that
    someone tried to join with their address. Raises ``TooManyEmails``, creating and
    sending nothing, past the e-mail limits for the address or for ``ip`` (see
    ``account_email_limit``), and ``ValidationError`` (on ``username``) if another sign-up
    took the username in the meantime. Password validation is the form's job.
    """
    email = User.objects.normalize_email(email.strip())
    account_email_limit(email=email, ip=ip)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        # Hash anyway, so the answer takes as long as for a new account.
        make_password(password)
        _signup_attempt_queue(user=existing)
        return None
    try:
        with transaction.atomic():
            user = User(username=username, email=email)
            user.set_password(password)
            user.save()
            verification_send(user=user, next_url=next_url)
    except IntegrityError:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            raise ValidationError(
                {"username": "Someone has just taken that username. Please choose another."}
            ) from None
        _signup_attempt_queue(user=existing)
        return None
    return user


def _signup_attempt_queue(*, user: User) -> None:
    if user.is_active:
        user_id = user.pk
        transaction.on_commit(lambda: send_signup_attempt_email.enqueue(user_id=user_id))


# --- Confirming the address ---------------------------------------------------


def verification_send(*, user: User, next_url: str = "") -> None:
    """Queue an e-mail with a link confirming ``user``'s current address; it goes out when
    the current transaction commits. ``next_url`` (a path on this site) is where the
    confirmation page points afterwards. Sends nothing for an address already confirmed."""
    if user.email_verified_at is not None or not user.email:
        return
    user_id = user.pk
    transaction.on_commit(
        lambda: send_verification_email.enqueue(user_id=user_id, next_url=next_url)
    )


def verification_resend(*, user: User, next_url: str = "", ip: str = "") -> None:
    """Send ``user`` a new verification link, at most one per ``RESEND_INTERVAL_SECONDS``.

    Raises ``VerificationResendTooSoon`` with the seconds left when asked again too soon,
    and ``TooManyEmails`` past the e-mail limits for the address or for ``ip`` (see
    ``account_email_limit``).
    """
    seconds_left = rate_limit(
        "accounts:verification-resend", str(user.pk), limit=1, seconds=RESEND_INTERVAL_SECONDS
    )
    if seconds_left:
        raise VerificationResendTooSoon(seconds_left)
    account_email_limit(email=user.email, ip=ip)
    verification_send(user=user, next_url=next_url)


def verification_check(*, token: str) -> PendingVerification:
    """The account and next page a verification link names, changing nothing (mail scanners
    open links before people do).

    Raises ``VerificationLinkInvalid`` for a changed or malformed link, an account that is
    gone or deactivated, or an address the account no longer uses;
    ``EmailAlreadyVerified`` when that address is already confirmed (even if the link has
    expired since); ``VerificationLinkExpired`` for an old link.
    """
    try:
        claim = verification_token_read(token=token)
    except signing.BadSignature:
        raise VerificationLinkInvalid(
            "This link isn’t complete or has been changed. Please copy the whole link from "
            "the e-mail, or ask for a new one."
        ) from None
    user = User.objects.filter(pk=claim.user_id, is_active=True).first()
    if user is None:
        raise VerificationLinkInvalid("This link is for an account that no longer exists.")
    if user.email.lower() != claim.email.lower():
        raise VerificationLinkInvalid(
            "This link was sent to an address your account no longer uses. Ask for a new "
            "link and we’ll send it to your current address."
        )
    if user.email_verified_at is not None:
        raise EmailAlreadyVerified(
            "Your e-mail address is already confirmed. You’re all set.",
            user=user,
            next_url=claim.next_url,
        )
    if claim.is_expired:
        days = settings.ACCOUNT_VERIFICATION_DAYS
        raise VerificationLinkExpired(
            f"This link has expired: links work for {days} day{'s' if days != 1 else ''}. "
            "Ask for a new one and we’ll send it straight away."
        )
    return PendingVerification(user=user, next_url=claim.next_url)


def verification_confirm(*, token: str) -> User:
    """Mark the address a verification link names as confirmed and return the account.

    Raises what ``verification_check`` raises; a link used twice raises
    ``EmailAlreadyVerified``.
    """
    pending = verification_check(token=token)
    user = pending.user
    now = timezone.now()
    # One conditional UPDATE, so two clicks at once confirm once.
    confirmed = User.objects.filter(
        pk=user.pk, email=user.email, email_verified_at__isnull=True, is_active=True
    ).update(email_verified_at=now)
    if not confirmed:
        verification_check(token=token)  # raises the reason
        raise VerificationLinkInvalid("This link can’t be used. Please ask for a new one.")
    user.email_verified_at = now
    return user


# --- Signing in ---------------------------------------------------------------


def sign_in_unlock(*, user: User) -> int:
    """Clear the failed sign-ins recorded for ``user`` from every address (as after a
    password reset), so a locked-out member can sign in again. Returns how many records
    were removed."""
    return axes_reset(username=user.get_username())

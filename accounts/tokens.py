"""The signed links that confirm a member's e-mail address.

A token carries the member's id and the address it was sent to, signed with the site's
secret and a timestamp. It needs no table: it stops working when it is older than
``settings.ACCOUNT_VERIFICATION_DAYS`` days, and a link sent to an old address does not
confirm a new one, because the address inside must match the account's current one.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

from accounts.models import User

VERIFICATION_SALT = "accounts.verification"


@dataclass(frozen=True)
class VerificationClaim:
    """What a verification token says: whose account, which address, where to go after."""

    user_id: int
    email: str
    next_url: str
    is_expired: bool


def verification_max_age() -> timedelta:
    """How long a verification link works."""
    return timedelta(days=settings.ACCOUNT_VERIFICATION_DAYS)


def verification_token_make(*, user: User, next_url: str = "") -> str:
    """A URL-safe token confirming ``user``'s current e-mail address."""
    payload = {"u": user.pk, "e": user.email}
    if next_url:
        payload["n"] = next_url
    return signing.dumps(payload, salt=VERIFICATION_SALT, compress=True)


def verification_token_read(*, token: str) -> VerificationClaim:
    """Read a token made by ``verification_token_make``.

    An expired token is still read (``is_expired`` says so), so the page can tell a member
    whose address is already confirmed that all is well. Raises ``signing.BadSignature`` for
    a token that is not ours, was changed or is malformed.
    """
    try:
        payload = signing.loads(token, salt=VERIFICATION_SALT, max_age=verification_max_age())
        is_expired = False
    except signing.SignatureExpired:
        payload = signing.loads(token, salt=VERIFICATION_SALT)
        is_expired = True
    try:
        user_id, email = int(payload["u"]), str(payload["e"])
        next_url = str(payload.get("n", ""))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise signing.BadSignature("The token's contents are not what we make.") from None
    return VerificationClaim(user_id=user_id, email=email, next_url=next_url, is_expired=is_expired)

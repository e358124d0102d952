"""Who is suspended: the reads behind the comment form, the posting service and the
moderators' pages. Suspensions are written by ``comments.services.suspensions``.

Who a suspension covers, the one rule (``suspension_matching``): a member by their account
and by the address they signed up with; a guest by every address they give (the one on the
form, and the one their browser remembers for them); and a guest by their hashed network
address when the moderator asked for that too. Members are never refused for an address
alone: people behind one address (an office, a phone network) are different people, and a
member has an account to be suspended by.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q

from accounts.models import User
from comments import rules
from comments.models import Suspension


def normal_email(address: str) -> str:
    """An address as suspensions store and look it up: trimmed, in lower case."""
    return address.strip().lower()


def _addresses(user: User | None, emails: Iterable[str]) -> set[str]:
    found = {normal_email(address) for address in emails if address and address.strip()}
    if user is not None and user.email:
        found.add(normal_email(user.email))
    return found


def suspension_matching(*, user: User | None, emails: Iterable[str] = (), ip_hash: str = "") -> Q:
    """The suspensions that cover one sender (see the module's docstring): ``user`` for a
    member (None for a guest), the addresses they give, and a guest's hashed address."""
    covers = Q(pk__in=[])
    if user is not None:
        covers |= Q(user=user)
    addresses = _addresses(user, emails)
    if addresses:
        covers |= Q(email__in=sorted(addresses))
    if user is None and ip_hash:
        covers |= Q(ip_hash=ip_hash)
    return covers


def suspension_active_for(
    *,
    user: User | None,
    emails: Iterable[str] = (),
    ip_hash: str = "",
    now: datetime | None = None,
) -> Suspension | None:
    """The active suspension covering this sender that ends last (one for good before any
    other), with its guideline; None when they may comment. One query."""
    covers = suspension_matching(user=user, emails=emails, ip_hash=ip_hash)
    return (
        Suspension.objects.active(now)
        .filter(covers)
        .select_related("guideline")
        .order_by(F("ends_at").desc(nulls_first=True), "-pk")
        .first()
    )


@dataclass(frozen=True)
class SuspendedPeople:
    """Every member and address under an active suspension, with when it ends (a POSIX
    time; infinity for good): small enough to keep in the shared cache
    (``comments.caching.suspended_people_for``), so a post page learns that its reader is
    not suspended without a query. Whether a suspension still holds is asked of the clock
    each time, so one that runs out ends on time however long this is kept."""

    users: dict[int, float]
    emails: dict[str, float]

    def cover(self, *, user: User | None, emails: Iterable[str] = (), now: datetime) -> bool:
        """Whether a suspension covers this reader (``suspension_matching``, but for the
        hashed address, which a page never asks about) at ``now``."""
        ends = [self.users.get(user.pk, -math.inf)] if user is not None else []
        ends += [self.emails.get(address, -math.inf) for address in _addresses(user, emails)]
        return any(end > now.timestamp() for end in ends)


def suspended_people(*, now: datetime | None = None) -> SuspendedPeople:
    """The members and addresses under an active suspension at ``now``; one query."""
    users: dict[int, float] = {}
    emails: dict[str, float] = {}
    rows = Suspension.objects.active(now).values_list("user_id", "email", "ends_at")
    for user_id, email, ends_at in rows:
        end = math.inf if ends_at is None else ends_at.timestamp()
        if user_id is not None:
            users[user_id] = max(end, users.get(user_id, -math.inf))
        if email:
            emails[email] = max(end, emails.get(email, -math.inf))
    return SuspendedPeople(users=users, emails=emails)


def suspension_notice(suspension: Suspension) -> str:
    """What the person ``suspension`` covers is told (``rules.suspension_message``); its
    guideline should be loaded with it (``suspension_active_for`` does)."""
    return rules.suspension_message(
        ends_at=suspension.ends_at,
        guideline_number=suspension.guideline.number,
        guideline_title=suspension.guideline.title,
    )

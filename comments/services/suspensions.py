"""Suspending people from commenting, lifting a suspension, and "Remove everything by this
person".

Moderators only (``user_may_moderate``, the one rule for who moderates). A suspension is
written once; lifting it fills in who lifted it, when and why; running out writes nothing:
its state is worked out from the clock when it is read (``Suspension.state_at``), so no
scheduled job has to run for a suspension to end on time. Every saved suspension moves the
shared pages' version (``core.receivers``), which the cached list of suspended people is
kept under (``comments.caching.suspended_people_for``), so the comment form changes at the
next request on every app instance. Who a suspension covers is
``comments.selectors.suspensions.suspension_matching``.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from comments import rules
from comments.models import Comment, Guideline, Suspension
from comments.selectors.suspensions import normal_email, suspension_active_for
from comments.services.moderation import ModerationRefused, comment_hide, user_may_moderate

# What the moderation log says moved the comments "Remove everything" hides.
REMOVE_EVERYTHING_RULE = "everything by this person"


class SuspensionRefused(Exception):
    """A suspension or lift that is not allowed; ``message`` is for the moderator, ``code``
    says why: ``forbidden``, ``invalid`` or ``state`` (already suspended, already over)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Person:
    """Someone a moderator can suspend: a member (``user``, with their address in ``email``)
    or a guest (``email``), the name they comment under, and the hashed address of the
    comment they were found by, if any."""

    user: User | None
    email: str
    name: str
    ip_hash: str = ""

    @property
    def key(self) -> str:
        """One string per person, so one person found through several comments is one."""
        return f"user:{self.user.pk}" if self.user is not None else f"guest:{self.email}"

    @property
    def label(self) -> str:
        """How moderators' pages name them: "Rex Rude (guest)", "Ann (member ann)"."""
        if self.user is not None:
            return _("%(name)s (member %(username)s)") % {
                "name": self.name,
                "username": self.user.username,
            }
        return _("%(name)s (guest)") % {"name": self.name or self.email}


def person_of_comment(comment: Comment) -> Person | None:
    """Who wrote ``comment``, or None when nobody can be suspended for it: it was purged,
    its member closed their account, or its guest left no address."""
    if not rules.comment_has_author(user_id=comment.user_id, guest_name=comment.guest_name):
        return None
    if comment.user_id is not None:
        user = comment.user
        return Person(user, normal_email(user.email), user.public_name, comment.ip_hash)
    if not comment.guest_email.strip():
        return None
    return Person(None, normal_email(comment.guest_email), comment.guest_name, comment.ip_hash)


def person_published_comments(person: Person) -> QuerySet:
    """``person``'s published comments, as the flood and first-time rules count one person's
    comments (``rules.written_by``): a member's, with those they wrote as a guest under
    their address; a guest's, by address. What "Remove everything" hides."""
    return Comment.objects.published().filter(
        rules.written_by(user=person.user, guest_email=person.email)
    )


class Suspended(NamedTuple):
    """What ``suspension_create`` did: the suspension, and how many comments it hid."""

    suspension: Suspension
    hidden: int

    def summary(self, person: Person) -> str:
        """What the moderator is told: who, until when, how many comments were hidden."""
        if self.suspension.ends_at is None:
            said = _("%(who)s can no longer comment.") % {"who": person.label}
        else:
            said = _("%(who)s can’t comment until %(until)s.") % {
                "who": person.label,
                "until": rules.suspension_end_words(self.suspension.ends_at),
            }
        if self.hidden:
            hidden = ngettext(
                "%(count)d comment hidden.", "%(count)d comments hidden.", self.hidden
            )
            said += " " + hidden % {"count": self.hidden}
        return said


def _refusal(person: Person, guideline: Guideline | None) -> str | None:
    if guideline is None:
        return _("Choose the guideline they broke.")
    if person.user is None and not person.email:
        return _("There is nobody to suspend: give a member or a guest’s e-mail address.")
    if person.user is not None and user_may_moderate(person.user):
        return _("%(name)s is a moderator. Take away their role before suspending them.") % {
            "name": person.name
        }
    return None


def suspension_create(
    *,
    person: Person,
    moderator: User,
    guideline: Guideline | None,
    days: int | None,
    note: str = "",
    by_address: bool = False,
    remove_comments: bool = False,
) -> Suspended:
    """Suspend ``person`` from commenting for ``days`` days (None: for good) for breaking
    ``guideline``; with ``by_address``, guest comments from the hashed address they were
    found by are refused too; with ``remove_comments``, every comment they have published is
    hidden as well (``person_comments_remove``), in the same transaction.

    Refuses (``SuspensionRefused``, nothing stored) anyone but a moderator, no guideline,
    nobody to suspend, a moderator, a length under a day, ``by_address`` without an
    address, and someone already suspended (lift that first, to change it)."""
    if not user_may_moderate(moderator):
        raise SuspensionRefused(_("Only moderators can suspend people."), code="forbidden")
    refusal = _refusal(person, guideline)
    if refusal is not None:
        raise SuspensionRefused(refusal, code="invalid")
    if days is not None and days < 1:
        raise SuspensionRefused(_("A suspension lasts at least a day."), code="invalid")
    if by_address and not person.ip_hash:
        raise SuspensionRefused(
            _("We have no address for %(name)s to refuse.") % {"name": person.name},
            code="invalid",
        )
    current = suspension_active_for(user=person.user, emails=[person.email])
    if current is not None:
        raise SuspensionRefused(
            _("%(name)s is already suspended. Lift that suspension first to change it.")
            % {"name": person.label},
            code="state",
        )
    now = timezone.now()
    with transaction.atomic():
        suspension = Suspension.objects.create(
            user=person.user,
            email=person.email,
            name=person.name[:100],
            ip_hash=person.ip_hash if by_address else "",
            guideline=guideline,
            note=note,
            created_at=now,
            created_by=moderator,
            ends_at=None if days is None else now + timedelta(days=days),
        )
        hidden = 0
        if remove_comments:
            hidden = person_comments_remove(
                person=person, moderator=moderator, guideline=guideline, note=note
            )
    return Suspended(suspension, hidden)


def person_comments_remove(
    *, person: Person, moderator: User, guideline: Guideline, note: str = ""
) -> int:
    """Hide every comment ``person`` has published ("Remove everything by this person") and
    return how many were hidden. Each goes through ``comment_hide``, so each gets its own
    entry in the moderation log (rule ``REMOVE_EVERYTHING_RULE``), its reports are upheld
    and its post's count, version and caches follow; nothing is deleted, and each can be
    restored. Their authors are not e-mailed once per comment. A comment another moderator
    changed meanwhile is left as it is. Refuses (``ModerationRefused``) anyone but a
    moderator."""
    if not user_may_moderate(moderator):
        raise ModerationRefused(_("Only moderators can hide comments."), code="forbidden")
    hidden = 0
    with transaction.atomic():
        for comment in person_published_comments(person).only("pk").order_by("pk"):
            try:
                comment_hide(
                    comment=comment,
                    moderator=moderator,
                    guideline=guideline,
                    note=note,
                    rule=REMOVE_EVERYTHING_RULE,
                    notify_author=False,
                )
            except ModerationRefused:
                continue
            hidden += 1
    return hidden


def suspension_lift(*, suspension: Suspension, moderator: User, note: str = "") -> Suspension:
    """End ``suspension`` now, recording who lifted it and why, and return it. Refuses
    anyone but a moderator, and a suspension already lifted or run out."""
    if not user_may_moderate(moderator):
        raise SuspensionRefused(_("Only moderators can lift suspensions."), code="forbidden")
    with transaction.atomic():
        locked = Suspension.objects.select_for_update().filter(pk=suspension.pk).first()
        if locked is None:
            raise SuspensionRefused(_("This suspension no longer exists."), code="invalid")
        now = timezone.now()
        state = locked.state_at(now)
        if state != Suspension.State.ACTIVE:
            message = {
                Suspension.State.LIFTED: _("This suspension has already been lifted."),
                Suspension.State.EXPIRED: _("This suspension has already run out."),
            }[state]
            raise SuspensionRefused(message, code="state")
        locked.lifted_at = now
        locked.lifted_by = moderator
        locked.lift_note = note
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    for field in ("lifted_at", "lifted_by", "lift_note"):
        setattr(suspension, field, getattr(locked, field))
    return suspension

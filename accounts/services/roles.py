"""Giving and taking the staff roles, with the staff flag kept in step.

Whoever is in a staff role group (Editors, Moderators, Contributors), and every superuser, may
sign in to the admin; nobody else may. These services are the only code that
changes someone's roles or staff flag, so nobody has to remember the flag.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import CONTRIBUTORS, EDITORS, MODERATORS

STAFF_ROLES = (EDITORS, MODERATORS, CONTRIBUTORS)


def _role_group(role: str) -> Group:
    if role not in STAFF_ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {', '.join(STAFF_ROLES)}.")
    group, _created = Group.objects.get_or_create(name=role)
    return group


@transaction.atomic
def user_role_grant(*, user: User, role: str) -> User:
    """Add ``user`` to the ``role`` group (Editors, Moderators or Contributors) and make them
    staff.

    Granting a role someone already has changes nothing. Refuses a deleted account
    (ValidationError) and an unknown role (ValueError).
    """
    group = _role_group(role)
    if user.deleted_at is not None:
        raise ValidationError(
            _("%(name)s deleted their account and can’t be given a role.")
            % {"name": user.username},
            code="deleted",
        )
    user.groups.add(group)
    return user_staff_flag_sync(user=user)


@transaction.atomic
def user_role_revoke(*, user: User, role: str) -> User:
    """Remove ``user`` from the ``role`` group; they stop being staff when it was their last
    staff role, unless they are a superuser. Revoking a role someone lacks changes nothing.
    Refuses an unknown role (ValueError)."""
    group = _role_group(role)
    user.groups.remove(group)
    return user_staff_flag_sync(user=user)


@transaction.atomic
def user_staff_flag_sync(*, user: User) -> User:
    """Set ``user.is_staff`` from their roles: True for superusers and for members of a staff
    role group, False for everyone else. Saves only when the flag changes."""
    is_staff = user.is_superuser or user.groups.filter(name__in=STAFF_ROLES).exists()
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    return user

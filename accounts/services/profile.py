"""A member's own account: changing their profile, exporting their data, leaving.

Other apps show a member's name and avatar (threads are cached with them) and keep data
tied to the member (comments). accounts does not know them: it sends the signals of
``accounts.signals`` inside its transactions, and those apps act on them.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import signals
from accounts.avatars import avatar_process
from accounts.models import User
from core.storage import STORAGE_ERRORS, storage_unavailable


def _delete_file_on_commit(field_file) -> None:
    """Delete the stored file once the transaction commits, so a rollback keeps it."""
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def profile_update(
    *,
    user: User,
    display_name: str,
    byline_title: str,
    bio: str,
    notify_replies_default: bool,
    notify_on_post_comments: bool,
    avatar=None,
    remove_avatar: bool = False,
) -> User:
    """Store ``user``'s profile and return it.

    ``avatar`` is a picture made by ``accounts.avatars.avatar_process``; a raw upload is run
    through it first (so it is refused, with ValidationError, unless it is a proper
    picture). A new avatar replaces the old one and ``remove_avatar`` drops it; the old
    file leaves storage once the change is committed. When the name or avatar shown next
    to what the member wrote changes, ``member_appearance_changed`` is sent in the same
    transaction (comments moves the version of every thread that shows them). An avatar
    the storage fails to keep is refused (ValidationError, code ``storage_unavailable``)
    and nothing changes.
    """
    if isinstance(avatar, UploadedFile):
        avatar = avatar_process(avatar)
    shown_before = (user.public_name, user.avatar.name or "")
    replaces_avatar = avatar is not None or remove_avatar

    user.display_name = display_name.strip()
    user.byline_title = byline_title.strip()
    user.bio = bio.strip()
    user.notify_replies_default = notify_replies_default
    user.notify_on_post_comments = notify_on_post_comments
    fields = [
        "display_name",
        "byline_title",
        "bio",
        "notify_replies_default",
        "notify_on_post_comments",
    ]
    # Checked before any file is stored; no query (the unique fields are left out).
    user.full_clean(exclude=["password", "username", "email", "avatar"])
    with transaction.atomic():
        if replaces_avatar:
            _delete_file_on_commit(user.avatar)
        if avatar is not None:
            # Stored under upload_to (avatars/YYYY/MM/) with the new random name.
            try:
                user.avatar.save(avatar.name, avatar, save=False)
            except STORAGE_ERRORS as error:
                raise storage_unavailable("avatar") from error
            fields.append("avatar")
        elif remove_avatar:
            user.avatar = ""
            fields.append("avatar")
        user.save(update_fields=fields)
        if (user.public_name, user.avatar.name or "") != shown_before:
            signals.member_appearance_changed.send(sender=User, user=user)
    return user


def account_export(*, user: User) -> dict[str, Any]:
    """What a member may download about themselves: their account, then the sections the
    other apps add through ``account_exporting`` (comments adds every comment they wrote)."""
    data: dict[str, Any] = {
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
        },
    }
    for _receiver, sections in signals.account_exporting.send(sender=User, user=user):
        data.update(sections)
    return data


def account_delete(*, user: User, password: str) -> None:
    """Close ``user``'s account for good and remove their personal data.

    ``account_closing`` is sent first, in the same transaction: comments keeps the member's
    comments where they are, so threads keep their shape, but they belong to nobody: they
    show as “Former member”, and no e-mail, IP hash or browser is kept with them. The
    account row stays (emptied, deactivated, unusable password, no roles) so nothing that
    pointed at it breaks; the avatar file leaves storage once this commits.

    Refuses (ValidationError, nothing changed) a wrong password (code ``wrong_password``)
    and the last active superuser (code ``last_superuser``), who would lock everyone out of
    the admin.
    """
    if not password or not user.check_password(password):
        raise ValidationError(
            _("That password isn’t right, so your account was not deleted."),
            code="wrong_password",
        )
    account_close(user=user)


def account_close(*, user: User) -> None:
    """Everything ``account_delete`` does after the password check; an administrator
    closing an account in the admin comes here directly. Refuses the last active
    superuser."""
    with transaction.atomic():
        # Locks the rows, so two superusers leaving at once cannot both pass the check.
        superusers = list(
            User.objects.select_for_update()
            .filter(is_superuser=True, is_active=True)
            .values_list("pk", flat=True)
        )
        if user.is_superuser and superusers == [user.pk]:
            raise ValidationError(
                _(
                    "You are the last active administrator (superuser), so this account "
                    "can’t be deleted. Make someone else a superuser first."
                ),
                code="last_superuser",
            )
        signals.account_closing.send(sender=User, user=user)
        _delete_file_on_commit(user.avatar)
        user.username = f"deleted-{user.pk}"
        user.email = f"deleted-{user.pk}@invalid"
        user.first_name = user.last_name = user.display_name = ""
        user.byline_title = user.bio = ""
        user.avatar = ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.notify_on_post_comments = user.notify_replies_default = False
        user.email_verified_at = None
        user.last_login = None
        user.deleted_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()

"""People and their roles in the admin, for superusers only.

Roles are given and taken through ``accounts.services.roles``, which keeps the
staff flag in step, so the flag is shown but never edited by hand.
"""

from collections.abc import Callable

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.forms.admin import UserAdminForm
from accounts.models import User
from accounts.roles import CONTRIBUTORS, EDITORS, MODERATORS
from accounts.services.profile import account_close, profile_update
from accounts.services.roles import user_role_grant, user_role_revoke, user_staff_flag_sync


class SuperuserOnlyMixin:
    """Only superusers see or change this, whatever permissions a group is given:
    whoever may edit people or groups may make themselves anything."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, DjangoUserAdmin):
    form = UserAdminForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Public profile"),
            {
                "fields": (
                    "display_name",
                    "byline_title",
                    "bio",
                    "current_avatar",
                    "avatar",
                    "remove_avatar",
                )
            },
        ),
        (
            _("E-mail"),
            {
                "fields": (
                    "email_verified_at",
                    "notify_on_post_comments",
                    "notify_replies_default",
                )
            },
        ),
        (
            _("Roles and permissions"),
            {
                "fields": ("is_active", "is_superuser", "is_staff", "groups", "user_permissions"),
                "description": _(
                    "Staff status follows the roles: members of Editors, Moderators or "
                    "Contributors, and superusers, may sign in to the admin. It is set when "
                    "you save."
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "deleted_at")}),
    )
    readonly_fields = ("is_staff", "deleted_at", "current_avatar")
    list_display = (
        "username",
        "email",
        "display_name",
        "roles",
        "is_verified",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "email", "display_name", "first_name", "last_name")
    actions = (
        "make_editor",
        "make_moderator",
        "make_contributor",
        "remove_from_editors",
        "remove_from_moderators",
        "remove_from_contributors",
        "close_accounts",
    )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A hard delete would skip the anonymising that keeps threads whole; accounts are
        # closed with the "Close accounts" action instead (this also drops the bulk delete).
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            # The profile goes through the profile page's service: the avatar is resized
            # and stripped, and the threads showing this person are renewed. The form's
            # checks ran already; the service's own refusals are the same ones.
            profile_update(user=obj, **form.profile_arguments(obj))

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # The groups are saved only now, so the staff flag follows them here.
        user_staff_flag_sync(user=form.instance)

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        # From the prefetched groups: no query per row.
        names = sorted(group.name for group in user.groups.all())
        return ", ".join(names) or self.get_empty_value_display()

    @admin.display(description=_("current avatar"))
    def current_avatar(self, user: User) -> str:
        if not user.avatar:
            return self.get_empty_value_display()
        return format_html(
            '<img src="{}" width="64" height="64" alt="{}">', user.avatar.url, user.public_name
        )

    @admin.display(description=_("e-mail confirmed"), boolean=True, ordering="email_verified_at")
    def is_verified(self, user: User) -> bool:
        return user.email_verified_at is not None

    # Roles

    @admin.action(description=_("Make editor"))
    def make_editor(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, user_role_grant, EDITORS, _made_editors)

    @admin.action(description=_("Make moderator"))
    def make_moderator(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, user_role_grant, MODERATORS, _made_moderators)

    @admin.action(description=_("Make contributor (writes, editors publish)"))
    def make_contributor(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, user_role_grant, CONTRIBUTORS, _made_contributors)

    @admin.action(description=_("Remove from Editors"))
    def remove_from_editors(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, user_role_revoke, EDITORS, _no_longer_editors)

    @admin.action(description=_("Remove from Moderators"))
    def remove_from_moderators(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, user_role_revoke, MODERATORS, _no_longer_moderators)

    @admin.action(description=_("Remove from Contributors"))
    def remove_from_contributors(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, user_role_revoke, CONTRIBUTORS, _no_longer_contributors)

    @admin.action(description=_("Close accounts (their comments stay, as “Former member”)"))
    def close_accounts(self, request: HttpRequest, queryset: QuerySet) -> None:
        closed = 0
        for user in queryset.filter(deleted_at__isnull=True):
            try:
                account_close(user=user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                closed += 1
        if closed:
            self.message_user(
                request,
                ngettext("%(count)d account closed.", "%(count)d accounts closed.", closed)
                % {"count": closed},
                messages.SUCCESS,
            )

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        service: Callable[..., User],
        role: str,
        message: Callable[[int], str],
    ) -> None:
        # One person at a time through the service; a refusal is named and the
        # others still go through.
        done = 0
        for user in queryset:
            try:
                service(user=user, role=role)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, message(done), messages.SUCCESS)


def _made_editors(count: int) -> str:
    return ngettext(
        "%(count)d person is now an editor.", "%(count)d people are now editors.", count
    ) % {"count": count}


def _made_moderators(count: int) -> str:
    return ngettext(
        "%(count)d person is now a moderator.", "%(count)d people are now moderators.", count
    ) % {"count": count}


def _made_contributors(count: int) -> str:
    return ngettext(
        "%(count)d person is now a contributor.", "%(count)d people are now contributors.", count
    ) % {"count": count}


def _no_longer_editors(count: int) -> str:
    return ngettext(
        "%(count)d person is no longer an editor.", "%(count)d people are no longer editors.", count
    ) % {"count": count}


def _no_longer_moderators(count: int) -> str:
    return ngettext(
        "%(count)d person is no longer a moderator.",
        "%(count)d people are no longer moderators.",
        count,
    ) % {"count": count}


def _no_longer_contributors(count: int) -> str:
    return ngettext(
        "%(count)d person is no longer a contributor.",
        "%(count)d people are no longer contributors.",
        count,
    ) % {"count": count}


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyMixin, DjangoGroupAdmin):
    pass


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """django-axes' failed sign-ins, with its clean-up action working."""

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet) -> None:
        # django-axes takes "now" from an attribute only its sign-in handler sets, so the
        # action failed with an AttributeError (a 500) on every click; None means now.
        request.axes_attempt_time = None
        super().cleanup_expired_attempts(request, queryset)

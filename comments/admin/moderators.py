"""What the moderators' own admin pages share: who may use them (``user_may_moderate``, the
one rule for who moderates), where an action runs, and how a confirmation page carries an
action's selection back."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.http import HttpRequest

from comments.services import user_may_moderate

EVERYWHERE = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
# Django names the change page's action field with this prefix.
CHANGE_FORM_ACTION = f"{admin.ActionLocation.CHANGE_FORM.value}-action"
# The field a confirmation page sends back, set to "yes", to say it was confirmed.
CONFIRMED = "_confirm"


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED) == "yes"


class ModeratorsOnly:
    """A model admin that moderators see and nobody adds to or deletes from here: the
    rows are written by the site and the services."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return user_may_moderate(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return user_may_moderate(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def selection(request: HttpRequest, action: str) -> dict:
    """What a confirmation page posts back to run ``action`` again on the same selection,
    from the list or from one object's page (``admin/comments/_selection.html``)."""
    on_change_form = CHANGE_FORM_ACTION in request.POST
    return {
        "action_name": action,
        "action_field": CHANGE_FORM_ACTION if on_change_form else "action",
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "select_across": not on_change_form and request.POST.get("select_across") == "1",
        "confirm_field": CONFIRMED,
        "back_url": request.get_full_path(),
    }

"""A member's own account: profile, export of their comments, deleting the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms.profile import AccountDeleteForm, ProfileForm
from accounts.services.profile import account_delete, account_export, profile_update


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The member's profile and e-mail preferences."""
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                profile_update(user=request.user, **form.service_arguments())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("accounts:profile")
    else:
        form = ProfileForm(user=request.user)
    return render(request, "accounts/profile.html", {"form": form})


@never_cache
@login_required
@require_GET
def export_comments(request: HttpRequest) -> HttpResponse:
    """A JSON download of the member's account details and every comment they wrote."""
    data = account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"tribune-comments-{request.user.username}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """What deleting an account does, and the password confirmation that does it."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            field = "password" if error.code == "wrong_password" else None
            form.add_error(field, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("blog:home")
    return render(request, "accounts/delete.html", {"form": form})

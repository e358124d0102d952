"""Joining, confirming the e-mail address, signing in and out, and passwords.

Django's own auth views do the signing in and the passwords; these subclasses only point
them at this app's pages and messages.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods

from accounts.forms.registration import PasswordResetForm, SignupForm
from accounts.ratelimit import client_ip
from accounts.services.registration import (
    EmailAlreadyVerified,
    TooManyEmails,
    VerificationError,
    VerificationLinkExpired,
    VerificationResendTooSoon,
    account_email_limit,
    sign_in_unlock,
    user_signup,
    verification_check,
    verification_confirm,
    verification_resend,
)

SIGNUP_EMAIL_SESSION_KEY = "accounts_signup_email"
MODEL_BACKEND = "accounts.backends.MemberBackend"


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` if it points at this site, otherwise an empty string."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


# --- Joining ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """The sign-up form. Whether or not the e-mail address already has an account, the
    visitor lands on the same "check your e-mail" page."""
    if request.user.is_authenticated:
        messages.info(request, "You’re already signed in.")
        return redirect("blog:home")
    form = SignupForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_signup(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                next_url=_safe_next(request, data["next"]),
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        except TooManyEmails as error:
            form.add_error(None, error.message)
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        else:
            # Nobody is signed in here, new address or taken: a different page frame
            # would tell a stranger which addresses have accounts. The link signs in.
            del user
            request.session[SIGNUP_EMAIL_SESSION_KEY] = data["email"]
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    """The "check your e-mail" page: the same for a new account and for an address that
    already had one."""
    context = {
        "email": request.session.get(SIGNUP_EMAIL_SESSION_KEY, ""),
        "days": settings.ACCOUNT_VERIFICATION_DAYS,
    }
    return render(request, "accounts/signup_done.html", context)


# --- Confirming the e-mail address --------------------------------------------


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link confirms and a button; only the POST confirms, because mail
    scanners open links before people do."""
    context = {"token": token, "state": "confirm", "next_url": ""}
    try:
        pending = verification_check(token=token)
        if request.method == "POST":
            user = verification_confirm(token=token)
            context["state"] = "confirmed"
            # The link reached its owner's inbox, so it may sign them in (once: a second
            # POST finds the address already confirmed).
            if request.user.pk != user.pk:
                login(request, user, backend=MODEL_BACKEND)
        context.update(email=pending.user.email, next_url=_safe_next(request, pending.next_url))
    except EmailAlreadyVerified as error:
        context.update(state="already", next_url=_safe_next(request, error.next_url))
    except VerificationError as error:
        state = "expired" if isinstance(error, VerificationLinkExpired) else "invalid"
        context.update(state=state, message=error.message)
        return render(request, "accounts/verify.html", context, status=400)
    return render(request, "accounts/verify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    """A signed-in member whose address is not confirmed asks for a new link."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    context = {
        "next_url": next_url,
        "already": request.user.email_verified_at is not None,
        "days": settings.ACCOUNT_VERIFICATION_DAYS,
    }
    if request.method == "POST" and not context["already"]:
        try:
            verification_resend(user=request.user, next_url=next_url, ip=client_ip(request))
        except VerificationResendTooSoon as error:
            context["seconds_left"] = error.seconds_left
            return render(request, "accounts/resend_verification.html", context, status=429)
        except TooManyEmails as error:
            context["too_many"] = error.message
            return render(request, "accounts/resend_verification.html", context, status=429)
        messages.success(
            request,
            f"We’ve sent a new link to {request.user.email}. "
            f"It works for {settings.ACCOUNT_VERIFICATION_DAYS} days.",
        )
        url = reverse("accounts:resend_verification")
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
    return render(request, "accounts/resend_verification.html", context)


# --- Signing in and out -------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Django's sign-in; "next" is followed only when it points at this site."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs) -> dict:
        # Django puts the host name in ``site_name``; the page frame wants the site's name.
        return {**super().get_context_data(**kwargs), "site_name": settings.SITE_NAME}


class SignOutView(auth_views.LogoutView):
    """Sign out by POST only (a GET is refused with 405), then go home."""

    next_page = reverse_lazy("blog:home")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You’re signed out.")
        return response


# --- Passwords ----------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password while signed in; the session stays signed in."""

    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    """The page saying the password is changed."""


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link, within the e-mail limits per address and per IP address. The
    next page reads the same whether or not an account uses the address, and whether or
    not a limit stopped the e-mail."""

    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, str]:
        return {"site_name": settings.SITE_NAME}

    def form_valid(self, form) -> HttpResponse:
        try:
            account_email_limit(email=form.cleaned_data["email"], ip=client_ip(self.request))
        except TooManyEmails:
            # Past the limits nothing is sent, and the page says what it always says: a
            # different answer would tell a stranger which addresses have accounts.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """The "check your e-mail" page, worded the same whether or not an account uses the
    address."""


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the e-mailed link. A new password also lifts a lockout
    from too many failed sign-ins, as the lockout page promises."""

    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        sign_in_unlock(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """The page saying the new password is set, with a way to sign in."""

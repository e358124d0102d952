"""Joining, confirming the e-mail address, signing in and out, and passwords.

PLACEHOLDER: being written; the names below are what accounts/urls.py expects.
"""

from django.contrib.auth import views as auth_views
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


signup = signup_done = resend_verification = verify_email = _todo
SignInView = auth_views.LoginView
SignOutView = auth_views.LogoutView
PasswordChangeView = auth_views.PasswordChangeView
PasswordChangeDoneView = auth_views.PasswordChangeDoneView
PasswordResetView = auth_views.PasswordResetView
PasswordResetDoneView = auth_views.PasswordResetDoneView
PasswordResetConfirmView = auth_views.PasswordResetConfirmView
PasswordResetCompleteView = auth_views.PasswordResetCompleteView

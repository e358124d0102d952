from django.urls import path

from accounts.views import profile, registration

app_name = "accounts"

urlpatterns = [
    # Joining, confirming the e-mail address, signing in and out, passwords.
    path("signup/", registration.signup, name="signup"),
    path("signup/done/", registration.signup_done, name="signup_done"),
    path("verify/resend/", registration.resend_verification, name="resend_verification"),
    path("verify/<str:token>/", registration.verify_email, name="verify"),
    path("login/", registration.SignInView.as_view(), name="login"),
    path("logout/", registration.SignOutView.as_view(), name="logout"),
    path("password/change/", registration.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        registration.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", registration.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        registration.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        registration.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        registration.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # A member's own account.
    path("profile/", profile.profile, name="profile"),
    path("export/", profile.export_comments, name="export"),
    path("delete/", profile.delete_account, name="delete"),
]

"""How django-axes names the person behind a failed sign-in."""

from django.http import HttpRequest

# AccessAttempt.username is a 255-character column; usernames themselves are 150.
MAX_RECORDED = 150


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username tried, cut to what a username can be. Without this, a 300-character
    attempt (on the site's or the admin's sign-in form) is longer than axes' column and
    PostgreSQL refuses the row: a 500 instead of "Please enter a correct username"."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    if username is None:
        return None
    return str(username)[:MAX_RECORDED]

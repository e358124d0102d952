"""Values every template may need."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The site's name, as set in the settings."""
    return {"site_name": settings.SITE_NAME}

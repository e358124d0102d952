"""Values the site's frame (header and footer, templates/base.html) needs on every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from blog.caching import site_navigation_for


def navigation(request: HttpRequest) -> dict[str, SimpleLazyObject]:
    """``site_nav``: the header's sections and the footer's pages, looked up only when a
    template shows them, so rendering a page's holes alone (``core.holes``) costs nothing."""
    return {"site_nav": SimpleLazyObject(lambda: site_navigation_for(request))}

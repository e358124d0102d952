"""Whether a request was sent by a page of another site, from what the browser says.

A browser names where a request comes from in two headers a page cannot set:
``Sec-Fetch-Site`` (``same-origin``, ``same-site``, ``cross-site``, or ``none`` when the
person typed the address or used a bookmark) and ``Origin`` (the sending page's scheme,
host and port, or ``null`` when the browser will not say). Forms that must work without a
CSRF token (a guest's comment form on a shared cached page) are guarded with this instead:
it stops a page elsewhere from making a visitor's browser send them. It is no defence
against a script, which can write any header, or none; what such a form stores must be
safe to take from anyone.
"""

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware

# The Sec-Fetch-Site values of a request this site's own pages (or the person) made.
SAME_SITE_FETCH = frozenset({"same-origin", "none"})


def _origin_trusted(request: HttpRequest) -> bool:
    """Whether the request's ``Origin`` is this site's (its scheme and host) or one of
    ``CSRF_TRUSTED_ORIGINS``, wildcards included: Django's own rule, taken from its CSRF
    middleware rather than restated. The method is private to Django;
    ``tests/core/test_origin.py`` pins what it decides, so an upgrade that changes it fails
    there. A new middleware each time: one reads ``CSRF_TRUSTED_ORIGINS`` only once."""
    return CsrfViewMiddleware(lambda request: None)._origin_verified(request)


def request_is_cross_site(request: HttpRequest) -> bool:
    """True when the browser says the request comes from another site: ``Sec-Fetch-Site``
    is there and is not ``same-origin`` or ``none``, or ``Origin`` is there and is neither
    this site's nor a trusted one (``null`` included). False when neither header is there
    (old browsers, scripts, which could write either anyway).

    Either header is enough to refuse, so a trusted origin on another site is refused when
    ``Sec-Fetch-Site`` says ``same-site`` or ``cross-site``: ``CSRF_TRUSTED_ORIGINS`` is
    there for this site's own public address behind a proxy, whose requests say
    ``same-origin``."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in SAME_SITE_FETCH:
        return True
    return "HTTP_ORIGIN" in request.META and not _origin_trusted(request)

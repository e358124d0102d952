"""Site-wide middleware of our own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def null_bytes_refused(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Answer 400 to an address with a NUL byte in its path or query, and ignore a cookie
    that carries one.

    No address of ours has a NUL in it, and PostgreSQL refuses one anywhere in a query: let
    through, it reaches a query somewhere (an author's name, the admin's filters, Django's
    own session lookup) and becomes a 500. A bad cookie is dropped rather than refused, so a
    browser stuck with one gets a fresh session instead of an error on every page.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        request.COOKIES = {
            name: value
            for name, value in request.COOKIES.items()
            if NUL not in name and NUL not in value
        }
        if NUL in request.path_info or any(
            NUL in name or any(NUL in value for value in values)
            for name, values in request.GET.lists()
        ):
            reason = _(
                "This address contains a character no page of ours uses (a null byte). "
                "Please check the link."
            )
            return render(request, "400.html", {"reason": reason}, status=400)
        return get_response(request)

    return middleware

"""Readers report a comment that breaks a guideline. PLACEHOLDER: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

"""The Community Guidelines page. PLACEHOLDER: being written."""

from django.http import Http404, HttpRequest, HttpResponse


def guidelines(request: HttpRequest) -> HttpResponse:
    raise Http404

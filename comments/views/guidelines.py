"""The Community Guidelines page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comments import selectors


@require_safe
def guidelines(request: HttpRequest) -> HttpResponse:
    """Every guideline in number order, each with its ``#guideline-N`` anchor (one query)."""
    return render(request, "comments/guidelines.html", {"guidelines": selectors.guideline_list()})

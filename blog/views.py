from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The front page: the latest published posts."""
    return render(request, "blog/home.html", {"posts": []})

"""The page frame and the error pages, through HTTP (the health check: test_healthz.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import path

from config import urls as site_urls
from config import views

pytestmark = pytest.mark.django_db


def _raise_permission_denied(request):
    raise PermissionDenied("Comments on this article are closed.")


def _raise_error(request):
    raise ValueError("boom")


# Before the site's own: its last route (the pages at /<slug>/) would take them.
urlpatterns = [
    path("denied/", _raise_permission_denied),
    path("broken/", _raise_error),
    *site_urls.urlpatterns,
]
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500


def test_home_page_shows_honest_empty_state(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "blog/home.html" in [t.name for t in response.templates]
    assert "Nothing published yet" in response.text


def test_every_page_has_skip_link_landmarks_and_local_bootstrap(client):
    html = client.get("/").text

    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert "<footer" in html
    assert "/static/vendor/bootstrap/tribune-bootstrap.css" in html
    # No page needs Bootstrap's JavaScript (docs/decisions.md, "Bootstrap, trimmed").
    assert "bootstrap.bundle" not in html
    assert "cdn" not in html.lower()


def test_csp_header_forbids_inline_script_and_style(client):
    policy = client.get("/").headers["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_pages_carry_no_inline_script_or_style(client):
    html = client.get("/").text + client.get("/missing/").text

    assert "<script>" not in html
    assert "style=" not in html
    assert "<style" not in html


def test_unknown_page_gets_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "We can’t find that page" in response.text


@pytest.mark.urls(__name__)
def test_permission_denied_shows_friendly_403_with_the_reason(client):
    response = client.get("/denied/")

    assert response.status_code == 403
    assert "You can’t do that here" in response.text
    assert "Comments on this article are closed." in response.text


@pytest.mark.urls(__name__)
def test_unexpected_error_shows_friendly_500():
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "boom" not in response.text


def test_missing_csrf_token_gets_a_plain_explanation():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/admin/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert "This form has expired" in response.text


def test_bad_host_gets_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["tribune.example.org"]

    response = client.get("/", HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert "We could not understand that request" in response.text


@pytest.mark.parametrize("name", ["missing.jpg", "x" * 300, "a/" * 3000])
def test_an_upload_that_is_not_there_is_a_404_however_long_its_name(rf, tmp_path, name):
    # Development serves /media/ itself; a name past the file system's limit was a 500.
    (tmp_path / "here.jpg").write_bytes(b"picture")

    with pytest.raises(Http404):
        views.media(rf.get(f"/media/{name}"), name, document_root=str(tmp_path))
    assert views.media(rf.get("/media/here.jpg"), "here.jpg", document_root=str(tmp_path))

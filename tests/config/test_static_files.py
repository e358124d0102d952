"""With debug off, WhiteNoise serves hashed, compressed, long-cached static files."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # The admin's and the rich-text editor's files (15 of the 19 MB) are collected the same
    # way and only slow the test: brotli at its highest level is most of its time.
    call_command(
        "collectstatic",
        interactive=False,
        verbosity=0,
        ignore_patterns=["admin", "django_prose_editor"],
    )
    return tmp_path


def test_pages_link_hashed_static_files_that_whitenoise_serves_compressed(collected_static):
    client = Client()
    html = client.get("/").text
    href = re.search(r'href="(/static/css/site\.[^"]+)"', html).group(1)

    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", href)
    response = client.get(href, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert (collected_static / "staticfiles.json").exists()
    assert (collected_static / "vendor" / "bootstrap" / "LICENSE").exists()

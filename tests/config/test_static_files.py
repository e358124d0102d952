"""With debug off, WhiteNoise serves hashed, compressed, long-cached static files, and
stylesheets minified."""

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
        "staticfiles": {"BACKEND": "core.staticfiles.MinifiedManifestStaticFilesStorage"},
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


def test_stylesheets_are_served_minified_with_the_same_rules(collected_static, settings):
    client = Client()
    html = client.get("/").text
    href = re.search(r'href="(/static/css/site\.[^"]+)"', html).group(1)
    served = b"".join(client.get(href).streaming_content).decode()
    source = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()

    assert "/*" not in served
    assert "\n  " not in served
    assert len(served) < 0.8 * len(source)
    # Every rule is still there: each selector of the source appears in the served file.
    selectors = set(re.findall(r"^(\.[a-z][\w-]*) \{", source, flags=re.MULTILINE))
    assert len(selectors) > 10
    assert all(selector + "{" in served for selector in selectors), selectors


def test_a_licence_comment_is_kept_and_addresses_in_stylesheets_still_get_hashed(tmp_path):
    from django.core.files.base import ContentFile

    from core.staticfiles import MinifiedManifestStaticFilesStorage

    storage = MinifiedManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    storage.save("img/dot.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    css = "/*! Licence: keep me */\n/* drop me */\n.dot {\n  background: url(../img/dot.svg);\n}\n"
    storage.save("css/a.css", ContentFile(css.encode()))
    found = {path: (storage, path) for path in ("img/dot.svg", "css/a.css")}
    list(storage.post_process(found))

    hashed = storage.stored_name("css/a.css")
    text = (tmp_path / hashed).read_text()
    assert "Licence: keep me" in text
    assert "drop me" not in text
    assert re.search(r'\.dot\{background:url\("\.\./img/dot\.[0-9a-f]{12}\.svg"\)\}', text), text

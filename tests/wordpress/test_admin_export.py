"""The superusers' "Export to WordPress" download in the admin, through HTTP."""

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse
from django.utils import timezone

from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:wordpress_export")
WP = "{http://wordpress.org/export/1.2/}"


@pytest.fixture
def discussion():
    post = PostFactory(title="Where the river floods")
    CommentFactory(post=post, guest_name="Ana Silva", guest_email="ana@example.org")
    return post


def download(client, **options) -> tuple:
    response = client.get(EXPORT_URL, {"download": "1", **options})
    body = b"".join(response.streaming_content)
    return response, body


def test_a_superuser_downloads_the_site_as_a_wordpress_export(client, discussion, settings):
    settings.SITE_NAME = "The Wend Gazette"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response, body = download(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="the-wend-gazette-wordpress-{today}.xml"'
    )
    channel = ET.fromstring(body).find("channel")
    assert channel.find(f"{WP}wxr_version").text == "1.2"
    assert [item.find("title").text for item in channel.iter("item")] == ["Where the river floods"]
    assert b"Ana Silva" in body
    assert b"ana@example.org" not in body


def test_commenters_addresses_are_exported_only_when_asked_for(client, discussion):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    _response, body = download(client, with_emails="on")

    assert b"ana@example.org" in body


def test_the_export_page_offers_the_download(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(EXPORT_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Download the export" in page
    assert "Include commenters’ e-mail addresses" in page
    assert 'name="download"' in page


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_editors_and_moderators_may_not_export(client, discussion, role):
    client.force_login(UserFactory(**{role: True}))

    assert client.get(EXPORT_URL).status_code == 403
    assert client.get(EXPORT_URL, {"download": "1"}).status_code == 403
    assert EXPORT_URL not in client.get(reverse("admin:index")).content.decode()


def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client, discussion):
    response = client.get(EXPORT_URL, {"download": "1"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))

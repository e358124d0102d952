"""The sign-in and sign-up pages tell search engines to leave them out, and still describe
themselves for anyone who finds a link to them (Lighthouse's SEO audit asks for both)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["accounts:signup", "accounts:login"])
def test_the_page_is_noindex_and_has_a_description(client, name, settings):
    html = client.get(reverse(name)).text
    assert '<meta name="robots" content="noindex">' in html
    description = re.search(r'<meta name="description"\s+content="([^"]+)">', html).group(1)
    assert settings.SITE_NAME in description

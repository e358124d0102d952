"""The admin site: Django's, set as the default through AdminConfig, not patched at import."""

import pytest
from django.contrib import admin
from django.urls import reverse

from config.admin import TribuneAdminSite
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_default_admin_site_is_tribunes_and_its_views_are_its_own():
    assert isinstance(admin.site, TribuneAdminSite)
    # Nothing replaces a view on the instance (the index used to be wrapped at import).
    assert not {"index", "app_index", "login"} & set(vars(admin.site))


def test_the_index_is_titled_for_the_newsroom(client):
    client.force_login(UserFactory(editor=True))

    page = client.get(reverse("admin:index")).text

    assert "Tribune administration" in page
    assert "Newsroom and moderation" in page


@pytest.mark.parametrize("page", ["change", "delete"])
def test_an_empty_to_field_is_a_400_not_a_500(client, page):
    # Found by the fuzz test: Django looked up a field named "".
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    category = CategoryFactory()
    url = reverse(f"admin:blog_category_{page}", args=[category.pk])

    assert client.get(url).status_code == 200
    assert client.get(f"{url}?_to_field=").status_code == 400
    assert client.get(f"{url}?_to_field=id").status_code == 200

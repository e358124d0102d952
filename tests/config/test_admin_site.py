"""The admin site: Django's, set as the default through AdminConfig, not patched at import."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from blog.models import Tag
from config.admin import TribuneAdminSite
from tests.factories import CategoryFactory, TagFactory, UserFactory

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


@pytest.mark.parametrize("selected", ["", "abc", "²", str(2**63)])
def test_an_action_on_a_row_whose_id_is_no_id_is_a_400(client, selected):
    # Django filtered the rows by it: a ValueError, or an OverflowError on SQLite (a 500).
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    tag = TagFactory()
    url = reverse("admin:blog_tag_changelist")
    action = {"action": "delete_selected", "index": "0"}

    refused = client.post(url, {**action, ACTION_CHECKBOX_NAME: [selected, tag.pk]})
    asked = client.post(url, {**action, ACTION_CHECKBOX_NAME: [tag.pk]})

    assert refused.status_code == 400
    assert asked.status_code == 200  # the "are you sure?" page
    assert Tag.objects.filter(pk=tag.pk).exists()

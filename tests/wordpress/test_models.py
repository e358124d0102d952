"""The map from WordPress ids to what the import made of them."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from tests.factories import CategoryFactory, PostFactory
from wordpress.models import ImportedObject

pytestmark = pytest.mark.django_db

Kind = ImportedObject.Kind


def test_target_is_the_tribune_object_made_from_the_wordpress_id():
    post = PostFactory()
    ImportedObject.objects.create(kind=Kind.POST, wp_id="1133", object_id=post.pk)

    assert ImportedObject.objects.target(Kind.POST, "1133") == post
    assert ImportedObject.objects.target(Kind.POST, 1133) == post


def test_target_is_none_for_an_id_never_imported_or_an_object_deleted_since():
    category = CategoryFactory()
    ImportedObject.objects.create(kind=Kind.CATEGORY, wp_id="7", object_id=category.pk)
    category.delete()

    assert ImportedObject.objects.target(Kind.CATEGORY, "7") is None
    assert ImportedObject.objects.target(Kind.CATEGORY, "8") is None


def test_one_wordpress_object_maps_to_one_row_per_kind():
    ImportedObject.objects.create(kind=Kind.TAG, wp_id="5", object_id=1)
    ImportedObject.objects.create(kind=Kind.CATEGORY, wp_id="5", object_id=1)

    with pytest.raises(IntegrityError):
        ImportedObject.objects.create(kind=Kind.TAG, wp_id="5", object_id=2)


def test_the_admin_lists_the_map_read_only(admin_client):
    row = ImportedObject.objects.create(
        kind=Kind.POST, wp_id="1", object_id=1, old_path="/2013/01/10/hello/"
    )

    listing = admin_client.get(reverse("admin:wordpress_importedobject_changelist"))
    detail = admin_client.get(reverse("admin:wordpress_importedobject_change", args=[row.pk]))
    add = admin_client.get(reverse("admin:wordpress_importedobject_add"))
    delete = admin_client.post(
        reverse("admin:wordpress_importedobject_delete", args=[row.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert b"/2013/01/10/hello/" in listing.content
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert add.status_code == 403
    assert delete.status_code == 403
    assert ImportedObject.objects.filter(pk=row.pk).exists()

import pytest
from django.db import IntegrityError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_unique_whatever_its_case():
    UserFactory(email="jane@example.com")

    with pytest.raises(IntegrityError):
        UserFactory(email="Jane@Example.com")


@pytest.mark.parametrize(
    ("display_name", "first", "last", "expected"),
    [
        ("Jane Doe", "Jane", "D", "Jane Doe"),
        ("", "Jane", "Doe", "Jane Doe"),
        ("", "", "", "jdoe"),
    ],
)
def test_public_name_prefers_display_name_then_full_name_then_username(
    display_name, first, last, expected
):
    user = UserFactory.build(
        username="jdoe", display_name=display_name, first_name=first, last_name=last
    )

    assert user.public_name == expected
    assert str(user) == expected


def test_a_deleted_account_is_named_former_member():
    from django.utils import timezone

    user = UserFactory.build(username="deleted-7", deleted_at=timezone.now())
    assert user.public_name == "Former member"


def test_byline_of_a_deactivated_staff_author_links_nowhere(client):
    from tests.factories import PostFactory

    post = PostFactory(author=UserFactory(editor=True, username="gone", is_active=False))
    html = client.get(post.get_absolute_url()).content.decode()
    assert "/author/gone/" not in html

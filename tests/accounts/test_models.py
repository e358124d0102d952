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

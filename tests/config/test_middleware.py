"""NUL bytes in addresses and cookies: a clear 400, or a fresh session, never a 500."""

import pytest
from django.test import Client

from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/author/%00/",  # was a 500 on PostgreSQL: the name went into a query
        "/author/jane%00/",
        "/category/news%00/",
        "/search/?q=river%00",
        "/accounts/login/?next=/%00",
        "/?page=%00",
        "/?%00=1",
        "/admin/blog/post/?status__exact=%00",  # Django's own list filter, a 500 too
        "/admin/autocomplete/?term=%00&app_label=blog&model_name=post&field_name=tags",
    ],
)
def test_an_address_with_a_null_byte_is_a_clear_400(address):
    PostFactory(author=UserFactory(username="jane", editor=True))
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = staff.get(address)

    assert response.status_code == 400
    assert "contains a character no page of ours uses (a null byte)" in response.text


def test_the_same_addresses_without_the_null_byte_still_work(client):
    PostFactory(author=UserFactory(username="jane", editor=True))

    assert client.get("/author/jane/").status_code == 200
    assert client.get("/search/?q=river").status_code == 200


def test_a_session_cookie_with_a_null_byte_is_ignored(client):
    # Django looked the key up in the sessions table: a 500 on PostgreSQL, on every page,
    # until the person cleared their cookies. A quoted "\000" is how a NUL gets into one.
    PostFactory()
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    # The header carries it in plain ASCII, quoted: sessionid="abcdefgh\000ijklmnop".
    assert '"abcdefgh\\000ijklmnop"' in client.cookies.output()

    response = client.get("/")

    assert response.status_code == 200
    assert response.wsgi_request.session.session_key is None

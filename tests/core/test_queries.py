"""``core.queries.row_by_pk``: the same row, with the same field values, as the ORM's own
read by key, on SQLite and PostgreSQL alike; and the member and the session read with it
(``accounts.backends``, ``core.sessions``) end as Django's own do."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models import Model
from django.forms.models import model_to_dict

from accounts.models import User
from comments.models import DiscussionSettings
from core.queries import row_by_pk
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def values(row: Model) -> dict:
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def test_a_row_read_by_key_has_the_values_the_orm_reads():
    DiscussionSettings.objects.update_or_create(
        pk=1, defaults={"guests_allowed": False, "close_after_days": 9, "hold_words": "casino"}
    )
    fast = row_by_pk(DiscussionSettings, 1)
    assert values(fast) == values(DiscussionSettings.objects.get(pk=1))
    assert fast.guests_allowed is False
    assert fast.updated_at.tzinfo is not None
    assert fast._state.adding is False


def test_a_key_given_as_text_finds_the_row_and_a_key_that_is_no_key_finds_none():
    user = UserFactory()
    assert row_by_pk(User, str(user.pk)) == user
    assert model_to_dict(row_by_pk(User, str(user.pk))) == model_to_dict(user)
    assert row_by_pk(User, user.pk + 1000) is None
    assert row_by_pk(User, "not a number") is None


def test_a_member_whose_account_is_closed_meanwhile_is_signed_out_at_the_next_request(client):
    member = UserFactory()
    client.force_login(member)
    assert client.get("/accounts/profile/").status_code == 200
    assert client.session[SESSION_KEY] == str(member.pk)

    User.objects.filter(pk=member.pk).update(is_active=False)

    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_session_ended_elsewhere_or_expired_signs_the_member_out(client):
    member = UserFactory()
    client.force_login(member)
    assert client.get("/accounts/profile/").status_code == 200
    key = client.session.session_key
    assert type(client.session).__module__ == "core.sessions"

    # Signed out on another device (or by an administrator): the row is gone.
    Session.objects.filter(session_key=key).delete()
    assert client.get("/accounts/profile/").status_code == 302

    client.force_login(member)
    expires = Session.objects.get(session_key=client.session.session_key).expire_date
    with time_machine.travel(expires - timedelta(seconds=1), tick=False):
        assert client.get("/accounts/profile/").status_code == 200
    with time_machine.travel(expires + timedelta(seconds=1), tick=False):
        assert client.get("/accounts/profile/").status_code == 302

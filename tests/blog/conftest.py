"""Fixtures shared by the blog's tests."""

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def ana():
    """An editor named Ana Ruiz: the first of two people editing one post."""
    return UserFactory(editor=True, display_name="Ana Ruiz")


@pytest.fixture
def ben():
    """An editor named Ben Okafor: the second of two people editing one post."""
    return UserFactory(editor=True, display_name="Ben Okafor")


@pytest.fixture
def editor():
    """A member of Editors (a module may define its own)."""
    return UserFactory(editor=True)


@pytest.fixture
def editor_client(editor) -> Client:
    """A client signed in as ``editor``."""
    client = Client()
    client.force_login(editor)
    return client

"""Fixtures shared by the blog's tests."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def ana():
    """An editor named Ana Ruiz: the first of two people editing one post."""
    return UserFactory(editor=True, display_name="Ana Ruiz")


@pytest.fixture
def ben():
    """An editor named Ben Okafor: the second of two people editing one post."""
    return UserFactory(editor=True, display_name="Ben Okafor")

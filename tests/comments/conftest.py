import pytest
from django.test import Client

from comments.services import discussion_settings_save
from tests.factories import UserFactory


@pytest.fixture
def discussion_settings(db):
    """The site's discussion settings row, for a test to adjust."""
    from comments.models import DiscussionSettings

    return DiscussionSettings.objects.get_or_create(pk=1)[0]


@pytest.fixture
def no_flood(discussion_settings, settings):
    """Let one person, or one IP address, post several comments in a row."""
    settings.COMMENTS_PER_IP_PER_MINUTE = 0
    discussion_settings.flood_interval = 0
    discussion_settings_save(settings=discussion_settings)
    return discussion_settings


# Suspensions and appeals (test_suspensions*.py, test_appeals.py); other modules that need a
# different guideline or moderator define their own.


@pytest.fixture
def guideline(db):
    from comments.models import Guideline

    return Guideline.objects.create(number=2, title="No personal attacks", text="Argue the point.")


@pytest.fixture
def moderator(db):
    return UserFactory(moderator=True, display_name="Mo Derator")


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client

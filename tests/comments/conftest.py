from datetime import UTC, datetime, timedelta

import pytest
import time_machine
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


# The discussion modes' tests run on a frozen clock: noon on Friday 28 November 2025, in the
# site's time zone (UTC in the tests), moved on by each test (``clock.move_to``).
NOON = datetime(2025, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def post_since_yesterday(clock):
    """A post published the day before the frozen clock's noon."""
    from tests.factories import PostFactory

    return PostFactory(published_at=NOON - timedelta(days=1))

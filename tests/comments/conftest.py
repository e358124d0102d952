import pytest

from comments.services import discussion_settings_save


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

import pytest

from comments.models import Guideline
from comments.services import discussion_settings_save
from tests.comments.spamfilter.helpers import teach
from tests.factories import UserFactory


@pytest.fixture
def moderator(db):
    return UserFactory(moderator=True, username="mod", display_name="Mo Derator")


@pytest.fixture
def spam_guideline(db):
    return Guideline.objects.create(
        number=5, title="No spam or advertising", text="No ads.", about_spam=True
    )


@pytest.fixture
def civility_guideline(db):
    return Guideline.objects.create(number=1, title="Be respectful", text="Argue, don't insult.")


@pytest.fixture
def filter_settings(no_flood):
    """A filter that acts after three decisions of each kind and holds from 0.9 (tests of
    the spam score set one); no other rule holds anything."""
    no_flood.spam_filter_min_decisions = 3
    no_flood.spam_filter_hold_score = 0.9
    no_flood.spam_filter_spam_score = None
    no_flood.hold_link_count = 10
    return discussion_settings_save(settings=no_flood)


@pytest.fixture
def trained(filter_settings, moderator):
    """The filter above, taught six spam and six legitimate comments by a moderator."""
    teach(moderator, spam=6, ham=6)
    return filter_settings

"""Discussion settings in the admin: one row, edited by moderators, applied at once."""

import pytest
from django.urls import reverse

from comments.models import DiscussionSettings
from comments.selectors import discussion_settings_get
from tests.factories import PostFactory, UserFactory, build_discussion

pytestmark = pytest.mark.django_db

CHANGE = reverse("admin:comments_discussionsettings_change", args=[1])


def settings_form(**overrides):
    data = {
        "guests_allowed": "on",
        "close_after_days": "",
        "max_depth": "5",
        "comments_per_page": "50",
        "max_length": "5000",
        "flood_interval": "15",
        "moderation_mode": "post",
        "hold_link_count": "2",
        "hold_words": "",
        "block_words": "",
        "guests_may_report": None,
        "auto_hide_reports": "",
        "spam_filter_hold_score": "0.9",
        "spam_filter_spam_score": "0.99",
        "spam_filter_min_decisions": "20",
        "trust_members": "on",
        "trusted_after_comments": "3",
        "trusted_clean_days": "90",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_list_goes_straight_to_the_one_row(admin_client):
    response = admin_client.get(reverse("admin:comments_discussionsettings_changelist"))
    assert response["Location"] == CHANGE


def test_without_the_row_the_page_shows_the_defaults_and_a_get_writes_nothing(admin_client):
    DiscussionSettings.objects.all().delete()

    listing = admin_client.get(reverse("admin:comments_discussionsettings_changelist"))
    page = admin_client.get(CHANGE)

    assert listing["Location"] == CHANGE
    assert page.status_code == 200
    assert page.context["adminform"].form["max_depth"].value() == 5
    assert not DiscussionSettings.objects.exists()


def test_without_the_row_saving_stores_it(admin_client):
    DiscussionSettings.objects.all().delete()

    response = admin_client.post(CHANGE, settings_form(max_depth="3"))

    assert response.status_code == 302
    assert DiscussionSettings.objects.get().max_depth == 3
    assert discussion_settings_get().max_depth == 3


def test_there_is_nothing_to_add_or_delete(admin_client):
    assert admin_client.get(reverse("admin:comments_discussionsettings_add")).status_code == 403
    delete = reverse("admin:comments_discussionsettings_delete", args=[1])
    assert admin_client.get(delete).status_code == 403


def test_a_moderator_changes_the_page_size_and_readers_see_it_at_once(client):
    post = PostFactory()
    build_discussion(post, [0] * 12)
    assert discussion_settings_get().comments_per_page == 50  # cached now
    client.force_login(UserFactory(moderator=True, is_staff=True))
    response = client.post(CHANGE, settings_form(comments_per_page="5"))
    assert response.status_code == 302
    assert discussion_settings_get().comments_per_page == 5
    client.logout()
    assert 'aria-label="Comment pages"' in client.get(post.get_absolute_url()).content.decode()


def test_guests_can_be_required_to_sign_in(admin_client, client):
    admin_client.post(CHANGE, settings_form(guests_allowed=None))
    post = PostFactory()
    assert "Please sign in to comment" in client.get(post.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_depth", "0"),
        ("max_depth", "11"),
        ("comments_per_page", "1"),
        ("close_after_days", "0"),
        ("max_length", "abc"),
        ("moderation_mode", "sometimes"),
        ("hold_link_count", "51"),
        ("auto_hide_reports", "1"),
        ("trusted_after_comments", "0"),
        ("trusted_after_comments", "x"),
        ("trusted_clean_days", "0"),
        ("trusted_clean_days", "4000"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(admin_client, field, value):
    response = admin_client.post(CHANGE, settings_form(**{field: value}))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert DiscussionSettings.objects.get(pk=1).max_depth == 5
    assert DiscussionSettings.objects.get(pk=1).close_after_days is None


def test_a_moderator_sets_the_moderation_rules_and_they_apply_at_once(client):
    assert discussion_settings_get().moderation_mode == "post"  # cached now
    client.force_login(UserFactory(moderator=True, is_staff=True))
    page = client.get(CHANGE).text
    assert "Moderation" in page
    assert 'name="block_words"' in page
    assert 'name="guests_may_report"' in page

    response = client.post(
        CHANGE,
        settings_form(
            moderation_mode="first_time",
            hold_link_count="1",
            hold_words="casino\nfree money",
            block_words="viagra",
            guests_may_report="on",
            auto_hide_reports="3",
        ),
    )

    assert response.status_code == 302
    settings = discussion_settings_get()
    assert settings.moderation_mode == DiscussionSettings.ModerationMode.FIRST_TIME
    assert settings.hold_link_count == 1
    assert settings.hold_words.splitlines() == ["casino", "free money"]
    assert settings.block_words == "viagra"
    assert settings.guests_may_report is True
    assert settings.auto_hide_reports == 3


def test_editors_cannot_change_discussion_settings(client):
    client.force_login(UserFactory(editor=True, is_staff=True))
    assert client.get(CHANGE).status_code == 403
    assert client.post(CHANGE, settings_form(max_depth="2")).status_code == 403
    assert DiscussionSettings.objects.get(pk=1).max_depth == 5

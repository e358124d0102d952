"""What moderators see of the spam filter in the admin: why a comment was held (held queue,
the comment's page, the moderation log), what it has learnt (settings, overview), its
thresholds in the discussion settings, and that the admin's bulk actions teach it too."""

import re

import pytest
from django.urls import reverse

from comments.models import Comment, CommentAssessment, DiscussionSettings, SpamLabel
from comments.spamfilter.model import Score
from comments.spamfilter.service import assessment_record
from tests.comments.spamfilter.helpers import spam_body
from tests.comments.test_admin import settings_form
from tests.factories import CommentFactory, PostFactory, comment_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_quick_forms")]

HELD_QUEUE = reverse("admin:comments_comment_held")
CHANGELIST = reverse("admin:comments_comment_changelist")
LOG = reverse("admin:comments_moderationevent_changelist")
OVERVIEW = reverse("admin:comments_comment_overview")
SETTINGS = reverse("admin:comments_discussionsettings_change", args=[1])


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_a_moderator_sees_why_the_filter_held_a_comment(client, trained, moderator):
    post = PostFactory()
    body = "Claim your casino bonus and free spins at https://lucky-casino.example/bonus"
    client.post(
        reverse("comments:post", args=[post.pk]),
        comment_form_data(body=body, name="Lucky", email="lucky@example.net"),
    )
    comment = Comment.objects.get(body=body)
    why = comment.assessments.get().explanation
    assert comment.status == Comment.Status.PENDING
    assert why.startswith("held: 0.9")

    client.force_login(moderator)
    queue = client.get(HELD_QUEUE).text
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text
    log = client.get(LOG).text

    shown = why.replace("'", "&#x27;")
    assert f"Spam filter: {shown}" in queue
    assert f"Spam filter: {shown}" in page
    assert shown in log
    assert "rule: spam filter" in log


def test_every_source_s_opinion_is_listed_on_the_comment_s_page(moderator_client, trained):
    comment = CommentFactory(pending=True, body=spam_body())
    assessment_record(comment=comment, score=Score(0.42), settings=trained)
    CommentAssessment.objects.create(
        comment=comment,
        source=CommentAssessment.Source.AKISMET,
        verdict=CommentAssessment.Verdict.SPAM,
        explanation="spam",
    )

    page = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text

    assert "Spam filter: published: 0.42" in page
    assert "Akismet: spam" in page


def test_a_comment_nobody_scored_shows_a_dash(moderator_client, trained):
    comment = CommentFactory(pending=True)

    page = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text

    field = re.search(r'field-spam_opinions.*?<div class="readonly">(.*?)</div>', page, re.S)
    assert field is not None
    assert field.group(1).strip() == "—"


@pytest.mark.parametrize("count", [3, 40])
def test_the_held_queue_runs_a_bounded_number_of_queries(
    moderator_client, trained, django_assert_max_num_queries, count
):
    for n in range(count):
        comment = CommentFactory(pending=True, body=spam_body(), member=n % 2 == 0)
        assessment_record(comment=comment, score=Score(0.95), settings=trained)

    with django_assert_max_num_queries(12):
        response = moderator_client.get(HELD_QUEUE)

    assert response.text.count("Spam filter: held: 0.95") == count


def test_the_admin_s_bulk_actions_teach_the_filter(moderator_client, trained):
    held = [CommentFactory(pending=True, body=spam_body()) for _ in range(3)]

    response = moderator_client.post(
        CHANGELIST,
        {"action": "mark_spam", "_selected_action": [c.pk for c in held], "index": "0"},
    )

    assert response.status_code == 302
    assert SpamLabel.objects.filter(comment__in=held, is_spam=True).count() == 3


def test_the_settings_and_the_overview_say_what_the_filter_has_learnt(
    moderator_client, filter_settings, moderator
):
    from tests.comments.spamfilter.helpers import teach

    teach(moderator, spam=3, ham=1)

    settings_page = moderator_client.get(SETTINGS).text
    overview = moderator_client.get(OVERVIEW).text

    learnt = "It has learnt from 3 spam and 1 legitimate comments."
    assert f"{learnt} It starts once it has 3 of each." in settings_page
    assert f"{learnt} It starts once it has 3 of each." in overview

    teach(moderator, ham=2)

    assert "It has learnt from 3 spam and 3 legitimate comments. It is on." in (
        moderator_client.get(OVERVIEW).text
    )


def test_a_moderator_sets_the_filter_s_thresholds(moderator_client, filter_settings):
    response = moderator_client.post(
        SETTINGS,
        settings_form(
            spam_filter_hold_score="0.8", spam_filter_spam_score="", spam_filter_min_decisions="50"
        ),
    )

    assert response.status_code == 302
    stored = DiscussionSettings.objects.get()
    assert (
        stored.spam_filter_hold_score,
        stored.spam_filter_spam_score,
        stored.spam_filter_min_decisions,
    ) == (0.8, None, 50)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"spam_filter_hold_score": "0.95", "spam_filter_spam_score": "0.9"},
            "spam_filter_spam_score",
            "Make this at least the hold score, 0.95.",
        ),
        (
            {"spam_filter_hold_score": "0.3"},
            "spam_filter_hold_score",
            "Ensure this value is greater than or equal to 0.5.",
        ),
        (
            {"spam_filter_spam_score": "1.5"},
            "spam_filter_spam_score",
            "Ensure this value is less than or equal to 1.0.",
        ),
        (
            {"spam_filter_min_decisions": "0"},
            "spam_filter_min_decisions",
            "Ensure this value is greater than or equal to 1.",
        ),
    ],
)
def test_thresholds_that_make_no_sense_are_refused_with_a_reason(
    moderator_client, filter_settings, overrides, field, message
):
    response = moderator_client.post(SETTINGS, settings_form(**overrides))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert DiscussionSettings.objects.get().spam_filter_hold_score == 0.9

"""Posting with the spam filter on: it scores each comment, holds or spams it past the
thresholds (with the other rules: block words first, staff never held), stays off until it
has learnt enough, and costs a few queries whatever it has learnt."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment, CommentAssessment, ModerationEvent, SpamToken
from comments.services import comment_create, discussion_settings_save
from tests.comments.spamfilter.helpers import post_as_guest, spam_body, teach
from tests.factories import PostFactory, UserFactory, comment_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_quick_forms")]

PUBLISHED = Comment.Status.PUBLISHED
PENDING = Comment.Status.PENDING
SPAM = Comment.Status.SPAM


# --- Posting ----------------------------------------------------------------------------


def test_a_spammy_comment_posted_through_the_form_is_held_and_the_log_says_why(client, trained):
    post = PostFactory()
    body = "Claim your casino bonus and free spins at https://lucky-casino.example/bonus now"

    response = client.post(
        reverse("comments:post", args=[post.pk]),
        comment_form_data(body=body, name="Casino Bonus", email="promo@example.net"),
    )

    assert response.status_code == 302
    comment = Comment.objects.get(body=body)
    assert comment.status == PENDING
    assessment = comment.assessments.get()
    assert assessment.source == CommentAssessment.Source.LOCAL
    assert assessment.verdict == CommentAssessment.Verdict.HOLD
    assert assessment.score >= 0.9
    event = ModerationEvent.objects.get(comment=comment)
    assert event.rule == "spam filter"
    assert event.actor is None
    assert event.note == assessment.explanation
    assert event.note.startswith("held: 0.9")
    # What pushed it: the link, which every spam it learnt had and no legitimate comment.
    assert "1 link" in event.note


def test_a_spam_score_past_the_second_threshold_marks_it_spam(trained):
    trained.spam_filter_spam_score = 0.9
    discussion_settings_save(settings=trained)

    comment = post_as_guest(PostFactory(), spam_body())

    assert comment.status == SPAM
    event = ModerationEvent.objects.get(comment=comment)
    assert (event.action, event.rule, event.note[:6]) == ("spam", "spam filter", "spam: ")


def test_a_legitimate_comment_is_published_with_a_low_score_on_record(trained):
    comment = post_as_guest(PostFactory(), "The council budget vote was a fair hearing.")

    assert comment.status == PUBLISHED
    assessment = comment.assessments.get()
    assert assessment.score < 0.5
    assert assessment.verdict == CommentAssessment.Verdict.PUBLISH
    assert assessment.explanation.startswith("published: 0.")
    assert not ModerationEvent.objects.filter(comment=comment).exists()


def test_block_words_beat_the_filter(trained):
    trained.block_words = "village"
    discussion_settings_save(settings=trained)

    comment = post_as_guest(PostFactory(), "The village library plan got a fair hearing.")

    assert comment.status == SPAM
    assert ModerationEvent.objects.get(comment=comment).rule == "block word"


def test_other_holds_and_the_filter_are_both_named(trained):
    trained.hold_link_count = 0
    discussion_settings_save(settings=trained)

    comment = post_as_guest(PostFactory(), spam_body())

    assert comment.status == PENDING
    assert ModerationEvent.objects.get(comment=comment).rule == "links, spam filter"


def test_staff_are_never_held_nor_scored(trained):
    editor = UserFactory(editor=True)

    comment = comment_create(post=PostFactory(), body=spam_body(), user=editor)

    assert comment.status == PUBLISHED
    assert not comment.assessments.exists()


def test_the_filter_stays_off_until_it_has_learnt_enough_of_each_kind(filter_settings, moderator):
    post = PostFactory()
    teach(moderator, spam=3, ham=2)

    first = post_as_guest(post, spam_body())

    assert first.status == PUBLISHED
    assert not first.assessments.exists()

    teach(moderator, ham=1)
    second = post_as_guest(post, spam_body())

    assert second.status == PENDING
    assert second.assessments.get().score >= 0.9


def test_scoring_costs_a_few_queries_whatever_the_vocabulary(trained):
    post = PostFactory()

    bodies = iter(range(3))

    def queries_to_post(body: str) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            post_as_guest(post, f"{body} {next(bodies)}")
        return [query["sql"].lower() for query in queries.captured_queries]

    fine = "The council budget vote was a fair hearing."
    small = queries_to_post(fine)
    SpamToken.objects.bulk_create(SpamToken(token=f"word{n}", ham=1) for n in range(5000))
    large = queries_to_post(fine)
    trained.spam_filter_min_decisions = 1000  # the filter is off
    discussion_settings_save(settings=trained)
    off = queries_to_post(fine)

    assert len(small) == len(large)
    assert sum("spamtoken" in sql for sql in large) == 1
    # The sender's earlier comments, the tokens, and storing the assessment; the totals are
    # read either way, to know whether the filter is on.
    assert len(large) - len(off) == 3

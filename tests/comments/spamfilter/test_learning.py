"""The spam filter learns from moderators' decisions, through the moderation services every
screen calls: which decision teaches what (a table: decision in, score out), one label per
comment however often moderators change their minds, undoing the filter's own holds, purges,
and the comments left a week without reports (with a frozen clock)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from comments.models import (
    Comment,
    ModerationEvent,
    SpamFilterCounts,
    SpamLabel,
    SpamToken,
)
from comments.services import (
    comment_approve,
    comment_hide,
    comment_mark_spam,
    comment_purge,
    comment_restore,
)
from comments.spamfilter.service import settled_learn
from tests.comments.spamfilter.helpers import ham_body, post_as_guest, score_of
from tests.factories import CommentFactory, PostFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLISHED = Comment.Status.PUBLISHED
PENDING = Comment.Status.PENDING
HIDDEN = Comment.Status.HIDDEN
SPAM = Comment.Status.SPAM

PROBE = "Zanzibar ferry tickets, book yours at https://zanzibar-ferry.example/deals"


def decide(decision: str, comment: Comment, moderator, guidelines) -> None:
    spam_guideline, civility_guideline = guidelines
    match decision:
        case "spam":
            comment_mark_spam(comment=comment, moderator=moderator)
        case "hide for spam":
            comment_hide(comment=comment, moderator=moderator, guideline=spam_guideline)
        case "hide for incivility":
            comment_hide(comment=comment, moderator=moderator, guideline=civility_guideline)
        case "approve":
            comment_approve(comment=comment, moderator=moderator)
        case "restore":
            comment_restore(comment=comment, moderator=moderator)


def learnt_as(comment: Comment) -> str | None:
    label = SpamLabel.objects.filter(comment=comment).first()
    return None if label is None else "spam" if label.is_spam else "legitimate"


def counts() -> tuple[int, int]:
    row = SpamFilterCounts.objects.get(pk=1)
    return row.spam, row.ham


def token_counts(token: str) -> tuple[int, int]:
    row = SpamToken.objects.filter(token=token).first()
    return (row.spam, row.ham) if row else (0, 0)


@pytest.mark.parametrize(
    ("status", "decision", "learnt", "score_moves"),
    [
        (PUBLISHED, "spam", "spam", "up"),
        (PENDING, "spam", "spam", "up"),
        (HIDDEN, "spam", "spam", "up"),
        (PUBLISHED, "hide for spam", "spam", "up"),
        (PUBLISHED, "hide for incivility", None, "no"),
        (PENDING, "approve", "legitimate", "down"),
        (HIDDEN, "restore", "legitimate", "down"),
        (SPAM, "restore", "legitimate", "down"),
    ],
)
def test_each_moderation_decision_teaches_the_filter(
    trained, moderator, spam_guideline, civility_guideline, status, decision, learnt, score_moves
):
    before = score_of(PROBE)
    comment = CommentFactory(status=status, body=PROBE)

    decide(decision, comment, moderator, (spam_guideline, civility_guideline))

    after = score_of(PROBE)
    assert learnt_as(comment) == learnt
    moved = "up" if after > before else "down" if after < before else "no"
    assert moved == score_moves


def test_a_comment_learnt_as_spam_and_then_restored_moves_to_the_legitimate_side(
    trained, moderator
):
    comment = CommentFactory(body=PROBE)
    spam_before, ham_before = counts()
    zanzibar = token_counts("zanzibar")

    comment_mark_spam(comment=comment, moderator=moderator)

    assert counts() == (spam_before + 1, ham_before)
    assert token_counts("zanzibar") == (zanzibar[0] + 1, zanzibar[1])

    comment_restore(comment=comment, moderator=moderator)

    assert counts() == (spam_before, ham_before + 1)
    assert token_counts("zanzibar") == (zanzibar[0], zanzibar[1] + 1)
    label = SpamLabel.objects.get(comment=comment)
    assert not label.is_spam
    # Every token it added moved over, none was left behind on the spam side.
    for token in label.tokens.split("\n"):
        assert SpamToken.objects.get(token=token).ham >= 1
    assert token_counts("domain:zanzibar-ferry.example") == (0, 1)


def test_the_same_decision_twice_counts_once(trained, moderator, civility_guideline):
    comment = CommentFactory(hidden=True, body=PROBE)
    comment_restore(comment=comment, moderator=moderator)
    learnt = counts()

    comment_hide(comment=comment, moderator=moderator, guideline=civility_guideline)
    comment_restore(comment=comment, moderator=moderator)

    assert counts() == learnt
    assert token_counts("zanzibar") == (0, 1)


def test_purging_a_comment_takes_what_it_taught_back(trained, moderator):
    comment = CommentFactory(body=PROBE)
    before = counts()
    comment_mark_spam(comment=comment, moderator=moderator)

    comment_purge(comment=comment, actor=UserFactory(is_superuser=True, is_staff=True))

    assert counts() == before
    assert token_counts("zanzibar") == (0, 0)
    assert not SpamLabel.objects.filter(comment=comment).exists()


def test_approving_a_comment_the_filter_held_logs_it_and_teaches_it_is_fine(trained, moderator):
    body = "Claim your casino bonus and free spins at https://lucky-casino.example/bonus"
    held = post_as_guest(PostFactory(), body)
    assert held.status == PENDING
    before = score_of(body)

    comment_approve(comment=held, moderator=moderator)

    held.refresh_from_db()
    assert held.status == PUBLISHED
    event = ModerationEvent.objects.filter(comment=held).first()  # newest first
    assert (event.action, event.actor, event.from_status) == ("approve", moderator, PENDING)
    assert learnt_as(held) == "legitimate"
    assert score_of(body) < before


def test_restoring_a_comment_the_filter_marked_spam_logs_it_and_teaches_it_is_fine(
    trained, moderator
):
    trained.spam_filter_spam_score = 0.9
    trained.save()
    body = "Claim your casino bonus and free spins at https://lucky-casino.example/bonus"
    spammed = post_as_guest(PostFactory(), body)
    assert spammed.status == SPAM
    before = score_of(body)

    comment_restore(comment=spammed, moderator=moderator)

    actions = list(
        ModerationEvent.objects.filter(comment=spammed)
        .order_by("pk")
        .values_list("action", "rule", "to_status")
    )
    assert actions == [("spam", "spam filter", SPAM), ("restore", "", PUBLISHED)]
    assert learnt_as(spammed) == "legitimate"
    assert score_of(body) < before


# --- A week without reports ---------------------------------------------------------------


def test_comments_left_a_week_without_reports_are_learnt_as_legitimate(
    filter_settings, moderator, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        settled = CommentFactory(body=ham_body())
        reported = CommentFactory(body=ham_body())
        ReportFactory(comment=reported)
        once_hidden = CommentFactory(body=ham_body())
        ModerationEvent.objects.create(
            comment=once_hidden, action="hide", from_status=PUBLISHED, to_status=HIDDEN
        )
        by_staff = CommentFactory(body=ham_body(), user=UserFactory(editor=True))
        held = CommentFactory(pending=True, body=ham_body())
        erased = CommentFactory(body="")
        clock.shift(timedelta(days=4))
        recent = CommentFactory(body=ham_body())
        clock.shift(timedelta(days=3, seconds=1))

        # Any moderator's decision starts the run, on the task worker.
        with django_capture_on_commit_callbacks(execute=True):
            comment_mark_spam(comment=CommentFactory(body="Buy now"), moderator=moderator)

        assert learnt_as(settled) == "legitimate"
        for other in (reported, once_hidden, by_staff, held, erased, recent):
            assert learnt_as(other) is None
        assert counts() == (1, 1)

        clock.shift(timedelta(days=4))
        with django_capture_on_commit_callbacks(execute=True):
            comment_mark_spam(comment=CommentFactory(body="Buy later"), moderator=moderator)
        assert learnt_as(recent) == "legitimate"

        # At most one run an hour: a decision within the hour of the last starts none.
        late = CommentFactory(body=ham_body(), created_at=timezone.now() - timedelta(days=8))
        clock.shift(timedelta(minutes=59))
        with django_capture_on_commit_callbacks(execute=True):
            comment_mark_spam(comment=CommentFactory(body="Buy again"), moderator=moderator)
        assert learnt_as(late) is None

        clock.shift(timedelta(minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            comment_mark_spam(comment=CommentFactory(body="Buy at last"), moderator=moderator)
        assert learnt_as(late) == "legitimate"
        assert counts() == (4, 3)


def test_a_settled_comment_learnt_as_legitimate_can_still_be_marked_spam(
    filter_settings, moderator
):
    comment = CommentFactory(body=PROBE, created_at=timezone.now() - timedelta(days=8))
    assert settled_learn() == 1
    assert token_counts("zanzibar") == (0, 1)

    comment_mark_spam(comment=comment, moderator=moderator)

    assert learnt_as(comment) == "spam"
    assert token_counts("zanzibar") == (1, 0)
    assert settled_learn() == 0


def test_the_filter_learns_nothing_from_its_own_verdicts(trained):
    before = counts()

    post_as_guest(PostFactory(), "Claim your casino bonus at https://lucky-casino.example/b")
    post_as_guest(PostFactory(), ham_body())

    assert counts() == before


def test_the_post_page_s_spam_button_teaches_the_filter(trained, moderator, client):
    comment = CommentFactory(body=PROBE)
    client.force_login(moderator)

    response = client.post(reverse("comments:moderate", args=[comment.pk]), {"action": "spam"})

    assert response.status_code == 302
    assert learnt_as(comment) == "spam"

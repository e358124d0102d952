"""Discussion modes through HTTP: what each mode lets a guest, a member and staff do, what the
page shows them, and each scheduled change applied at its time with nothing written
(a frozen clock moves past it). The rules themselves are tabled in test_modes_rules.py."""

import contextlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from comments.models import Comment, ModeChange, ModerationEvent
from comments.modes.rules import Mode
from comments.services import comment_create, posting
from comments.services.modes import post_schedule_save
from tests.comments.conftest import NOON
from tests.factories import CommentFactory, PostFactory, UserFactory, comment_form_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_quick_forms", "no_flood", "clock"),
]


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 11, day, hour, minute, second, tzinfo=UTC)


def schedule(post, *changes: tuple) -> None:
    """Give ``post`` the schedule ``changes``: (starts_at or None, mode[, minutes])."""
    rows = [
        ModeChange(starts_at=c[0], mode=c[1], slow_minutes=(c[2:] or [None])[0]) for c in changes
    ]
    post_schedule_save(post=post, saved=rows)
    post.refresh_from_db()


def send(client: Client, post, **overrides):
    return client.post(reverse("comments:post", args=[post.pk]), comment_form_data(**overrides))


def respond(client: Client, post) -> str:
    """The part under the thread: the line about the mode and the form (or what replaces it)."""
    html = client.get(post.get_absolute_url()).text
    return html[html.index('id="respond"') :]


def member(**kwargs) -> Client:
    client = Client()
    client.force_login(UserFactory(**kwargs))
    return client


@pytest.fixture
def post(post_since_yesterday):
    return post_since_yesterday


# --- Open, closed -------------------------------------------------------------------------


def test_an_open_discussion_says_nothing_about_its_mode_and_takes_comments(client, post):
    html = respond(client, post)
    assert 'id="discussion-mode"' not in html
    assert 'id="comment-form"' in html
    assert send(client, post).status_code == 302


def test_a_closed_discussion_has_no_form_and_refuses_a_comment(client, post):
    schedule(post, (None, Mode.CLOSED))
    html = respond(client, post)
    assert "Comments are closed." in html
    assert 'id="comment-form"' not in html
    response = send(client, post)
    assert response.status_code == 403
    assert "Comments are closed on this article." in response.text
    assert not Comment.objects.exists()


# --- Members only -------------------------------------------------------------------------


def test_members_only_asks_a_guest_to_sign_in_and_refuses_their_comment(client, post):
    schedule(post, (None, Mode.MEMBERS))
    html = respond(client, post)
    assert "Only members can comment on this post." in html
    assert 'id="comment-form"' not in html
    assert f"{reverse('accounts:login')}?next=" in html
    assert f"{reverse('accounts:signup')}?next=" in html

    response = send(client, post, body="Let me in.")
    assert response.status_code == 400
    assert (
        "Only members can comment on this post right now. Sign in or create an account."
        in response.text
    )
    assert "Let me in." in response.text  # their words are kept to copy
    assert not Comment.objects.exists()


def test_members_only_takes_a_members_comment(post):
    schedule(post, (None, Mode.MEMBERS))
    client = member()
    assert 'id="comment-form"' in respond(client, post)
    assert send(client, post, body="Members' view.").status_code == 302
    assert Comment.objects.get().status == Comment.Status.PUBLISHED


# --- Slow mode ----------------------------------------------------------------------------


def test_slow_mode_lets_a_person_comment_once_in_its_minutes(client, post, clock):
    schedule(post, (None, Mode.SLOW, 10))
    assert "Slow mode: one comment every 10 minutes." in respond(client, post)
    assert send(client, post, body="First thought.").status_code == 302
    clock.move_to(at(28, 12, 4, 30))
    response = send(client, post, body="Second thought.")
    assert response.status_code == 400
    assert (
        "This discussion is in slow mode: one comment every 10 minutes per person. "
        "You can comment again at 12:10." in response.text
    )
    assert "Second thought." in response.text  # their words are kept
    assert Comment.objects.count() == 1
    # Someone else is not held back by them.
    assert send(client, post, body="Mine.", email="other@example.org").status_code == 302
    clock.move_to(at(28, 12, 9, 59))
    assert send(client, post, body="Second thought.").status_code == 400
    clock.move_to(at(28, 12, 10))
    assert send(client, post, body="Second thought.").status_code == 302
    assert Comment.objects.count() == 3


def test_slow_mode_knows_a_member_by_their_account_and_their_address(post):
    schedule(post, (None, Mode.SLOW, 10))
    person = UserFactory(email="jane@example.org")
    CommentFactory(post=post, guest_email="JANE@example.org")  # written before they joined
    with pytest.raises(posting.CommentRefused) as refused:
        comment_create(post=post, body="Now as a member.", user=person)
    assert refused.value.code == "slow"


def test_staff_are_not_slowed_down(post):
    schedule(post, (None, Mode.SLOW, 10))
    client = member(moderator=True)
    assert send(client, post, body="A note from the moderators.").status_code == 302
    assert send(client, post, body="And a correction.").status_code == 302
    assert Comment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_comments_sent_at_once_in_slow_mode_do_not_both_pass(post):
    # The other comment is stored after this one's checks, just before it is saved (the
    # spam filter's verdict is the last step): the check under the post's lock sees it.
    schedule(post, (None, Mode.SLOW, 10))
    real_assess, raced = posting._assess, []

    def jane(body: str) -> Comment:
        return comment_create(
            post=post, body=body, guest_name="Jane", guest_email="jane@example.org"
        )

    def assess_after_the_other_request(**kwargs):
        if not raced:  # once: the other request goes through the service too
            raced.append(True)
            jane("Sent first.")
        return real_assess(**kwargs)

    with (
        mock.patch.object(posting, "_assess", assess_after_the_other_request),
        pytest.raises(posting.CommentRefused) as refused,
    ):
        jane("Sent second.")
    assert refused.value.code == "slow"
    assert list(Comment.objects.values_list("body", flat=True)) == ["Sent first."]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_comments_from_two_connections_at_once_in_slow_mode_make_one(post):
    # Each request, once it has stored its comment and checked again, waits up to a second
    # for the other before it commits. Without a lock both get there, each blind to the
    # other's comment; with the service's lock on the post, taken before it stores and
    # checks, the second waits for the first to commit, then sees its comment. (Every save
    # also moves the shared pages' version, whose row would line them up as well: that is
    # left out, so the test shows the service's own lock.)
    schedule(post, (None, Mode.SLOW, 10))
    meeting, real_bump = threading.Barrier(2, timeout=1), posting.post_comments_bump

    def bump_when_both_are_here(post_id: int) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):  # the other is not coming
            meeting.wait()
        real_bump(post_id)

    def jane(body: str) -> Comment | posting.CommentRefused:
        try:
            return comment_create(
                post=post, body=body, guest_name="Jane", guest_email="jane@example.org"
            )
        except posting.CommentRefused as refused:
            return refused
        finally:
            connection.close()

    with (
        mock.patch.object(posting, "post_comments_bump", bump_when_both_are_here),
        mock.patch("core.receivers.pages_changed"),
        ThreadPoolExecutor(max_workers=2) as pool,
    ):
        outcomes = list(pool.map(jane, ["One.", "Two."]))
    refusals = [outcome for outcome in outcomes if isinstance(outcome, posting.CommentRefused)]
    assert [refusal.code for refusal in refusals] == ["slow"]
    assert Comment.objects.count() == 1


# --- Held ---------------------------------------------------------------------------------


def test_a_held_discussion_holds_every_comment_and_logs_why(client, post):
    schedule(post, (None, Mode.HELD))
    html = respond(client, post)
    assert "Every comment waits for a moderator before it appears." in html
    assert "A moderator reads every comment on this article before it appears" in html
    assert "Comments are not pre-screened" not in html

    response = send(client, post, body="On a sensitive story.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.status == Comment.Status.PENDING
    event = ModerationEvent.objects.get(comment=comment)
    assert (event.rule, event.actor) == ("held discussion", None)
    # Its author sees it awaiting moderation; nobody else sees it.
    assert "Your comment is awaiting moderation." in client.get(post.get_absolute_url()).text
    assert "On a sensitive story." not in Client().get(post.get_absolute_url()).text


def test_staff_comments_in_a_held_discussion_are_published_at_once(post):
    schedule(post, (None, Mode.HELD))
    assert send(member(moderator=True), post, body="Thread rules.").status_code == 302
    assert Comment.objects.get().status == Comment.Status.PUBLISHED


def test_an_edit_in_a_held_discussion_waits_for_a_moderator_again(post):
    writer = UserFactory()
    comment = comment_create(post=post, body="Published before it was held.", user=writer)
    schedule(post, (None, Mode.HELD))
    client = Client()
    client.force_login(writer)
    response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Now changed."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("Now changed.", Comment.Status.PENDING)
    assert ModerationEvent.objects.get(comment=comment).rule == "held discussion"


# --- Scheduled changes, applied at their time ---------------------------------------------


def test_members_only_until_a_time_then_open_to_everyone(client, post, clock):
    schedule(post, (None, Mode.MEMBERS), (at(28, 18), Mode.OPEN))
    assert "Members only until 18:00, then open to everyone." in respond(client, post)
    clock.move_to(at(28, 17, 59, 59))
    assert send(client, post).status_code == 400
    clock.move_to(at(28, 18))
    html = respond(client, post)
    assert 'id="discussion-mode"' not in html
    assert 'id="comment-form"' in html
    assert send(client, post).status_code == 302


def test_a_discussion_closes_at_its_time(client, post, clock):
    first_of_december = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
    schedule(post, (first_of_december, Mode.CLOSED))
    assert "Comments close on 1 December at 09:00." in respond(client, post)
    clock.move_to(datetime(2025, 12, 1, 8, 0, tzinfo=UTC))
    assert "Comments close at 09:00." in respond(client, post)
    clock.move_to(first_of_december - timedelta(seconds=1))
    assert send(client, post, body="Just in time.").status_code == 302
    clock.move_to(first_of_december)
    assert "Comments are closed." in respond(client, post)
    assert send(client, post, body="Too late.").status_code == 403
    assert list(Comment.objects.values_list("body", flat=True)) == ["Just in time."]


def test_a_closed_discussion_reopens_at_its_time_in_the_mode_scheduled(post, clock):
    schedule(post, (None, Mode.CLOSED), (at(29, 9), Mode.SLOW, 5))
    assert (
        "Comments are closed until 29 November at 09:00, then slow mode: one comment every "
        "5 minutes." in respond(Client(), post)
    )
    clock.move_to(at(29, 9))
    client = Client()
    assert "Slow mode: one comment every 5 minutes." in respond(client, post)
    assert send(client, post).status_code == 302


def test_the_sites_automatic_closing_and_a_scheduled_reopening(discussion_settings, client):
    discussion_settings.close_after_days = 7
    posting.discussion_settings_save(settings=discussion_settings)
    post = PostFactory(published_at=NOON - timedelta(days=8))
    assert send(client, post).status_code == 403
    # An editor reopens it tomorrow morning: closed until then, open after.
    schedule(post, (at(29, 9), Mode.OPEN))
    assert "Comments are closed until 29 November at 09:00, then open to everyone." in respond(
        client, post
    )
    with time_machine.travel(at(29, 9), tick=False):
        assert send(client, post).status_code == 302


def test_reply_links_follow_the_mode(client, post):
    CommentFactory(post=post)
    posting.post_comments_bump(post.pk)
    post.refresh_from_db()
    schedule(post, (None, Mode.MEMBERS))
    assert re.search(r"replyto=\d+", client.get(post.get_absolute_url()).text)
    schedule(post, (NOON - timedelta(minutes=1), Mode.CLOSED))
    assert not re.search(r"replyto=\d+", client.get(post.get_absolute_url()).text)


def test_the_form_sent_back_with_an_error_in_a_held_discussion_says_comments_wait(client, post):
    schedule(post, (None, Mode.HELD))
    response = send(client, post, body="")
    assert response.status_code == 400
    assert "A moderator reads every comment on this article before it appears" in response.text
    assert "Comments are not pre-screened" not in response.text
    assert Comment.objects.count() == 0

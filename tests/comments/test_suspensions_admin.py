"""Suspensions in the admin: suspending someone by account, e-mail or IP address, the list of
who is suspended and until when (active, expired, lifted), lifting, and the comment list's
"Suspend the author…" action. Moderators only."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from comments.models import Comment, Suspension
from comments.services import ip_hash
from comments.services.suspensions import Person, suspension_create, suspension_lift
from tests.factories import CommentFactory, UserFactory, comment_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_suspension_changelist")
ADD = reverse("admin:comments_suspension_add")
COMMENTS = reverse("admin:comments_comment_changelist")
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def guest(email: str, name: str = "") -> Person:
    return Person(user=None, email=email, name=name)


def add(client, **data):
    return client.post(ADD, {"length": "7", "note": "", **data}, follow=True)


# --- Suspending someone ------------------------------------------------------------------


def test_a_member_is_suspended_by_username_from_the_admin(moderator_client, moderator, guideline):
    member = UserFactory(username="rex", display_name="Rex Rude", email="rex@example.org")
    page = moderator_client.get(ADD)
    assert page.status_code == 200
    assert "Or a guest’s e-mail address" in page.text

    with time_machine.travel(NOW, tick=False):
        done = add(moderator_client, member="REX", guideline=guideline.pk, note="Repeated insults")

    assert done.redirect_chain[-1][0] == CHANGELIST
    assert messages_of(done) == [
        "Rex Rude (member rex) can’t comment until 3 December 2026 at 09:30."
    ]
    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.email, suspension.created_by) == (
        member,
        "rex@example.org",
        moderator,
    )
    assert "Rex Rude (member rex)" in done.text


def test_a_guest_is_suspended_by_email_and_ip_address_and_only_its_hash_is_kept(
    moderator_client, guideline, settings
):
    settings.COMMENT_FORM_MIN_SECONDS = 0
    add(
        moderator_client,
        email="Spam@Example.org",
        ip_address="203.0.113.9",
        guideline=guideline.pk,
        length="forever",
    )
    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.email, suspension.ends_at) == (
        None,
        "spam@example.org",
        None,
    )
    assert suspension.ip_hash == ip_hash("203.0.113.9")
    assert "203.0.113.9" not in repr(Suspension.objects.values().get())
    post = CommentFactory().post
    url = reverse("comments:post", args=[post.pk])
    other = Client(REMOTE_ADDR="203.0.113.9").post(url, comment_form_data(email="b@example.org"))
    assert other.status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Please give either a member or a guest’s e-mail address."),
        (
            {"member": "rex", "email": "rex@example.org"},
            "Please give either a member or a guest’s e-mail address.",
        ),
        ({"member": "nobody-here"}, "No member has that username or e-mail address."),
        ({"email": "not an address"}, "Please check the e-mail address; it doesn’t look complete."),
        (
            {"email": "a@example.org", "ip_address": "999.1.1.1"},
            "Please give an IPv4 or IPv6 address, or leave it empty.",
        ),
    ],
)
def test_the_add_page_explains_what_is_missing(moderator_client, guideline, data, message):
    UserFactory(username="rex")
    response = add(moderator_client, guideline=guideline.pk, **data)
    assert message in response.text.replace("&#x27;", "'").replace("&#x2019;", "’")
    assert not Suspension.objects.exists()


def test_a_second_suspension_of_the_same_person_is_refused_clearly(moderator_client, guideline):
    add(moderator_client, email="rex@example.org", guideline=guideline.pk)
    again = add(moderator_client, email="REX@example.org", guideline=guideline.pk)
    assert "rex@example.org (guest) is already suspended. Lift that suspension first" in again.text
    assert Suspension.objects.count() == 1


def test_only_moderators_see_suspensions(client, guideline, moderator):
    suspension_create(
        person=guest("a@example.org"), moderator=moderator, guideline=guideline, days=1
    )
    client.force_login(UserFactory(editor=True))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert add(client, email="b@example.org", guideline=guideline.pk).status_code == 403
    assert Suspension.objects.count() == 1


# --- The list ----------------------------------------------------------------------------


@pytest.fixture
def three_states(moderator, guideline):
    """A suspension that is active, one that ran out, one that was lifted, as of NOW."""
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        expired = suspension_create(
            person=guest("old@example.org", "Old Timer"),
            moderator=moderator,
            guideline=guideline,
            days=3,
        ).suspension
        lifted = suspension_create(
            person=guest("sorry@example.org", "Sorry Sam"),
            moderator=moderator,
            guideline=guideline,
            days=30,
        ).suspension
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        suspension_lift(suspension=lifted, moderator=moderator, note="Apologised")
        active = suspension_create(
            person=guest("rex@example.org", "Rex Rude"),
            moderator=moderator,
            guideline=guideline,
            days=7,
        ).suspension
    return active, expired, lifted


def test_the_list_says_who_is_suspended_and_until_when(moderator_client, three_states):
    with time_machine.travel(NOW, tick=False):
        page = moderator_client.get(CHANGELIST).text
    assert "Rex Rude (guest, rex@example.org)" in page
    assert "Active until 2 December 2026 at 09:30" in page
    assert "Expired on 19 November 2026 at 09:30" in page
    assert "Lifted on 25 November 2026 at 09:30 by Mo Derator" in page


@pytest.mark.parametrize(
    ("state", "names"),
    [
        ("active", ["Rex Rude"]),
        ("expired", ["Old Timer"]),
        ("lifted", ["Sorry Sam"]),
        (None, ["Rex Rude", "Old Timer", "Sorry Sam"]),
    ],
)
def test_the_list_filters_by_state_as_of_now(moderator_client, three_states, state, names):
    query = f"?state={state}" if state else ""
    with time_machine.travel(NOW, tick=False):
        response = moderator_client.get(CHANGELIST + query)
    shown = [s.name for s in response.context["cl"].result_list]
    assert sorted(shown) == sorted(names)


def test_a_suspensions_page_shows_its_history(moderator_client, three_states):
    _active, expired, lifted = three_states
    with time_machine.travel(NOW, tick=False):
        lifted_page = moderator_client.get(
            reverse("admin:comments_suspension_change", args=[lifted.pk])
        )
        expired_page = moderator_client.get(
            reverse("admin:comments_suspension_change", args=[expired.pk])
        )
    assert "lifted by Mo Derator. Note: Apologised" in lifted_page.text
    assert "ran out." in expired_page.text
    assert f"{COMMENTS}?q=old%40example.org" in expired_page.text


@pytest.mark.parametrize("count", [3, 40])
def test_the_list_runs_a_bounded_number_of_queries(
    moderator_client, moderator, guideline, django_assert_max_num_queries, count
):
    for n in range(count):
        member = UserFactory()
        suspension_create(
            person=Person(user=member, email=member.email, name=member.public_name),
            moderator=moderator,
            guideline=guideline,
            days=n + 1,
        )
    with django_assert_max_num_queries(10):
        response = moderator_client.get(CHANGELIST + "?state=active")
    assert len(response.context["cl"].result_list) == count


# --- Lifting -----------------------------------------------------------------------------


def test_lifting_asks_for_a_note_then_lifts_and_a_second_lift_is_refused(
    moderator_client, moderator, three_states
):
    active, expired, _lifted = three_states
    selection = {"action": "lift_suspensions", "_selected_action": [active.pk, expired.pk]}
    with time_machine.travel(NOW, tick=False):
        ask = moderator_client.post(CHANGELIST, selection)
        assert ask.status_code == 200
        assert "Lift suspensions" in ask.text
        assert "2 suspensions to lift" in ask.text
        done = moderator_client.post(
            CHANGELIST, {**selection, "_confirm": "yes", "lift_note": "Second chance"}, follow=True
        )
    active.refresh_from_db()
    assert (active.lifted_by, active.lift_note, active.lifted_at) == (
        moderator,
        "Second chance",
        NOW,
    )
    assert messages_of(done) == [
        "Old Timer (guest, old@example.org): This suspension has already run out.",
        "1 suspension lifted.",
    ]
    expired.refresh_from_db()
    assert expired.lifted_at is None


def test_a_suspension_is_lifted_from_its_own_page(moderator_client, moderator, guideline):
    suspension = suspension_create(
        person=guest("rex@example.org", "Rex"), moderator=moderator, guideline=guideline, days=7
    ).suspension
    url = reverse("admin:comments_suspension_change", args=[suspension.pk])
    data = {"CHANGE_FORM-action": "lift_suspensions", "_selected_action": [suspension.pk]}
    ask = moderator_client.post(url, data)
    assert 'name="CHANGE_FORM-action" value="lift_suspensions"' in ask.text
    moderator_client.post(url, {**data, "_confirm": "yes", "lift_note": ""})
    suspension.refresh_from_db()
    assert suspension.lifted_by == moderator


def test_a_lift_note_too_long_is_refused_and_nothing_changes(moderator_client, three_states):
    active = three_states[0]
    data = {
        "action": "lift_suspensions",
        "_selected_action": [active.pk],
        "_confirm": "yes",
        "lift_note": "x" * 1001,
    }
    response = moderator_client.post(CHANGELIST, data)
    assert "Please keep the note under 1,000 characters." in response.text
    active.refresh_from_db()
    assert active.lifted_at is None


# --- From the comment list ---------------------------------------------------------------


def test_suspend_the_authors_suspends_each_person_once(moderator_client, moderator, guideline):
    first = CommentFactory(guest_name="Rex Rude", guest_email="rex@example.org")
    second = CommentFactory(guest_name="Rex R.", guest_email="REX@example.org")
    member_comment = CommentFactory(member=True, user__display_name="Ann Other")
    colleague = CommentFactory(member=True, user=UserFactory(moderator=True, display_name="Mo 2"))
    chosen = [first.pk, second.pk, member_comment.pk, colleague.pk]
    selection = {"action": "suspend_authors", "_selected_action": chosen}

    ask = moderator_client.post(COMMENTS, selection)
    assert ask.status_code == 200
    assert "3 people to suspend" in ask.text
    assert ask.text.count("Rex R") == 1
    done = moderator_client.post(
        COMMENTS,
        {
            **selection,
            "_confirm": "yes",
            "length": "30",
            "guideline": guideline.pk,
            "note": "Pile-on",
            "remove_comments": "on",
        },
        follow=True,
    )

    said = messages_of(done)
    assert "Mo 2 is a moderator. Take away their role before suspending them." in said
    assert sum("can’t comment until" in line for line in said) == 2
    assert Suspension.objects.count() == 2
    assert {s.note for s in Suspension.objects.all()} == {"Pile-on"}
    statuses = set(Comment.objects.filter(pk__in=chosen).values_list("pk", "status"))
    assert statuses == {
        (first.pk, "hidden"),
        (second.pk, "hidden"),
        (member_comment.pk, "hidden"),
        (colleague.pk, "published"),
    }


def test_suspend_the_authors_without_a_guideline_asks_again(moderator_client, guideline):
    comment = CommentFactory(guest_name="Rex")
    data = {"action": "suspend_authors", "_selected_action": [comment.pk], "_confirm": "yes"}
    response = moderator_client.post(COMMENTS, {**data, "length": "7"})
    assert response.status_code == 200
    assert "Please choose the guideline that was broken." in response.text
    assert not Suspension.objects.exists()


@pytest.mark.parametrize("count", [3, 40])
def test_the_confirmation_pages_run_a_bounded_number_of_queries(
    moderator_client, moderator, guideline, django_assert_max_num_queries, count
):
    comments = [CommentFactory(member=True) for _ in range(count)]
    comments += [CommentFactory(guest_email=f"g{n}@example.org") for n in range(count)]
    suspensions = [
        suspension_create(
            person=guest(f"s{n}@example.org"), moderator=moderator, guideline=guideline, days=1
        ).suspension
        for n in range(count)
    ]
    chosen = {"action": "suspend_authors", "_selected_action": [c.pk for c in comments]}
    with django_assert_max_num_queries(12):
        ask = moderator_client.post(COMMENTS, chosen)
    assert f"{2 * count} people to suspend" in ask.text
    lift = {"action": "lift_suspensions", "_selected_action": [s.pk for s in suspensions]}
    with django_assert_max_num_queries(10):
        ask = moderator_client.post(CHANGELIST, lift)
    assert f"{count} suspensions to lift" in ask.text
    page = reverse("admin:comments_suspension_change", args=[suspensions[0].pk])
    with django_assert_max_num_queries(10):
        assert moderator_client.get(page).status_code == 200

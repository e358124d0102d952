"""Suspensions through the site: a moderator suspends a comment's author from the post page,
the suspended person reads why in place of the form and is refused (403) when they send a
comment anyway, and the suspension ends when its time runs out or a moderator lifts it.
"Remove everything by this person" hides all they published. The admin's side is in
test_suspensions_admin.py."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from comments import rules
from comments.discussion import COMMENTER_COOKIE, remember_commenter
from comments.models import Comment, Guideline, ModerationEvent, Suspension
from comments.services import ip_hash, post_comments_bump
from comments.services.suspensions import (
    REMOVE_EVERYTHING_RULE,
    Person,
    SuspensionRefused,
    person_of_comment,
    suspension_create,
    suspension_lift,
)
from tests.factories import CommentFactory, PostFactory, UserFactory, comment_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_quick_forms")]

# A Thursday morning; a week later is 3 December 2026.
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.fixture
def post():
    return PostFactory(title="Parking on the high street", published_at=NOW - timedelta(days=30))


@pytest.fixture
def member():
    return UserFactory(username="rex", display_name="Rex Rude", email="Rex@Example.org")


def suspend_url(comment: Comment) -> str:
    return reverse("comments:suspend", args=[comment.pk])


def suspend(client, comment, rule, **extra):
    data = {"length": "7", "guideline": rule.pk, "note": "Name-calling, again", **extra}
    return client.post(suspend_url(comment), data)


def send(client, post, **overrides):
    return client.post(reverse("comments:post", args=[post.pk]), comment_form_data(**overrides))


def respond(response) -> str:
    html = response.content.decode()
    return html[html.index('id="respond"') :]


def remembered(client: Client, *, name: str, email: str) -> Client:
    """``client`` as a browser that remembers a guest's name and e-mail address."""
    response = HttpResponse()
    remember_commenter(response, name=name, email=email, remember=True)
    client.cookies[COMMENTER_COOKIE] = response.cookies[COMMENTER_COOKIE].value
    return client


# --- The rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_id", "guest_name", "has_author"),
    [(7, "", True), (None, "Rex", True), (None, "", False)],
)
def test_who_stands_behind_a_comment(user_id, guest_name, has_author):
    assert rules.comment_has_author(user_id=user_id, guest_name=guest_name) is has_author


@pytest.mark.parametrize(
    ("ends_at", "expected"),
    [
        (
            NOW + timedelta(days=7),
            "You can’t comment until 3 December 2026 at 09:30 because a moderator suspended "
            "you for breaking our Community Guidelines: see guideline 2, “No personal attacks”.",
        ),
        (
            None,
            "You can’t comment here any more because a moderator suspended you for breaking "
            "our Community Guidelines: see guideline 2, “No personal attacks”.",
        ),
    ],
)
def test_the_suspension_message_says_until_when_and_why(ends_at, expected):
    message = rules.suspension_message(
        ends_at=ends_at, guideline_number=2, guideline_title="No personal attacks"
    )
    assert message == expected


def test_the_message_gives_the_end_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    words = rules.suspension_end_words(datetime(2026, 12, 3, 23, 30, tzinfo=UTC))
    assert words == "4 December 2026 at 00:30"


# --- Suspending from the post page ------------------------------------------------------


def test_the_moderators_controls_offer_suspend_author_and_readers_never_see_it(
    moderator_client, post
):
    comment = CommentFactory(post=post, guest_name="Rex Rude")
    erased = CommentFactory(post=post, guest_name="", guest_email="", body="")
    post_comments_bump(post.pk)

    reader = Client().get(post.get_absolute_url()).text  # fills the shared cache
    assert "comment-suspend" not in reader
    html = moderator_client.get(post.get_absolute_url()).text
    link = re.search(rf'<a href="{suspend_url(comment)}" class="comment-suspend">([^<]*)', html)
    assert link.group(1) == "Suspend author…"
    assert suspend_url(erased) not in html  # nobody left to suspend
    assert "comment-suspend" not in Client().get(post.get_absolute_url()).text


def test_a_member_is_suspended_from_the_post_page_and_sees_why_instead_of_the_form(
    moderator_client, moderator, member, post, guideline
):
    comment = CommentFactory(post=post, user=member, guest_name="", guest_email="")
    CommentFactory(post=post, user=member, guest_name="", guest_email="")
    member_client = Client()
    member_client.force_login(member)
    assert 'id="comment-form"' in member_client.get(post.get_absolute_url()).text

    with time_machine.travel(NOW, tick=False):
        ask = moderator_client.get(suspend_url(comment))
        assert ask.status_code == 200
        assert "Suspend Rex Rude (member rex)?" in ask.text
        assert "They have 2 published comments." in ask.text
        done = suspend(moderator_client, comment, guideline)

        assert done.status_code == 302
        assert done["Location"].endswith(f"#comment-{comment.pk}")
        shown = moderator_client.get(done["Location"])
        assert "Rex Rude (member rex) can’t comment until 3 December 2026 at 09:30." in shown.text
        suspension = Suspension.objects.get()
        assert (suspension.user, suspension.email, suspension.created_by) == (
            member,
            "rex@example.org",
            moderator,
        )
        assert (suspension.guideline, suspension.note) == (guideline, "Name-calling, again")
        assert suspension.ends_at == NOW + timedelta(days=7)

        page = respond(member_client.get(post.get_absolute_url()))
        assert 'id="comment-form"' not in page
        expected = rules.suspension_message(
            ends_at=NOW + timedelta(days=7),
            guideline_number=2,
            guideline_title="No personal attacks",
        )
        assert expected in page.replace("&#x27;", "'")
        refused = send(member_client, post, body="Still here")
        assert refused.status_code == 403
        assert expected in refused.text
    assert Comment.objects.filter(body="Still here").count() == 0


def test_a_suspended_member_cannot_edit_their_recent_comment_either(
    member, moderator, post, guideline
):
    comment = CommentFactory(post=post, user=member, guest_name="", guest_email="")
    suspension_create(
        person=person_of_comment(comment), moderator=moderator, guideline=guideline, days=1
    )
    client = Client()
    client.force_login(member)
    response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Edited"})
    assert response.status_code == 403
    assert "You can’t comment until" in response.text
    comment.refresh_from_db()
    assert comment.body != "Edited"


def test_a_member_signed_out_is_refused_under_their_address_as_a_guest(
    member, moderator, post, guideline
):
    comment = CommentFactory(post=post, user=member, guest_name="", guest_email="")
    suspension_create(
        person=person_of_comment(comment), moderator=moderator, guideline=guideline, days=1
    )
    response = send(Client(), post, email="REX@example.org")
    assert response.status_code == 403
    assert "see guideline 2" in response.text


def test_a_guest_is_suspended_by_email_address_and_others_still_comment(
    moderator_client, post, guideline
):
    comment = CommentFactory(post=post, guest_name="Rex Rude", guest_email="Rex@Example.org")
    assert suspend(moderator_client, comment, guideline).status_code == 302

    refused = send(Client(), post, name="Someone Else", email="rex@example.ORG")
    assert refused.status_code == 403
    assert "because a moderator suspended you" in refused.text
    assert send(Client(), post, name="Ana", email="ana@example.org").status_code == 302
    assert Comment.objects.filter(guest_email__iexact="rex@example.org").count() == 1


def test_a_guest_is_recognised_by_the_address_their_browser_remembers(
    moderator_client, post, guideline
):
    comment = CommentFactory(post=post, guest_name="Rex Rude", guest_email="rex@example.org")
    suspend(moderator_client, comment, guideline)
    guest = remembered(Client(), name="Rex Rude", email="rex@example.org")

    assert 'id="comment-suspended"' in respond(guest.get(post.get_absolute_url()))
    # A new address typed into the form does not get round it.
    refused = send(guest, post, name="R", email="new-address@example.org")
    assert refused.status_code == 403
    assert Comment.objects.filter(guest_email="new-address@example.org").count() == 0


def test_a_suspended_guests_message_never_reaches_the_shared_page_cache(
    moderator_client, post, guideline
):
    comment = CommentFactory(post=post, guest_name="Rex Rude", guest_email="rex@example.org")
    post_comments_bump(post.pk)
    suspend(moderator_client, comment, guideline)
    guest = remembered(Client(), name="Rex Rude", email="rex@example.org")
    other_guest = remembered(Client(), name="Ana", email="ana@example.org")

    for _ in range(2):  # the second time from whatever the first round left in the caches
        assert 'id="comment-suspended"' in respond(guest.get(post.get_absolute_url()))
        for reader in (Client(), other_guest):
            page = respond(reader.get(post.get_absolute_url()))
            assert 'id="comment-form"' in page
            assert "suspended" not in page


def test_suspending_by_address_refuses_other_guests_there_but_not_members(
    moderator_client, post, guideline
):
    comment = CommentFactory(
        post=post, guest_name="Rex Rude", guest_email="rex@example.org", ip_hash=ip_hash("10.1.2.3")
    )
    ask = moderator_client.get(suspend_url(comment))
    assert "Also refuse guest comments from the address" in ask.text
    suspend(moderator_client, comment, guideline, by_address="on")
    assert Suspension.objects.get().ip_hash == ip_hash("10.1.2.3")

    there = Client(REMOTE_ADDR="10.1.2.3")
    assert send(there, post, name="Sock", email="sock@example.org").status_code == 403
    assert send(Client(REMOTE_ADDR="10.9.9.9"), post, email="ok@example.org").status_code == 302
    member = Client(REMOTE_ADDR="10.1.2.3")
    member.force_login(UserFactory())
    assert send(member, post, body="From the office network").status_code == 302


def test_without_an_address_the_form_does_not_offer_to_refuse_one(moderator_client, post):
    comment = CommentFactory(post=post, guest_name="Rex", ip_hash="")
    ask = moderator_client.get(suspend_url(comment))
    assert ask.status_code == 200
    assert 'name="by_address"' not in ask.text


def test_a_suspension_runs_out_on_time_without_anything_running(
    moderator_client, member, post, guideline, no_flood
):
    comment = CommentFactory(post=post, user=member, guest_name="", guest_email="")
    member_client = Client()
    member_client.force_login(member)
    with time_machine.travel(NOW, tick=False) as clock:
        suspend(moderator_client, comment, guideline, length="1")
        member_client.get(post.get_absolute_url())  # the list of suspended people cached

        clock.move_to(NOW + timedelta(days=1) - timedelta(seconds=1))
        assert 'id="comment-suspended"' in respond(member_client.get(post.get_absolute_url()))
        assert send(member_client, post, body="Too soon").status_code == 403

        clock.move_to(NOW + timedelta(days=1))
        assert 'id="comment-form"' in respond(member_client.get(post.get_absolute_url()))
        assert send(member_client, post, body="Back, and polite").status_code == 302
    suspension = Suspension.objects.get()
    assert (suspension.lifted_at, suspension.lifted_by) == (None, None)


def test_for_good_means_for_good(moderator_client, member, post, guideline):
    comment = CommentFactory(post=post, user=member, guest_name="", guest_email="")
    suspend(moderator_client, comment, guideline, length="forever")
    with time_machine.travel(NOW + timedelta(days=3650)):
        member_client = Client()
        member_client.force_login(member)
        page = respond(member_client.get(post.get_absolute_url()))
    assert "You can’t comment here any more" in page.replace("&#x27;", "'")


def test_a_warm_member_page_shows_a_new_suspension_at_the_next_load(
    moderator, member, post, guideline, django_assert_num_queries
):
    comment = CommentFactory(post=post, guest_name="Rex", guest_email="rex@example.org")
    post_comments_bump(post.pk)
    member_client = Client()
    member_client.force_login(member)
    for _ in range(2):  # the shell, the thread and the list of suspended people cached
        member_client.get(post.get_absolute_url())
    with django_assert_num_queries(4):  # as before suspensions existed
        assert 'id="comment-form"' in respond(member_client.get(post.get_absolute_url()))
    anonymous = Client().get(post.get_absolute_url()).text

    suspension_create(
        person=Person(user=member, email=member.email, name="Rex Rude"),
        moderator=moderator,
        guideline=guideline,
        days=3,
    )

    assert 'id="comment-suspended"' in respond(member_client.get(post.get_absolute_url()))
    again = Client().get(post.get_absolute_url()).text
    assert 'id="comment-form"' in respond_text(again)
    assert "suspended" not in respond_text(again)
    assert comment.body in anonymous
    assert comment.body in again


def respond_text(html: str) -> str:
    return html[html.index('id="respond"') :]


def test_lifting_lets_them_comment_again_at_once(moderator, member, post, guideline):
    comment = CommentFactory(post=post, user=member, guest_name="", guest_email="")
    done = suspension_create(
        person=person_of_comment(comment), moderator=moderator, guideline=guideline, days=30
    )
    member_client = Client()
    member_client.force_login(member)
    assert 'id="comment-suspended"' in respond(member_client.get(post.get_absolute_url()))

    suspension_lift(suspension=done.suspension, moderator=moderator, note="Apologised")

    assert 'id="comment-form"' in respond(member_client.get(post.get_absolute_url()))
    with pytest.raises(SuspensionRefused, match="already been lifted"):
        suspension_lift(suspension=done.suspension, moderator=moderator)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"guideline": "", "length": "7"}, "Please choose the guideline that was broken."),
        ({"length": "2"}, "Please choose one of the lengths offered."),
        ({"length": ""}, "Please choose how long the suspension lasts."),
    ],
)
def test_a_suspension_needs_a_length_and_a_guideline(
    moderator_client, post, guideline, data, message
):
    comment = CommentFactory(post=post, guest_name="Rex")
    response = suspend(moderator_client, comment, guideline, **data)
    assert response.status_code == 400
    assert message in response.text
    assert not Suspension.objects.exists()


def test_someone_already_suspended_is_shown_their_suspension_instead(
    moderator_client, post, guideline
):
    comment = CommentFactory(post=post, guest_name="Rex Rude", guest_email="rex@example.org")
    suspend(moderator_client, comment, guideline)
    later = CommentFactory(post=post, guest_name="Rex R.", guest_email="REX@example.org")

    again = moderator_client.get(suspend_url(later))
    assert "Rex R. (guest) is already suspended until" in again.text
    assert 'name="length"' not in again.text
    assert suspend(moderator_client, later, guideline).status_code == 400
    assert Suspension.objects.count() == 1


def test_a_moderator_cannot_be_suspended(moderator_client, post, guideline):
    colleague = UserFactory(moderator=True, display_name="Other Mod")
    comment = CommentFactory(post=post, user=colleague, guest_name="", guest_email="")
    response = suspend(moderator_client, comment, guideline)
    assert response.status_code == 400
    assert "Other Mod is a moderator. Take away their role before suspending them." in (
        response.text.replace("&#x27;", "'")
    )
    assert not Suspension.objects.exists()


def test_a_comment_with_nobody_behind_it_says_so(moderator_client, post, guideline):
    erased = CommentFactory(post=post, guest_name="", guest_email="", body="")
    page = moderator_client.get(suspend_url(erased))
    assert "Nobody can be suspended for this comment" in page.text.replace("&#x27;", "'")
    assert suspend(moderator_client, erased, guideline).status_code == 400
    assert not Suspension.objects.exists()


def test_only_moderators_may_suspend(client, post, guideline):
    comment = CommentFactory(post=post, guest_name="Rex")
    assert client.get(suspend_url(comment)).status_code == 302  # to the sign-in page
    client.force_login(UserFactory(editor=True))
    assert client.get(suspend_url(comment)).status_code == 403
    assert suspend(client, comment, guideline).status_code == 403
    assert not Suspension.objects.exists()


# --- Remove everything by this person ---------------------------------------------------


def test_remove_everything_hides_all_they_published_with_a_log_entry_each(
    moderator_client, moderator, post, guideline, django_capture_on_commit_callbacks
):
    other_post = PostFactory(title="Bus lanes")
    theirs = [
        CommentFactory(post=post, guest_name="Rex", guest_email="rex@example.org"),
        CommentFactory(post=post, guest_name="Rex", guest_email="REX@example.org"),
        CommentFactory(post=other_post, guest_name="Rex", guest_email="rex@example.org"),
    ]
    held = CommentFactory(post=post, guest_name="Rex", guest_email="rex@example.org", pending=True)
    someone_else = CommentFactory(post=post, guest_name="Ana", body="Ana's fair point")
    for p in (post, other_post):
        post_comments_bump(p.pk)
    reader_page = Client().get(post.get_absolute_url()).text  # cached for readers
    assert theirs[0].body in reader_page

    with django_capture_on_commit_callbacks(execute=True):
        done = suspend(moderator_client, theirs[0], guideline, remove_comments="on")

    assert done.status_code == 302
    shown = moderator_client.get(done["Location"]).text
    assert "Rex (guest) can’t comment until" in shown.replace("&#x27;", "'")
    assert "3 comments hidden." in shown
    for comment in theirs:
        comment.refresh_from_db()
        assert (comment.status, comment.guideline) == (Comment.Status.HIDDEN, guideline)
        event = ModerationEvent.objects.get(comment=comment)
        assert (event.actor, event.action, event.rule, event.note) == (
            moderator,
            "hide",
            REMOVE_EVERYTHING_RULE,
            "Name-calling, again",
        )
    held.refresh_from_db()
    someone_else.refresh_from_db()
    assert (held.status, someone_else.status) == (Comment.Status.PENDING, "published")
    post.refresh_from_db()
    other_post.refresh_from_db()
    assert (post.comment_count, other_post.comment_count) == (1, 0)
    reader_page = Client().get(post.get_absolute_url()).text
    assert theirs[0].body not in reader_page
    assert "Ana's fair point" in reader_page.replace("&#x27;", "'")
    assert "One thought on" in reader_page
    assert mail.outbox == []  # not an e-mail for each comment


def test_without_remove_everything_their_comments_stay(moderator_client, post, guideline):
    comment = CommentFactory(post=post, guest_name="Rex", guest_email="rex@example.org")
    suspend(moderator_client, comment, guideline)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert not ModerationEvent.objects.exists()


# --- Query budgets ----------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 40])
def test_the_suspend_form_runs_a_bounded_number_of_queries(
    moderator_client, post, guideline, django_assert_max_num_queries, count
):
    comments = [
        CommentFactory(post=post, guest_name="Rex", guest_email="rex@example.org")
        for _ in range(count)
    ]
    Guideline.objects.bulk_create(
        Guideline(number=10 + n, title=f"Rule {n}", text="…") for n in range(count)
    )
    # The site's navigation and the shared pages' version it is kept under, both, and the
    # next moment a post goes live or leaves (blog.caching.visibility_changes_at).
    with django_assert_max_num_queries(11):
        response = moderator_client.get(suspend_url(comments[0]))
    assert f"They have {count} published comments." in response.text


@pytest.mark.parametrize("count", [3, 40])
def test_remove_everything_costs_the_same_for_each_comment(
    moderator_client, guideline, django_assert_max_num_queries, count
):
    """Each comment goes through comment_hide (a lock, the change, its reports, its log entry,
    its post's count and version): a fixed number of queries per comment, plus the
    suspension's own, whatever else is stored."""
    post = PostFactory()
    comments = [
        CommentFactory(post=post, guest_name="Rex", guest_email="rex@example.org")
        for _ in range(count)
    ]
    CommentFactory.create_batch(count, post=post)
    with django_assert_max_num_queries(20 + 10 * count):
        response = suspend(moderator_client, comments[0], guideline, remove_comments="on")
    assert response.status_code == 302
    assert Comment.objects.filter(status=Comment.Status.HIDDEN).count() == count

"""Following a post's discussion by e-mail (comments.follows, comments.services.follows): a
member follows with one click, a guest after confirming their address (nothing stored, one
e-mail, before that), every digest lists the comments made public since the last one, at
most one e-mail per follower per digest period, and a signed link stops it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.tasks import task_backends
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.follows.mail import confirm_url, stop_url
from comments.follows.models import DiscussionFollow, FollowedComment
from comments.models import Comment, Guideline
from comments.services import comment_approve, comment_create, comment_hide
from comments.services.follows import follow_member
from comments.tasks import send_follow_digest
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://tribune.example"
PERIOD = timedelta(minutes=60)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL
    settings.COMMENT_FOLLOW_DIGEST_MINUTES = 60


@pytest.fixture
def post():
    # Its author wants no e-mail about comments, so the outbox holds only follow e-mails
    # (and reply e-mails where a test asks for them).
    return PostFactory(
        title="Rivers in spring",
        author__notify_on_post_comments=False,
        published_at=timezone.now() - timedelta(days=1),
    )


@pytest.fixture
def member():
    return UserFactory(display_name="Mina Member", email="mina@example.org")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link_in(text: str, path: str) -> str:
    return re.search(rf"{re.escape(SITE_URL + path)}\S+/", text).group(0)


# --- Following from the post page -----------------------------------------------


def test_a_member_follows_with_one_click_and_then_sees_following_with_stop(post, member):
    client = signed_in(member)
    before = client.get(post.get_absolute_url()).text
    assert "Follow by e-mail" in before
    assert "Stop following" not in before

    response = client.post(reverse("comments:follow", args=[post.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#follow"
    (follow,) = DiscussionFollow.objects.all()
    assert (follow.post, follow.user, follow.email) == (post, member, "")
    after = client.get(response["Location"]).text
    assert "You’re following this discussion" in after
    assert "Following: new comments come to you by e-mail" in after
    assert "Stop following" in after
    assert 'id="id_follow_email"' not in after
    assert mail.outbox == []  # a member's address is confirmed already: no e-mail


def test_following_twice_keeps_one_follow(post, member):
    client = signed_in(member)
    client.post(reverse("comments:follow", args=[post.pk]))
    client.post(reverse("comments:follow", args=[post.pk]))
    assert DiscussionFollow.objects.count() == 1


def test_a_member_stops_with_the_button_under_the_thread(post, member):
    follow_member(post=post, user=member)
    client = signed_in(member)

    response = client.post(reverse("comments:unfollow", args=[post.pk]), follow=True)

    assert DiscussionFollow.objects.count() == 0
    assert "You’ve stopped following “Rivers in spring”" in response.text
    assert "Follow by e-mail" in response.text


def test_a_member_whose_address_is_not_confirmed_is_refused_and_nothing_stored(post):
    unconfirmed = UserFactory(unverified=True)
    client = signed_in(unconfirmed)
    assert 'action="/comments/post/' + str(post.pk) + '/follow/"' not in (
        client.get(post.get_absolute_url()).text
    )

    response = client.post(reverse("comments:follow", args=[post.pk]))

    assert response.status_code == 400
    assert "Please confirm your e-mail address to follow discussions." in response.text
    assert DiscussionFollow.objects.count() == 0


def test_a_member_sees_and_stops_their_follows_from_their_account(post, member):
    other = PostFactory(title="Birds in autumn")
    follow_member(post=post, user=member)
    follow_member(post=other, user=member)
    client = signed_in(member)
    assert reverse("comments:following") in client.get(reverse("accounts:profile")).text

    listed = client.get(reverse("comments:following")).text
    assert "Rivers in spring" in listed
    assert "Birds in autumn" in listed

    response = client.post(
        reverse("comments:unfollow", args=[other.pk]),
        {"next": reverse("comments:following")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("comments:following")
    assert "You’ve stopped following “Birds in autumn”" in response.text
    assert f'href="{other.get_absolute_url()}#comments"' not in response.text
    assert f'href="{post.get_absolute_url()}#comments"' in response.text
    assert list(DiscussionFollow.objects.values_list("post", flat=True)) == [post.pk]


def test_the_list_of_follows_is_for_members_only(client):
    response = client.get(reverse("comments:following"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unfollow_link_to_somewhere_else_goes_back_to_the_article(post, member):
    follow_member(post=post, user=member)
    response = signed_in(member).post(
        reverse("comments:unfollow", args=[post.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"{post.get_absolute_url()}#follow"


def test_a_member_s_download_lists_what_they_follow(post, member):
    follow = follow_member(post=post, user=member)
    response = signed_in(member).get(reverse("accounts:export"))
    assert response.json()["follows"] == [
        {
            "post_title": "Rivers in spring",
            "post_url": SITE_URL + post.get_absolute_url(),
            "following_since": follow.confirmed_at.isoformat(),
        }
    ]


def test_closing_an_account_stops_its_follows(post, member):
    from accounts.services.profile import account_delete

    member.set_password("a long passphrase")
    member.save()
    follow_member(post=post, user=member)
    account_delete(user=member, password="a long passphrase")
    assert DiscussionFollow.objects.count() == 0


# --- A guest: double opt-in ---------------------------------------------------------------


def ask(client: Client, post, email: str = "Gus@Example.org", **headers):
    return client.post(reverse("comments:follow", args=[post.pk]), {"email": email}, **headers)


def test_a_guest_gets_one_confirmation_email_and_nothing_is_stored_before(client, post):
    response = ask(client, post)

    assert response.status_code == 200
    assert "Check your inbox" in response.text
    assert DiscussionFollow.objects.count() == 0
    (message,) = mail.outbox
    assert message.to == ["gus@example.org"]
    assert message.subject == "Confirm: follow the discussion of “Rivers in spring”"
    assert link_in(message.body, "/comments/follow/confirm/")


def test_the_confirmation_link_asks_first_and_confirms_on_post(client, post):
    ask(client, post)
    link = link_in(mail.outbox[0].body, "/comments/follow/confirm/")
    path = link.removeprefix(SITE_URL)

    page = client.get(path)
    assert page.status_code == 200
    assert "Follow this discussion?" in page.text
    assert "gus@example.org" in page.text
    assert DiscussionFollow.objects.count() == 0  # a mail scanner opening it confirms nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "Done: you’re following this discussion" in done.text
    (follow,) = DiscussionFollow.objects.all()
    assert (follow.post, follow.user, follow.email) == (post, None, "gus@example.org")
    assert stop_url(follow_id=follow.pk).removeprefix(SITE_URL) in done.text

    client.post(path)  # the link used again
    assert DiscussionFollow.objects.count() == 1


def test_asking_again_for_an_address_that_follows_says_the_same_and_sends_nothing(client, post):
    DiscussionFollow.objects.create(post=post, email="gus@example.org")
    response = ask(client, post)
    assert response.status_code == 200
    assert "Check your inbox" in response.text
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Please give your e-mail address; it is never shown."),
        ("not-an-address", "Please check your e-mail address; it doesn’t look complete."),
        ("gus@", "Please check your e-mail address; it doesn’t look complete."),
        ("a" * 250 + "@example.org", "Ensure this value has at most 254 characters"),
    ],
)
def test_a_bad_address_is_refused_with_a_message_and_nothing_sent(client, post, email, message):
    response = ask(client, post, email=email)
    assert response.status_code == 400
    assert message in response.text
    assert mail.outbox == []
    assert DiscussionFollow.objects.count() == 0


def test_repeated_requests_are_limited_per_address(client, post, settings):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 2
    assert ask(client, post).status_code == 200
    assert ask(client, post, email="GUS@example.org ").status_code == 200
    refused = ask(client, post)
    assert refused.status_code == 429
    assert "Sorry, we’ve sent as many e-mails to that address" in refused.text
    assert len(mail.outbox) == 2


def test_a_request_from_another_site_is_refused(client, post):
    response = ask(client, post, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert "sent from another website" in response.text
    assert mail.outbox == []


def test_a_guest_with_a_session_needs_the_csrf_token(post):
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "anything"
    response = ask(client, post)
    assert response.status_code == 403
    assert mail.outbox == []


def test_an_unknown_or_unpublished_article_is_not_found(client, post):
    draft = PostFactory(draft=True)
    assert ask(client, draft).status_code == 404
    assert (
        client.post(reverse("comments:follow", args=[999_999]), {"email": "a@b.org"}).status_code
        == 404
    )
    assert mail.outbox == []


def test_a_closed_discussion_cannot_be_followed(client, post, member):
    post.comments_enabled = False
    post.save()

    assert 'id="follow"' not in client.get(post.get_absolute_url()).text
    response = ask(client, post)
    assert response.status_code == 400
    assert "This discussion is closed" in response.text
    response = signed_in(member).post(reverse("comments:follow", args=[post.pk]))
    assert response.status_code == 400
    assert "This discussion is closed" in response.text
    assert mail.outbox == []
    assert DiscussionFollow.objects.count() == 0


def test_a_member_still_sees_stop_when_the_discussion_they_follow_closes(post, member):
    follow_member(post=post, user=member)
    post.comments_enabled = False
    post.save()
    assert "Stop following" in signed_in(member).get(post.get_absolute_url()).text


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.mark.parametrize("change", ["tampered", "cut", "garbage"])
def test_a_changed_confirmation_link_is_refused_and_nothing_stored(client, post, change):
    token = _token(confirm_url(post_id=post.pk, email="gus@example.org"))
    bad = {"tampered": token[:-3] + "abc", "cut": token[:20], "garbage": "%00..!"}[change]
    for method in (client.get, client.post):
        response = method(f"/comments/follow/confirm/{bad}/")
        assert response.status_code in (400, 404)
    response = client.post(reverse("comments:follow_confirm", args=[token[:-3] + "abc"]))
    assert "This link isn’t complete or has been changed." in response.text
    assert DiscussionFollow.objects.count() == 0


def test_an_expired_confirmation_link_is_refused(client, post, settings):
    path = confirm_url(post_id=post.pk, email="gus@example.org").removeprefix(SITE_URL)
    with time_machine.travel(
        timezone.now() + timedelta(days=settings.COMMENT_FOLLOW_CONFIRM_DAYS, hours=1)
    ):
        response = client.post(path)
    assert response.status_code == 400
    assert "This confirmation link has expired" in response.text
    assert DiscussionFollow.objects.count() == 0


def test_a_confirmation_for_an_article_deleted_or_closed_since_is_refused(client, post):
    path = confirm_url(post_id=post.pk, email="gus@example.org").removeprefix(SITE_URL)
    post.comments_enabled = False
    post.save()
    assert "This discussion is closed" in client.post(path).text
    post.delete()
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 400
        assert "That article isn’t available any more." in response.text
    assert DiscussionFollow.objects.count() == 0


# --- Stopping from the e-mail ---------------------------------------------------------------


def test_the_stop_link_asks_first_and_stops_on_post_without_a_csrf_token(post):
    follow = DiscussionFollow.objects.create(post=post, email="gus@example.org")
    path = stop_url(follow_id=follow.pk).removeprefix(SITE_URL)
    client = Client(enforce_csrf_checks=True)  # as a mail program's one-click POST (RFC 8058)

    page = client.get(path)
    assert page.status_code == 200
    assert "Stop these e-mails?" in page.text
    assert DiscussionFollow.objects.count() == 1

    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "You won’t get any more e-mails about the discussion of “Rivers in spring”" in done.text
    assert DiscussionFollow.objects.count() == 0

    again = client.get(path)
    assert "These e-mails are already stopped" in again.text
    assert client.post(path).status_code == 200


@pytest.mark.parametrize("bad", ["x", "eyJmIjoxfQ:tampered", "eyJmIjoiMSJ9:AAAA"])
def test_a_changed_stop_link_is_refused(client, post, bad):
    follow = DiscussionFollow.objects.create(post=post, email="gus@example.org")
    for method in (client.get, client.post):
        response = method(reverse("comments:follow_stop", args=[bad]))
        assert response.status_code == 400
        assert "This link isn’t complete or has been changed." in response.text
    assert DiscussionFollow.objects.filter(pk=follow.pk).exists()


# --- Digests ----------------------------------------------------------------------------------


class Worker:
    """The task worker, by hand: tasks go to Django's dummy backend, which keeps them with
    their ``run_after``; ``run`` runs those due now, and those they queue, as db_worker
    would."""

    def __init__(self) -> None:
        self.done: set[str] = set()

    @property
    def backend(self):
        return task_backends["default"]

    def run(self) -> int:
        ran = 0
        while True:
            due = [
                result
                for result in self.backend.results
                if result.id not in self.done
                and (result.task.run_after is None or result.task.run_after <= timezone.now())
            ]
            if not due:
                return ran
            for result in due:
                self.done.add(result.id)
                result.task.call(*result.args, **result.kwargs)
                ran += 1

    def waiting(self, name: str) -> list:
        return [
            result
            for result in self.backend.results
            if result.id not in self.done and result.task.name == name
        ]


@pytest.fixture
def worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return Worker()


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def say(no_flood, django_capture_on_commit_callbacks, worker):
    """Post a comment through the service, queue what it queues, and run what is due."""

    def say(post, body: str, *, by=None, **kwargs) -> Comment:
        author = {"user": by} if by else {"guest_name": "Gwen", "guest_email": "gwen@example.org"}
        with django_capture_on_commit_callbacks(execute=True):
            comment = comment_create(post=post, body=body, **(author | kwargs))
        worker.run()
        return comment

    return say


def digests(to: str | None = None) -> list:
    return [
        message
        for message in mail.outbox
        if "new comment" in message.subject and (to is None or message.to == [to])
    ]


@pytest.fixture
def guest_follow(post):
    return DiscussionFollow.objects.create(post=post, email="gus@example.org")


def test_a_digest_lists_the_new_comments_one_period_after_the_first(
    post, member, guest_follow, say, worker, clock
):
    follow_member(post=post, user=member)
    first = say(post, "The spring floods came early this year.")
    clock.shift(timedelta(minutes=20))
    reader = UserFactory(display_name="Rhea Reader")
    second = say(post, "Our river rose two metres.\nThen it fell.", by=reader)

    clock.shift(timedelta(minutes=39))
    worker.run()
    assert digests() == []  # the period since the first comment has not ended

    clock.shift(timedelta(minutes=2))
    worker.run()
    assert sorted(m.to[0] for m in digests()) == ["gus@example.org", "mina@example.org"]
    message = digests("gus@example.org")[0]
    assert message.subject == "2 new comments on “Rivers in spring”"
    body = message.body
    assert body.index("Gwen:") < body.index("Rhea Reader:")
    assert "The spring floods came early this year." in body
    assert "Our river rose two metres." in body
    assert f"{SITE_URL}{first.get_absolute_url()}" in body
    assert f"{SITE_URL}{second.get_absolute_url()}" in body
    stop = stop_url(follow_id=guest_follow.pk)
    assert stop in body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'href="{SITE_URL}{second.get_absolute_url()}"' in html
    assert "Our river rose two metres.<br>Then it fell." in html
    assert f'href="{stop}"' in html
    sent = message.message()
    assert sent["List-Unsubscribe"] == f"<{stop}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"List-Unsubscribe: <{stop}>" in sent.as_string()


def test_a_comment_writer_is_named_by_the_site_s_rule_and_their_words_escaped(
    post, guest_follow, say, worker, clock
):
    writer = UserFactory(display_name="", first_name="Ola", last_name="Nordmann")
    say(post, "<script>alert(1)</script> & more", by=writer)
    clock.shift(PERIOD)
    worker.run()
    (message,) = digests()
    assert "Ola Nordmann:" in message.body
    assert "<script>alert(1)</script> & more" in message.body  # plain text as written
    html = message.alternatives[0][0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script>" not in html


def test_at_most_one_email_per_follower_per_period(post, guest_follow, say, worker, clock):
    say(post, "First.")
    clock.shift(PERIOD)
    worker.run()
    assert len(digests()) == 1

    clock.shift(timedelta(minutes=1))
    say(post, "Second.")
    clock.shift(timedelta(minutes=30))
    say(post, "Third.")
    worker.run()
    assert len(digests()) == 1
    assert len(worker.waiting("send_follow_digest")) == 1  # one task, not one per comment

    clock.shift(timedelta(minutes=30))
    worker.run()
    assert len(digests()) == 2
    second = digests()[1]
    assert second.subject == "2 new comments on “Rivers in spring”"
    assert "Second." in second.body
    assert "Third." in second.body
    assert "First." not in second.body


def test_a_comment_hidden_before_the_digest_is_not_sent(post, guest_follow, say, worker, clock):
    kept = say(post, "Worth reading.")
    removed = say(post, "Something nasty.")
    guideline = Guideline.objects.create(number=1, title="Be kind", text="Please.")
    comment_hide(comment=removed, moderator=UserFactory(moderator=True), guideline=guideline)
    clock.shift(PERIOD)
    worker.run()
    (message,) = digests()
    assert message.subject == "A new comment on “Rivers in spring”"
    assert "Worth reading." in message.body
    assert "Something nasty." not in message.body
    assert removed.get_absolute_url() not in message.body
    assert kept.get_absolute_url() in message.body


def test_a_digest_of_only_hidden_comments_is_not_sent(post, guest_follow, say, worker, clock):
    removed = say(post, "Something nasty.")
    guideline = Guideline.objects.create(number=1, title="Be kind", text="Please.")
    comment_hide(comment=removed, moderator=UserFactory(moderator=True), guideline=guideline)
    clock.shift(PERIOD)
    worker.run()
    assert digests() == []
    guest_follow.refresh_from_db()
    assert guest_follow.digest_due_at is None


def test_a_held_comment_goes_out_only_once_approved(
    post, guest_follow, say, worker, clock, no_flood, django_capture_on_commit_callbacks
):
    no_flood.hold_words = "floodgate"
    no_flood.save()
    held = say(post, "Open the floodgate!")
    assert held.status == Comment.Status.PENDING
    clock.shift(PERIOD * 2)
    worker.run()
    assert digests() == []
    assert not FollowedComment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=held, moderator=UserFactory(moderator=True))
    worker.run()
    clock.shift(PERIOD)
    worker.run()
    (message,) = digests()
    assert "Open the floodgate!" in message.body


def test_followers_are_not_sent_their_own_comments(post, member, guest_follow, say, worker, clock):
    follow_member(post=post, user=member)
    say(post, "Mine, as a member.", by=member)
    say(post, "Mine, as a guest.", guest_name="Gus", guest_email="GUS@example.org")
    clock.shift(PERIOD)
    worker.run()
    to_member = digests("mina@example.org")
    to_guest = digests("gus@example.org")
    assert [m.subject for m in to_member] == ["A new comment on “Rivers in spring”"]
    assert "Mine, as a guest." in to_member[0].body
    assert [m.subject for m in to_guest] == ["A new comment on “Rivers in spring”"]
    assert "Mine, as a member." in to_guest[0].body


def test_comments_from_before_following_are_not_sent(post, say, worker, clock):
    say(post, "Before anyone followed.")
    DiscussionFollow.objects.create(
        post=post, email="gus@example.org", seen_through=FollowedComment.objects.count()
    )
    follower = UserFactory(email="late@example.org")
    say(post, "Also before.")
    follow_member(post=post, user=follower)
    clock.shift(PERIOD)
    worker.run()
    assert digests("late@example.org") == []
    (message,) = digests("gus@example.org")
    assert "Also before." in message.body
    assert "Before anyone followed." not in message.body


def test_a_deactivated_member_gets_nothing(post, member, say, worker, clock):
    follow_member(post=post, user=member)
    member.is_active = False
    member.save()
    say(post, "Hello.")
    clock.shift(PERIOD)
    worker.run()
    assert digests() == []


def test_the_digest_task_is_idempotent(post, guest_follow, say, worker, clock):
    say(post, "Once only.")
    clock.shift(PERIOD)
    worker.run()
    assert len(digests()) == 1
    assert send_follow_digest.call(post_id=post.pk) == 0
    guest_follow.refresh_from_db()
    guest_follow.digest_due_at = timezone.now()  # as if a duplicate task found it due
    guest_follow.save()
    assert send_follow_digest.call(post_id=post.pk) == 0
    assert len(digests()) == 1


def test_the_schedule_task_records_a_comment_once(post, guest_follow, say, worker, clock):
    from comments.tasks import schedule_follow_digest

    comment = say(post, "Once only.")
    assert schedule_follow_digest(comment_id=comment.pk) is None
    assert FollowedComment.objects.filter(comment=comment).count() == 1
    assert len(worker.waiting("send_follow_digest")) == 1


def test_nothing_is_recorded_for_a_post_nobody_follows(post, say, worker):
    say(post, "Nobody listens.")
    assert not FollowedComment.objects.exists()
    assert worker.waiting("send_follow_digest") == []


def test_an_unpublished_article_sends_no_digest(post, guest_follow, say, worker, clock):
    say(post, "Hello.")
    post.status = "draft"
    post.save()
    clock.shift(PERIOD)
    worker.run()
    assert digests() == []


def _followed_post(followers: int):
    """A post with ``followers`` members and as many guests following it, and three new
    comments for them, recorded one period ago."""
    post = PostFactory(author__notify_on_post_comments=False)
    for number in range(followers):
        follow_member(post=post, user=UserFactory())
        DiscussionFollow.objects.create(post=post, email=f"guest{number}@example.org")
    return post


def test_the_digest_task_runs_the_same_queries_whatever_the_number_of_followers(say, worker, clock):
    posts = {count: _followed_post(count) for count in (1, 20)}
    for post in posts.values():
        for number in range(3):
            say(post, f"Comment {number}.", by=UserFactory())
    clock.shift(PERIOD)
    counted = {}
    for count, post in posts.items():
        with CaptureQueriesContext(connection) as queries:
            assert send_follow_digest.call(post_id=post.pk) == 2 * count
        counted[count] = len(queries)
    # The followers with their post and member, the comments with theirs, moving the
    # followers on, and the time of their e-mail, in a savepoint (two more statements).
    assert counted == {1: 6, 20: 6}
    assert len(digests()) == 2 * 21


def test_recording_a_comment_runs_the_same_queries_whatever_the_number_of_followers(
    worker, no_flood
):
    from comments.tasks import schedule_follow_digest

    counted = {}
    for count in (1, 20):
        post = _followed_post(count)
        comment = comment_create(post=post, body="Hello.", guest_name="G", guest_email="g@x.org")
        with CaptureQueriesContext(connection) as queries:
            schedule_follow_digest(comment_id=comment.pk)
        counted[count] = len(queries)
    assert counted[1] == counted[20] <= 10


# --- The follow control and the caches -----------------------------------------------------


def test_the_shared_anonymous_page_holds_the_guest_form_and_nothing_of_a_member(
    post, member, django_assert_num_queries
):
    signed_in(member).post(reverse("comments:follow", args=[post.pk]))
    first = Client().get(post.get_absolute_url())
    with django_assert_num_queries(1):  # the version: from the full-page cache
        second = Client().get(post.get_absolute_url())
    for page in (first, second):
        text = page.content.decode()
        assert 'id="id_follow_email"' in text
        assert "csrfmiddlewaretoken" not in text  # a guest's form on a shared page
        assert "Stop following" not in text
        assert "Mina Member" not in text


def test_a_follow_or_a_stop_shows_at_once_on_the_member_s_own_page_from_the_shell(post, member):
    other = UserFactory(display_name="Otto Other")
    mina, otto = signed_in(member), signed_in(other)
    assert "Follow by e-mail" in mina.get(post.get_absolute_url()).text  # shell and ids cached
    assert "Follow by e-mail" in otto.get(post.get_absolute_url()).text

    mina.post(reverse("comments:follow", args=[post.pk]))
    assert "Stop following" in mina.get(post.get_absolute_url()).text
    ottos = otto.get(post.get_absolute_url()).text  # the same shell, Otto's own control
    assert "Stop following" not in ottos
    assert "Follow by e-mail" in ottos

    mina.post(reverse("comments:unfollow", args=[post.pk]))
    page = mina.get(post.get_absolute_url()).text
    assert "Stop following" not in page
    assert "Follow by e-mail" in page


def test_a_member_s_page_needs_no_query_for_the_follow_control_once_cached(
    post, member, django_assert_num_queries
):
    client = signed_in(member)
    client.get(post.get_absolute_url())
    client.get(post.get_absolute_url())
    # The session, the member, the version and the discussion settings, as before.
    with django_assert_num_queries(4):
        page = client.get(post.get_absolute_url()).text
    assert "Follow by e-mail" in page


@pytest.mark.django_db(transaction=True)
def test_in_production_s_set_up_the_worker_sends_the_digest_when_the_period_ends(
    settings, no_flood
):
    """Tasks queued in the database, run by ``db_worker``: the comment's task records it and
    queues the digest for one period later, in one transaction; the worker leaves that
    alone until it is due."""
    from django.core.management import call_command
    from django.tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    def run_worker() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post = PostFactory(author__notify_on_post_comments=False)
    DiscussionFollow.objects.create(post=post, email="gus@example.org")
    with time_machine.travel(timezone.now(), tick=True) as clock:
        comment_create(post=post, body="Queued.", guest_name="Gwen", guest_email="g@example.org")
        run_worker()
        (waiting,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        assert waiting.task_path == "comments.tasks.send_follow_digest"
        assert PERIOD - timedelta(seconds=5) < waiting.run_after - timezone.now() <= PERIOD
        run_worker()
        assert digests() == []

        clock.shift(PERIOD + timedelta(seconds=1))
        run_worker()
        (message,) = digests()
        assert message.to == ["gus@example.org"]
        assert "Queued." in message.body


def test_recording_a_comment_for_its_followers_leaves_the_shared_pages_alone(
    post, guest_follow, no_flood, worker
):
    from comments.tasks import schedule_follow_digest
    from core.pagecache import page_version

    comment = comment_create(post=post, body="Hello.", guest_name="G", guest_email="g@x.org")
    before = page_version()
    assert schedule_follow_digest(comment_id=comment.pk) is not None
    assert FollowedComment.objects.filter(comment=comment).exists()
    assert page_version() == before

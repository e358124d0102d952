"""The moderation services: the policy applied when a comment is posted, and moderators'
hide, restore, mark spam, approve, dismiss reports and purge."""

import itertools
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from comments.models import Comment, DiscussionSettings, Guideline, ModerationEvent, Report
from comments.services import (
    Action,
    ModerationRefused,
    comment_approve,
    comment_create,
    comment_hide,
    comment_mark_spam,
    comment_purge,
    comment_restore,
    discussion_settings_save,
    post_comments_bump,
    reports_dismiss,
)
from comments.tasks import send_comment_hidden_email
from tests.factories import CommentFactory, PostFactory, ReportFactory, UserFactory
from tests.locks import at_once

SITE_URL = "https://tribune.example"
PUBLISHED = Comment.Status.PUBLISHED
PENDING = Comment.Status.PENDING
HIDDEN = Comment.Status.HIDDEN
SPAM = Comment.Status.SPAM
Mode = DiscussionSettings.ModerationMode

_bodies = itertools.count(1)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def guideline(db):
    return Guideline.objects.create(
        number=3, title="No personal attacks", text="Argue with the point, not the person."
    )


@pytest.fixture
def moderator(db):
    return UserFactory(moderator=True)


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def quiet_post(db):
    """A post whose author wants no e-mails about comments, so only the e-mails under test
    reach the outbox."""
    return PostFactory(author__notify_on_post_comments=False)


def discussion(post=None, **fields) -> Post:
    """A post with ``fields`` set on the discussion settings; no flood interval."""
    settings = DiscussionSettings.objects.get_or_create(pk=1)[0]
    settings.flood_interval = 0
    for name, value in fields.items():
        setattr(settings, name, value)
    discussion_settings_save(settings=settings)
    return post or PostFactory()


def say(post, body=None, **kwargs) -> Comment:
    """Post a guest comment through the service (a member's with ``user=``)."""
    if "user" not in kwargs:
        kwargs.setdefault("guest_name", "Jane Doe")
        kwargs.setdefault("guest_email", "jane@example.org")
    return comment_create(post=post, body=body or f"Remark number {next(_bodies)}.", **kwargs)


def version_and_count(post) -> tuple[int, int]:
    post.refresh_from_db()
    return post.comment_version, post.comment_count


def stored(comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def only_event(comment) -> ModerationEvent:
    (event,) = ModerationEvent.objects.filter(comment=comment)
    return event


def refused(code, call, **kwargs) -> ModerationRefused:
    with pytest.raises(ModerationRefused) as caught:
        call(**kwargs)
    assert caught.value.code == code
    return caught.value


# --- The policy when posting --------------------------------------------------


@pytest.mark.django_db
class TestPolicyWhenPosting:
    def test_an_ordinary_comment_is_published_and_logs_nothing(self):
        comment = say(discussion(hold_words="cheap"), "A fair point about the budget.")
        assert stored(comment).status == PUBLISHED
        assert not ModerationEvent.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "body", "rule"),
        [
            ({"hold_words": "cheap\nbuy now"}, "Get CHEAP watches", "hold word"),
            ({"hold_words": "buy now"}, "You should buy\n  now!", "hold word"),
            ({"hold_link_count": 1}, "see a.example.com/x and hxxp://b.example", "links"),
            ({"moderation_mode": Mode.ALL}, "Hello.", "hold all"),
            ({"moderation_mode": Mode.FIRST_TIME}, "Hello.", "first-time commenter"),
            (
                {"moderation_mode": Mode.ALL, "hold_words": "cheap"},
                "cheap",
                "hold word, hold all",
            ),
        ],
    )
    def test_a_hold_rule_holds_the_comment_and_logs_the_rule(self, fields, body, rule):
        post = discussion(**fields)
        comment = say(post, body)
        assert (comment.status, stored(comment).status) == (PENDING, PENDING)
        event = only_event(comment)
        assert (event.actor, event.rule, event.action) == (None, rule, Action.HOLD)
        assert (event.from_status, event.to_status) == ("", PENDING)
        assert version_and_count(post) == (1, 0)

    def test_a_block_word_sends_it_to_spam_quietly(self):
        post = discussion(block_words="casino", hold_words="cheap")
        # Cyrillic letters in place of the Latin a and o.
        comment = say(post, "cheap c\N{CYRILLIC SMALL LETTER A}sin\N{CYRILLIC SMALL LETTER O}")
        # No refusal: the sender is answered as for any other comment.
        assert stored(comment).status == SPAM
        event = only_event(comment)
        assert (event.actor, event.rule, event.action) == (None, "block word", Action.SPAM)
        assert (event.from_status, event.to_status) == ("", SPAM)
        assert version_and_count(post)[1] == 0

    def test_held_and_spam_comments_notify_nobody(self, run_on_commit):
        post = discussion(block_words="casino", moderation_mode=Mode.ALL)
        parent = CommentFactory(post=post, notify_on_reply=True, guest_email="p@example.org")
        post.author.notify_on_post_comments = True
        post.author.save()
        run_on_commit(say, post=post, body="Held reply", parent_id=parent.pk)
        run_on_commit(say, post=post, body="casino", parent_id=parent.pk, guest_email="s@x.org")
        assert mail.outbox == []

    def test_staff_are_never_held_or_blocked(self):
        post = discussion(moderation_mode=Mode.ALL, block_words="casino", hold_link_count=0)
        editor = UserFactory(editor=True)
        comment = say(post, "casino at https://example.com", user=editor)
        assert stored(comment).status == PUBLISHED
        assert not ModerationEvent.objects.exists()

    def test_a_members_comments_are_held_in_hold_all_mode(self):
        comment = say(discussion(moderation_mode=Mode.ALL), user=UserFactory())
        assert stored(comment).status == PENDING


@pytest.mark.django_db
class TestFirstTimeCommenters:
    @pytest.fixture
    def post(self):
        return discussion(moderation_mode=Mode.FIRST_TIME)

    def test_a_guest_with_an_earlier_published_comment_is_published(self, post):
        CommentFactory(guest_email="Jane@Example.ORG")
        assert say(post, guest_email="jane@example.org").status == PUBLISHED

    @pytest.mark.parametrize("status", ["pending", "hidden", "spam"])
    def test_earlier_comments_that_were_never_approved_do_not_count(self, post, status):
        CommentFactory(guest_email="jane@example.org", status=status)
        assert say(post, guest_email="jane@example.org").status == PENDING

    def test_another_persons_published_comment_does_not_count(self, post):
        CommentFactory(guest_email="someone@example.org")
        assert say(post, guest_email="jane@example.org").status == PENDING

    def test_a_guest_using_a_members_address_is_still_first_time(self, post):
        member = UserFactory(email="sam@example.org")
        CommentFactory(member=True, user=member)
        assert say(post, guest_email="sam@example.org").status == PENDING

    def test_a_member_with_an_earlier_published_comment_is_published(self, post):
        member = UserFactory()
        CommentFactory(member=True, user=member)
        assert say(post, user=member).status == PUBLISHED

    def test_a_member_who_was_approved_as_a_guest_is_published(self, post):
        member = UserFactory(email="sam@example.org")
        CommentFactory(guest_email="SAM@example.org")
        assert say(post, user=member).status == PUBLISHED

    def test_a_new_member_is_held(self, post):
        assert say(post, user=UserFactory()).status == PENDING

    def test_the_second_comment_waits_until_the_first_is_approved(self, post, moderator):
        first = say(post)
        assert say(post).status == PENDING
        comment_approve(comment=first, moderator=moderator)
        assert say(post).status == PUBLISHED

    def test_the_lookup_is_one_query_and_only_in_first_time_mode(self, post):
        CommentFactory(guest_email="jane@example.org")  # so both comments are published
        with CaptureQueriesContext(connection) as first_time:
            assert say(post).status == PUBLISHED
        other = discussion(moderation_mode=Mode.POST)
        with CaptureQueriesContext(connection) as post_moderation:
            say(other)
        assert len(first_time) == len(post_moderation) + 1


# --- Hide ---------------------------------------------------------------------


@pytest.mark.django_db
class TestHide:
    @pytest.mark.parametrize("status", ["published", "pending"])
    def test_a_moderator_hides_a_comment_citing_a_guideline(self, moderator, guideline, status):
        comment = CommentFactory(status=status, body="Something rude.")
        post_comments_bump(comment.post_id)
        before = version_and_count(comment.post)
        result = comment_hide(
            comment=comment, moderator=moderator, guideline=guideline, note="Name-calling"
        )
        assert result is comment
        assert (comment.status, comment.guideline) == (HIDDEN, guideline)
        again = stored(comment)
        assert (again.status, again.guideline_id, again.body) == (
            HIDDEN,
            guideline.pk,
            "Something rude.",
        )
        event = only_event(comment)
        assert (event.actor, event.action, event.rule) == (moderator, Action.HIDE, "")
        assert (event.from_status, event.to_status) == (status, HIDDEN)
        assert (event.guideline, event.note) == (guideline, "Name-calling")
        assert version_and_count(comment.post) == (before[0] + 1, 0)

    def test_hiding_upholds_the_open_reports(self, moderator, guideline):
        comment = CommentFactory()
        open_report = ReportFactory(comment=comment, guideline=guideline)
        old = ReportFactory(comment=comment, guideline=guideline)
        Report.objects.filter(pk=old.pk).update(resolution=Report.Resolution.DISMISSED)
        comment_hide(comment=comment, moderator=moderator, guideline=guideline)
        open_report.refresh_from_db()
        old.refresh_from_db()
        assert (open_report.resolution, open_report.resolved_by) == ("upheld", moderator)
        assert open_report.resolved_at is not None
        assert (old.resolution, old.resolved_by) == ("dismissed", None)

    def test_the_author_is_emailed_the_guideline_and_the_comment(
        self, moderator, guideline, quiet_post, run_on_commit
    ):
        member = UserFactory(display_name="Sam Reader", email="sam@example.org")
        body = "You are all idiots and " + "this goes on and on " * 30
        comment = CommentFactory(post=quiet_post, member=True, user=member, body=body)
        run_on_commit(comment_hide, comment=comment, moderator=moderator, guideline=guideline)
        (message,) = mail.outbox
        assert message.to == ["sam@example.org"]
        assert message.subject == f"Your comment on “{quiet_post.title}” has been hidden"
        assert "Hello Sam Reader," in message.body
        assert "3. No personal attacks" in message.body
        assert f"{SITE_URL}/community-guidelines/#guideline-3" in message.body
        assert "You are all idiots and this goes on" in message.body
        assert body not in message.body  # only the start is quoted
        assert SITE_URL + quiet_post.get_absolute_url() in message.body

    def test_a_guest_who_left_an_email_is_emailed(self, moderator, guideline, run_on_commit):
        comment = CommentFactory(guest_name="Jo <b>", guest_email="jo@example.org", body="a & b")
        run_on_commit(comment_hide, comment=comment, moderator=moderator, guideline=guideline)
        (message,) = mail.outbox
        assert message.to == ["jo@example.org"]
        # Plain text: nothing is HTML-escaped.
        assert "Hello Jo <b>," in message.body
        assert "a & b" in message.body

    def test_nobody_is_emailed_when_there_is_no_address(self, moderator, guideline, run_on_commit):
        comment = CommentFactory(guest_email="")
        run_on_commit(comment_hide, comment=comment, moderator=moderator, guideline=guideline)
        assert mail.outbox == []

    def test_a_deactivated_member_is_not_emailed(self, moderator, guideline, run_on_commit):
        comment = CommentFactory(member=True, user=UserFactory(is_active=False))
        run_on_commit(comment_hide, comment=comment, moderator=moderator, guideline=guideline)
        assert mail.outbox == []

    def test_the_email_is_not_sent_if_the_comment_was_restored_meanwhile(
        self, moderator, guideline
    ):
        comment = CommentFactory()
        comment_hide(comment=comment, moderator=moderator, guideline=guideline)  # not committed
        comment_restore(comment=comment, moderator=moderator)
        result = send_comment_hidden_email.enqueue(comment_id=comment.pk)
        assert (result.return_value, mail.outbox) == (0, [])

    def test_a_rule_hides_pending_review_keeping_reports_open_and_emailing_nobody(
        self, guideline, run_on_commit
    ):
        comment = CommentFactory()
        open_report = ReportFactory(comment=comment, guideline=guideline)
        run_on_commit(
            comment_hide, comment=comment, moderator=None, guideline=guideline, rule="auto-hide"
        )
        assert stored(comment).status == HIDDEN
        event = only_event(comment)
        assert (event.actor, event.rule, event.from_status, event.to_status) == (
            None, "auto-hide", PUBLISHED, HIDDEN,
        )  # fmt: skip
        open_report.refresh_from_db()
        assert open_report.resolution == Report.Resolution.OPEN
        assert mail.outbox == []

    def test_a_moderator_confirms_a_hide_pending_review(self, moderator, guideline, run_on_commit):
        comment = CommentFactory()
        open_report = ReportFactory(comment=comment, guideline=guideline)
        comment_hide(comment=comment, moderator=None, guideline=guideline, rule="auto-hide")
        other = Guideline.objects.create(number=7, title="Stay on topic", text="...")
        run_on_commit(comment_hide, comment=comment, moderator=moderator, guideline=other)
        confirm = ModerationEvent.objects.filter(comment=comment).order_by("pk").last()
        assert (confirm.actor, confirm.from_status, confirm.to_status) == (
            moderator, HIDDEN, HIDDEN,
        )  # fmt: skip
        assert stored(comment).guideline == other
        open_report.refresh_from_db()
        assert open_report.resolution == Report.Resolution.UPHELD
        assert len(mail.outbox) == 1

    @pytest.mark.parametrize("status", ["hidden", "spam"])
    def test_hiding_a_hidden_or_spam_comment_is_refused(self, moderator, guideline, status):
        comment = CommentFactory(status=status)
        error = refused(
            "status", comment_hide, comment=comment, moderator=moderator, guideline=guideline
        )
        assert "Only a published or held comment can be hidden" in error.message
        assert not ModerationEvent.objects.exists()

    def test_a_guideline_is_required(self, moderator):
        error = refused(
            "invalid", comment_hide, comment=CommentFactory(), moderator=moderator, guideline=None
        )
        assert error.message == "Choose the guideline the comment breaks."

    def test_no_moderator_and_no_rule_is_refused(self, guideline):
        refused(
            "forbidden", comment_hide, comment=CommentFactory(), moderator=None, guideline=guideline
        )


# --- Restore, mark spam, approve ----------------------------------------------


@pytest.mark.django_db
class TestRestore:
    @pytest.mark.parametrize("status", ["hidden", "spam"])
    def test_a_hidden_or_spam_comment_is_published_again(self, moderator, guideline, status):
        comment = CommentFactory(status=status, guideline=guideline)
        post_comments_bump(comment.post_id)
        version, count = version_and_count(comment.post)
        comment_restore(comment=comment, moderator=moderator, note="Fair criticism after all")
        assert comment.status == PUBLISHED
        assert stored(comment).guideline == guideline  # kept for the record
        event = only_event(comment)
        assert (event.actor, event.action, event.note) == (
            moderator, Action.RESTORE, "Fair criticism after all",
        )  # fmt: skip
        assert (event.from_status, event.to_status) == (status, PUBLISHED)
        assert version_and_count(comment.post) == (version + 1, count + 1)

    def test_restoring_dismisses_open_reports(self, moderator, guideline):
        comment = CommentFactory()
        open_report = ReportFactory(comment=comment, guideline=guideline)
        comment_hide(comment=comment, moderator=None, guideline=guideline, rule="auto-hide")
        comment_restore(comment=comment, moderator=moderator)
        open_report.refresh_from_db()
        assert (open_report.resolution, open_report.resolved_by) == ("dismissed", moderator)

    @pytest.mark.parametrize("status", ["published", "pending"])
    def test_restoring_a_published_or_held_comment_is_refused(self, moderator, status):
        comment = CommentFactory(status=status)
        error = refused("status", comment_restore, comment=comment, moderator=moderator)
        assert "Only a hidden comment or spam can be restored" in error.message
        assert not ModerationEvent.objects.exists()

    def test_restoring_spam_nobody_was_told_about_sends_its_notifications(
        self, moderator, quiet_post, run_on_commit
    ):
        discussion(quiet_post, block_words="casino")
        parent = CommentFactory(post=quiet_post, notify_on_reply=True, guest_email="p@ex.org")
        reply = run_on_commit(say, post=quiet_post, body="Not a casino ad", parent_id=parent.pk)
        assert (reply.status, mail.outbox) == (SPAM, [])
        run_on_commit(comment_restore, comment=reply, moderator=moderator)
        assert [message.to for message in mail.outbox] == [["p@ex.org"]]

    def test_restoring_a_hidden_comment_does_not_notify_twice(
        self, moderator, guideline, quiet_post, run_on_commit
    ):
        discussion(quiet_post)
        parent = CommentFactory(post=quiet_post, notify_on_reply=True, guest_email="p@ex.org")
        reply = run_on_commit(say, post=quiet_post, parent_id=parent.pk)
        assert len(mail.outbox) == 1
        comment_hide(comment=reply, moderator=moderator, guideline=guideline)
        mail.outbox.clear()
        run_on_commit(comment_restore, comment=reply, moderator=moderator)
        assert mail.outbox == []


@pytest.mark.django_db
class TestMarkSpam:
    @pytest.mark.parametrize("status", ["published", "pending", "hidden"])
    def test_any_comment_but_spam_can_be_marked_spam(self, moderator, guideline, status):
        comment = CommentFactory(status=status)
        open_report = ReportFactory(comment=comment, guideline=guideline)
        post_comments_bump(comment.post_id)
        version, _ = version_and_count(comment.post)
        comment_mark_spam(comment=comment, moderator=moderator, note="Casino links")
        assert (comment.status, stored(comment).status) == (SPAM, SPAM)
        event = only_event(comment)
        assert (event.actor, event.action, event.from_status, event.to_status, event.note) == (
            moderator, Action.SPAM, status, SPAM, "Casino links",
        )  # fmt: skip
        assert version_and_count(comment.post) == (version + 1, 0)
        open_report.refresh_from_db()
        assert (open_report.resolution, open_report.resolved_by) == ("upheld", moderator)

    def test_the_spammer_is_not_emailed(self, moderator, run_on_commit):
        comment = CommentFactory(guest_email="spammer@example.org")
        run_on_commit(comment_mark_spam, comment=comment, moderator=moderator)
        assert mail.outbox == []

    def test_marking_spam_twice_is_refused(self, moderator):
        error = refused(
            "status", comment_mark_spam, comment=CommentFactory(spam=True), moderator=moderator
        )
        assert error.message == "This comment is already marked as spam."


@pytest.mark.django_db
class TestApprove:
    def test_a_held_comment_is_published(self, moderator):
        comment = say(discussion(moderation_mode=Mode.ALL))
        version, count = version_and_count(comment.post)
        comment_approve(comment=comment, moderator=moderator, note="Looks fine")
        assert (comment.status, stored(comment).status) == (PUBLISHED, PUBLISHED)
        event = ModerationEvent.objects.get(comment=comment, action=Action.APPROVE)
        assert (event.actor, event.from_status, event.to_status, event.note) == (
            moderator, PENDING, PUBLISHED, "Looks fine",
        )  # fmt: skip
        assert version_and_count(comment.post) == (version + 1, count + 1)

    def test_approving_sends_the_reply_notification_held_back(
        self, moderator, quiet_post, run_on_commit
    ):
        discussion(quiet_post, moderation_mode=Mode.ALL)
        parent = CommentFactory(post=quiet_post, notify_on_reply=True, guest_email="p@ex.org")
        reply = run_on_commit(say, post=quiet_post, parent_id=parent.pk)
        assert mail.outbox == []
        run_on_commit(comment_approve, comment=reply, moderator=moderator)
        (message,) = mail.outbox
        assert message.to == ["p@ex.org"]
        assert reply.body in message.body

    @pytest.mark.parametrize("status", ["published", "hidden", "spam"])
    def test_approving_a_comment_that_is_not_held_is_refused(self, moderator, status):
        comment = CommentFactory(status=status)
        error = refused("status", comment_approve, comment=comment, moderator=moderator)
        assert "Only a comment awaiting moderation can be approved" in error.message


# --- Reports ------------------------------------------------------------------


@pytest.mark.django_db
class TestDismissReports:
    def test_open_reports_are_dismissed_and_counted(self, moderator, guideline):
        comment = CommentFactory()
        reports = [ReportFactory(comment=comment, guideline=guideline) for _ in range(3)]
        upheld = ReportFactory(comment=CommentFactory(), guideline=guideline)  # another comment's
        post_comments_bump(comment.post_id)
        version, count = version_and_count(comment.post)
        assert reports_dismiss(comment=comment, moderator=moderator, note="Not abusive") == 3
        for each in reports:
            each.refresh_from_db()
            assert (each.resolution, each.resolved_by) == ("dismissed", moderator)
            assert each.resolved_at is not None
        upheld.refresh_from_db()
        assert upheld.resolution == "open"
        assert stored(comment).status == PUBLISHED
        event = only_event(comment)
        assert (event.action, event.from_status, event.to_status, event.note) == (
            Action.DISMISS_REPORTS, PUBLISHED, PUBLISHED, "Not abusive",
        )  # fmt: skip
        assert version_and_count(comment.post) == (version + 1, count)

    def test_with_no_open_reports_nothing_happens(self, moderator):
        comment = CommentFactory()
        assert reports_dismiss(comment=comment, moderator=moderator) == 0
        assert not ModerationEvent.objects.exists()


# --- Purge --------------------------------------------------------------------


@pytest.mark.django_db
class TestPurge:
    def test_a_superuser_erases_the_text_and_the_author(self, superuser, guideline):
        member = UserFactory()
        comment = CommentFactory(
            member=True, user=member, body="My address is 1 Main St", notify_on_reply=True,
            ip_hash="abc", user_agent="Firefox",
        )  # fmt: skip
        reply = CommentFactory(parent=comment)
        open_report = ReportFactory(comment=comment, guideline=guideline)
        post_comments_bump(comment.post_id)
        version, _ = version_and_count(comment.post)
        comment_purge(comment=comment, actor=superuser)
        again = stored(comment)
        assert (again.body, again.user, again.guest_name, again.guest_email) == ("", None, "", "")
        assert (again.ip_hash, again.user_agent, again.notify_on_reply) == ("", "", False)
        assert again.status == HIDDEN
        assert (comment.body, comment.user, comment.status) == ("", None, HIDDEN)
        assert again.author_name == "Former member"
        event = only_event(comment)
        assert (event.actor, event.action, event.from_status, event.to_status) == (
            superuser, Action.PURGE, PUBLISHED, HIDDEN,
        )  # fmt: skip
        # Its place in the thread is kept.
        assert stored(reply).parent_id == comment.pk
        assert Comment.objects.count() == 2
        assert version_and_count(comment.post) == (version + 1, 1)
        open_report.refresh_from_db()
        assert open_report.resolution == Report.Resolution.UPHELD

    def test_a_guests_name_and_email_are_erased(self, superuser):
        comment = CommentFactory(spam=True, guest_name="Jo", guest_email="jo@example.org")
        comment_purge(comment=comment, actor=superuser)
        assert (stored(comment).guest_name, stored(comment).guest_email) == ("", "")

    def test_purging_twice_is_refused(self, superuser):
        comment = CommentFactory()
        comment_purge(comment=comment, actor=superuser)
        refused("status", comment_purge, comment=comment, actor=superuser)
        assert ModerationEvent.objects.count() == 1

    @pytest.mark.parametrize("who", ["moderator", "editor", "member", "inactive superuser"])
    def test_only_an_active_superuser_may_purge(self, who):
        actor = {
            "moderator": lambda: UserFactory(moderator=True),
            "editor": lambda: UserFactory(editor=True),
            "member": UserFactory,
            "inactive superuser": lambda: UserFactory(is_superuser=True, is_active=False),
        }[who]()
        comment = CommentFactory(body="Kept")
        error = refused("forbidden", comment_purge, comment=comment, actor=actor)
        assert error.message == "Only an administrator can purge a comment."
        assert stored(comment).body == "Kept"


# --- Who may act, and what never changes -----------------------------------------


ACTIONS = {
    "hide": (PUBLISHED, lambda comment, user, guideline: comment_hide(
        comment=comment, moderator=user, guideline=guideline
    )),
    "restore": (HIDDEN, lambda comment, user, guideline: comment_restore(
        comment=comment, moderator=user
    )),
    "mark spam": (PUBLISHED, lambda comment, user, guideline: comment_mark_spam(
        comment=comment, moderator=user
    )),
    "approve": (PENDING, lambda comment, user, guideline: comment_approve(
        comment=comment, moderator=user
    )),
    "dismiss reports": (PUBLISHED, lambda comment, user, guideline: reports_dismiss(
        comment=comment, moderator=user
    )),
}  # fmt: skip

PEOPLE = {
    "member": lambda: UserFactory(),
    "editor": lambda: UserFactory(editor=True),
    "staff without a role": lambda: UserFactory(is_staff=True),
    "inactive moderator": lambda: UserFactory(moderator=True, is_active=False),
    "moderator": lambda: UserFactory(moderator=True),
    "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
}
ALLOWED = {"moderator", "superuser"}


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", PEOPLE)
def test_only_moderators_and_superusers_may_moderate(action, who, guideline):
    status, act = ACTIONS[action]
    comment = CommentFactory(status=status, body="Original text")
    ReportFactory(comment=comment, guideline=guideline)
    user = PEOPLE[who]()
    if who in ALLOWED:
        act(comment, user, guideline)
        assert ModerationEvent.objects.filter(comment=comment, actor=user).count() == 1
    else:
        with pytest.raises(ModerationRefused) as caught:
            act(comment, user, guideline)
        assert caught.value.code == "forbidden"
        assert caught.value.message.startswith("Only moderators can")
        assert stored(comment).status == status
        assert not ModerationEvent.objects.exists()
        assert Report.objects.filter(resolution="open").count() == 1
    assert stored(comment).body == "Original text"  # moderators never change the text


@pytest.mark.django_db
def test_a_service_reads_the_status_again_rather_than_trusting_the_instance(moderator, guideline):
    comment = CommentFactory()
    stale = Comment.objects.get(pk=comment.pk)
    comment_hide(comment=comment, moderator=moderator, guideline=guideline)
    # ``stale`` still says published: restoring goes by the stored status.
    comment_restore(comment=stale, moderator=moderator)
    events = list(ModerationEvent.objects.filter(comment=comment).order_by("pk"))
    assert [(e.from_status, e.to_status) for e in events] == [
        (PUBLISHED, HIDDEN),
        (HIDDEN, PUBLISHED),
    ]
    assert stale.status == PUBLISHED
    # And a stale "published" instance cannot be hidden twice.
    comment_hide(comment=comment, moderator=moderator, guideline=guideline)
    refused("status", comment_hide, comment=stale, moderator=moderator, guideline=guideline)


@pytest.mark.django_db
def test_every_change_of_status_is_logged_in_order(moderator, guideline):
    comment = say(discussion(moderation_mode=Mode.ALL))
    comment_approve(comment=comment, moderator=moderator)
    comment_hide(comment=comment, moderator=moderator, guideline=guideline)
    comment_restore(comment=comment, moderator=moderator)
    comment_mark_spam(comment=comment, moderator=moderator)
    comment_restore(comment=comment, moderator=moderator)
    events = ModerationEvent.objects.filter(comment=comment).order_by("pk")
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("hold", "", PENDING),
        ("approve", PENDING, PUBLISHED),
        ("hide", PUBLISHED, HIDDEN),
        ("restore", HIDDEN, PUBLISHED),
        ("spam", PUBLISHED, SPAM),
        ("restore", SPAM, PUBLISHED),
    ]


# --- Two moderators at the same moment ----------------------------------------


def _at_once(comment: Comment, *calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` as moderators acting on ``comment`` at the same moment
    (``tests.locks.at_once``); only the service's own lock can keep the second from acting
    on a stale status."""
    return at_once(comment, list(calls), ModerationRefused)


# Two connections contend for a row only on PostgreSQL (SQLite locks the whole database
# and has no SELECT ... FOR UPDATE); these are collected on PostgreSQL runs only.


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_moderators_acting_at_once_make_two_consistent_events():
    guideline = Guideline.objects.create(number=4, title="No spam", text="...")
    comment = CommentFactory(status=HIDDEN, guideline=guideline)
    first, second = UserFactory(moderator=True), UserFactory(moderator=True)
    # Each acts on the comment as their page showed it: hidden. Restore and mark spam both
    # make sense from hidden, and from each other's result.
    outcomes = _at_once(
        comment,
        lambda: comment_restore(comment=Comment.objects.get(pk=comment.pk), moderator=first),
        lambda: comment_mark_spam(comment=Comment.objects.get(pk=comment.pk), moderator=second),
    )
    assert not any(isinstance(outcome, ModerationRefused) for outcome in outcomes)
    events = list(ModerationEvent.objects.filter(comment=comment).order_by("created_at", "pk"))
    assert len(events) == 2
    assert {event.actor for event in events} == {first, second}
    assert events[0].from_status == HIDDEN
    assert events[1].from_status == events[0].to_status
    assert stored(comment).status == events[1].to_status
    assert Post.objects.get(pk=comment.post_id).comment_version == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_moderators_hiding_at_once_hide_it_once():
    guideline = Guideline.objects.create(number=5, title="Be kind", text="...")
    comment = CommentFactory()
    first, second = UserFactory(moderator=True), UserFactory(moderator=True)
    outcomes = _at_once(
        comment,
        *(
            lambda who=who: comment_hide(
                comment=Comment.objects.get(pk=comment.pk), moderator=who, guideline=guideline
            )
            for who in (first, second)
        ),
    )
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ModerationRefused)]
    assert len(refusals) == 1
    assert refusals[0].code == "status"
    (event,) = ModerationEvent.objects.filter(comment=comment)
    assert (event.from_status, event.to_status) == (PUBLISHED, HIDDEN)

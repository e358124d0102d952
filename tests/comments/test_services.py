"""The rules of posting and editing comments, through the services directly."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from blog.models import Post
from comments import services
from comments.models import Comment, ModerationEvent
from comments.services import (
    CommentRefused,
    admission,
    comment_create,
    discussion_settings_save,
    posting,
)
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def guest(post, body="A thoughtful comment.", **kwargs):
    kwargs.setdefault("guest_name", "Jane Doe")
    kwargs.setdefault("guest_email", "jane@example.org")
    return comment_create(post=post, body=body, **kwargs)


def refused(code, **kwargs):
    """Run comment_create expecting a refusal with ``code``; return the exception."""
    with pytest.raises(CommentRefused) as caught:
        guest(**kwargs)
    assert caught.value.code == code
    return caught.value


def test_top_level_comment_starts_its_own_thread_and_bumps_the_post():
    post = PostFactory()
    comment = guest(post)
    comment.refresh_from_db()
    post.refresh_from_db()
    assert (comment.thread_id, comment.depth, comment.parent_id) == (comment.pk, 0, None)
    assert comment.status == Comment.Status.PUBLISHED
    assert (post.comment_count, post.comment_version) == (1, 1)


def test_reply_joins_its_parents_thread_one_level_deeper(no_flood):
    post = PostFactory()
    root = guest(post)
    reply = guest(post, body="I agree.", guest_email="bob@example.org", parent_id=root.pk)
    assert (reply.thread_id, reply.depth, reply.parent_id) == (root.pk, 1, root.pk)
    post.refresh_from_db()
    assert (post.comment_count, post.comment_version) == (2, 2)


def test_reply_past_the_maximum_depth_attaches_at_the_maximum_depth(no_flood):
    no_flood.max_depth = 3
    no_flood.save()
    post = PostFactory()
    root = CommentFactory(post=post)
    child = CommentFactory(parent=root)
    deepest = CommentFactory(parent=child)  # depth 2: the third and last level
    reply = guest(post, parent_id=deepest.pk)
    assert (reply.parent_id, reply.depth) == (child.pk, 2)


def test_reply_to_a_comment_of_another_post_is_refused():
    other = CommentFactory()
    post = PostFactory()
    error = refused("invalid", post=post, parent_id=other.pk)
    assert error.field == "parent"
    assert not Comment.objects.filter(post=post).exists()


def test_reply_to_a_missing_comment_is_refused():
    refused("invalid", post=PostFactory(), parent_id=999_999)


@pytest.mark.parametrize("status", ["hidden", "spam", "pending"])
def test_reply_to_a_comment_that_is_not_published_is_refused(status):
    parent = CommentFactory(status=status)
    error = refused("invalid", post=parent.post, parent_id=parent.pk)
    assert "removed" in error.message
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("", "write a comment"),
        ("   \n\t  ", "write a comment"),
        ("x" * 5001, "under 5,000 characters"),
        ("null \x00 byte", "null byte"),
    ],
)
def test_bad_bodies_are_refused_and_nothing_is_stored(body, words):
    post = PostFactory()
    error = refused("invalid", post=post, body=body)
    assert words in error.message
    assert error.field == "body"
    post.refresh_from_db()
    assert (Comment.objects.count(), post.comment_version) == (0, 0)


def test_a_body_of_exactly_the_maximum_length_is_accepted():
    assert len(guest(PostFactory(), body="y" * 5000).body) == 5000


def test_maximum_length_comes_from_the_discussion_settings(discussion_settings):
    discussion_settings.max_length = 100
    discussion_settings_save(settings=discussion_settings)
    refused("invalid", post=PostFactory(), body="z" * 101)


def test_body_keeps_its_line_breaks_and_loses_outer_whitespace():
    comment = guest(PostFactory(), body="  First line\r\nsecond line\r\n\r\nNew paragraph  ")
    assert comment.body == "First line\nsecond line\n\nNew paragraph"


@pytest.mark.parametrize(
    ("name", "email", "field"),
    [
        ("", "jane@example.org", "name"),
        ("  ", "jane@example.org", "name"),
        ("Bell\x07", "jane@example.org", "name"),
        ("Jane", "", "email"),
    ],
)
def test_guest_needs_a_printable_name_and_an_email(name, email, field):
    error = refused("invalid", post=PostFactory(), guest_name=name, guest_email=email)
    assert error.field == field


def test_guests_are_refused_when_the_settings_require_an_account(discussion_settings):
    discussion_settings.guests_allowed = False
    discussion_settings_save(settings=discussion_settings)
    error = refused("forbidden", post=PostFactory())
    assert "sign in" in error.message
    member = UserFactory()
    assert comment_create(post=PostFactory(), body="Members still may.", user=member).pk


def test_member_comments_as_themselves_without_name_or_email():
    member = UserFactory(display_name="Sam Reader")
    comment = comment_create(post=PostFactory(), body="Hello.", user=member)
    assert (comment.user, comment.guest_name, comment.guest_email) == (member, "", "")
    assert comment.author_name == "Sam Reader"


def test_inactive_member_is_refused():
    with pytest.raises(CommentRefused):
        comment_create(post=PostFactory(), body="Hi", user=UserFactory(is_active=False))


@pytest.mark.parametrize(
    "post_kwargs", [{"draft": True}, {"scheduled": True}, {"comments_enabled": False}]
)
def test_unpublished_or_closed_posts_take_no_comments(post_kwargs):
    error = refused("closed", post=PostFactory(**post_kwargs))
    assert error.message == "Comments are closed on this article."
    assert not Comment.objects.exists()


def test_discussion_closes_automatically_after_the_configured_days(discussion_settings):
    discussion_settings.close_after_days = 14
    discussion_settings_save(settings=discussion_settings)
    post = PostFactory(published_at=timezone.now() - timedelta(days=13, hours=23))
    guest(post)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        refused("closed", post=post, body="Too late.")
    assert Comment.objects.count() == 1


def test_flood_control_refuses_a_second_comment_within_the_interval():
    post = PostFactory()
    guest(post)
    error = refused("flood", post=post, body="Another thought.")
    assert "wait 15 seconds" in error.message
    with time_machine.travel(timezone.now() + timedelta(seconds=16)):
        assert guest(post, body="Another thought.").pk


def test_guests_sharing_an_ip_address_do_not_flood_each_other_or_duplicate_each_other():
    post = PostFactory()
    office = "203.0.113.9"
    guest(post, body="Thank you!", ip=office)
    other = guest(post, body="Thank you!", guest_email="colleague@example.org", ip=office)
    assert other.status == Comment.Status.PUBLISHED
    assert Comment.objects.filter(body="Thank you!").count() == 2


def test_flood_control_follows_the_guest_from_one_ip_address_to_another():
    post = PostFactory()
    guest(post, ip="203.0.113.9")
    refused("flood", post=post, body="Other", guest_email="JANE@example.org", ip="198.51.100.1")


def test_a_member_and_a_guest_on_one_ip_address_do_not_flood_each_other():
    post = PostFactory()
    member = UserFactory()
    guest(post, ip="203.0.113.9")
    assert comment_create(post=post, body="Me too.", user=member, ip="203.0.113.9").pk
    assert guest(post, body="And me.", guest_email="third@example.org", ip="203.0.113.9").pk


def test_a_member_is_one_person_with_the_guest_comments_under_their_address():
    post = PostFactory()
    member = UserFactory(email="jane@example.org")
    guest(post, body="Posted before joining.")
    with pytest.raises(CommentRefused) as caught:
        comment_create(post=post, body="Posted after joining.", user=member)
    assert caught.value.code == "flood"


def test_more_guest_comments_from_one_ip_address_than_the_per_minute_rate_are_refused(
    settings, no_flood
):
    settings.COMMENTS_PER_IP_PER_MINUTE = 10
    post = PostFactory()
    office = "203.0.113.9"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(10):
            guest(post, body=f"Comment {n}", guest_email=f"person{n}@example.org", ip=office)
        clock.shift(timedelta(seconds=45))
        error = refused(
            "rate", post=post, body="One too many", guest_email="late@example.org", ip=office
        )
        assert error.message == (
            "More comments have come from your network in the last minute than we accept "
            "from one connection. Please wait 15 seconds and send yours again."
        )
        assert error.field is None
        assert Comment.objects.count() == 10
        assert not ModerationEvent.objects.exists()
        # Another network, and a member on this one, are not held back.
        assert guest(post, body="Elsewhere", guest_email="late@example.org", ip="198.51.100.1")
        assert comment_create(post=post, body="Member", user=UserFactory(), ip=office).pk
        clock.shift(timedelta(seconds=16))
        assert guest(post, body="One too many", guest_email="late@example.org", ip=office).pk


def test_the_per_ip_rate_comes_from_the_settings(settings, no_flood):
    settings.COMMENTS_PER_IP_PER_MINUTE = 2
    post = PostFactory()
    guest(post, body="One", guest_email="a@example.org", ip="203.0.113.9")
    guest(post, body="Two", guest_email="b@example.org", ip="203.0.113.9")
    refused("rate", post=post, body="Three", guest_email="c@example.org", ip="203.0.113.9")
    settings.COMMENTS_PER_IP_PER_MINUTE = 0
    assert guest(post, body="Three", guest_email="c@example.org", ip="203.0.113.9").pk


def test_flood_control_does_not_stop_other_people():
    post = PostFactory()
    guest(post)
    assert guest(post, guest_email="someone@example.org", body="Different person").pk


def test_the_same_comment_twice_from_one_person_is_a_duplicate(no_flood):
    post = PostFactory()
    guest(post, body="Great article!")
    error = refused("duplicate", post=post, body="  Great article!  ")
    assert error.message == "You’ve already posted this comment here."
    assert guest(post, body="Great article!", guest_email="other@example.org").pk


def test_double_submit_of_one_form_creates_one_comment(no_flood):
    post = PostFactory()
    first = guest(post, form_key="k" * 32)
    second = guest(post, form_key="k" * 32)
    assert first.pk == second.pk
    assert Comment.objects.count() == 1


def test_a_form_key_used_on_another_post_is_refused_and_nothing_is_stored(no_flood):
    # It was an IntegrityError (a 500): the key is unique across all comments.
    first = guest(PostFactory(), form_key="k" * 32)
    other = PostFactory()

    error = refused("used", post=other, form_key="k" * 32)

    assert "already been used" in error.message
    assert list(Comment.objects.all()) == [first]
    other.refresh_from_db()
    assert (other.comment_count, other.comment_version) == (0, 0)


@pytest.mark.parametrize(
    "someone_else",
    [{"guest_email": "bob@example.org"}, {"user": "member"}],
    ids=["guest", "member"],
)
def test_someone_else_sending_the_same_form_key_gets_their_own_comment(no_flood, someone_else):
    # A page from the shared page cache gives every guest the same form, key and all.
    post = PostFactory()
    first = guest(post, form_key="k" * 32)
    if someone_else.get("user") == "member":
        someone_else = {"user": UserFactory(), "guest_name": "", "guest_email": ""}

    second = guest(post, form_key="k" * 32, **someone_else)

    assert second.pk != first.pk
    assert Comment.objects.count() == 2
    post.refresh_from_db()
    assert post.comment_count == 2


def test_one_guest_sending_one_form_again_in_other_words_or_elsewhere_posts_again(no_flood):
    post = PostFactory()
    first = guest(post, form_key="k" * 32)
    other_words = guest(post, body="On second thoughts…", form_key="k" * 32)
    reply = guest(post, body="And a reply.", parent_id=first.pk, form_key="k" * 32)
    assert len({first.pk, other_words.pk, reply.pk}) == 3


def test_a_second_submit_matches_the_first_whatever_the_case_spaces_and_line_breaks(no_flood):
    post = PostFactory()
    first = guest(post, body="One\nTwo", guest_email="Jane@Example.org", form_key="k" * 32)
    again = guest(post, body="  One\r\nTwo \n", guest_email=" jane@example.ORG ", form_key="k" * 32)
    assert again.pk == first.pk
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"form_key": "l" * 32},
        {"user": 2},
        {"guest_email": "bob@example.org"},
        {"parent_id": 7},
        {"body": "Other words."},
    ],
    ids=["form", "member", "guest", "parent", "body"],
)
def test_submission_key_tells_sendings_apart(change):
    sending = {
        "form_key": "k" * 32,
        "user": None,
        "guest_email": "jane@example.org",
        "parent_id": None,
        "body": "Words.",
    }
    key = admission.submission_key(**sending)
    if "user" in change:
        change = {"user": UserFactory.build(pk=change["user"]), "guest_email": ""}
    other = admission.submission_key(**{**sending, **change})
    assert other != key
    # It fits the model's field, unique across every comment.
    assert len(key) == len(other) == Comment._meta.get_field("submission_key").max_length
    assert Comment._meta.get_field("submission_key").unique


def test_a_member_sending_the_same_form_twice_gets_the_first_comment_back(no_flood):
    post, member = PostFactory(), UserFactory()
    first = comment_create(post=post, body="Hello", user=member, form_key="m" * 32)
    second = comment_create(post=post, body="Hello", user=member, form_key="m" * 32)
    assert second.pk == first.pk
    assert Comment.objects.count() == 1


def _racing(store_first):
    """Make ``comment_create`` meet a row stored by a concurrent request: ``store_first``
    runs after the service's own checks, just before it saves (``_assess`` is the last step
    before the save, looked up in the posting module)."""
    real_assess = posting._assess
    stored = []

    def assess_after_the_other_request(**kwargs):
        if not stored:  # once: the other request goes through the service too
            stored.append(True)
            store_first()
        return real_assess(**kwargs)

    return mock.patch.object(posting, "_assess", assess_after_the_other_request)


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_form_at_once_end_with_one_comment(no_flood):
    # The unique key settles the race; the loser answers as a double submit does.
    post = PostFactory()
    first = []
    with _racing(lambda: first.append(guest(post, form_key="r" * 32))):
        second = guest(post, form_key="r" * 32)
    assert second.pk == first[0].pk
    assert Comment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_copied_form_racing_on_another_post_is_refused(no_flood):
    post, other = PostFactory(), PostFactory()
    with _racing(lambda: guest(other, form_key="r" * 32)):
        refused("used", post=post, form_key="r" * 32)
    assert Comment.objects.filter(post=post).count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_reply_whose_parent_is_purged_meanwhile_is_refused_not_a_500(no_flood):
    # The foreign key is checked when the transaction commits: an IntegrityError there.
    post = PostFactory()
    parent = guest(post, guest_email="bob@example.org")
    with _racing(lambda: Comment.objects.filter(pk=parent.pk).delete()):
        error = refused("conflict", post=post, parent_id=parent.pk)
    assert "Please send it again" in error.message
    assert not Comment.objects.exists()


def test_a_null_byte_in_the_user_agent_is_dropped(no_flood):
    # PostgreSQL refuses NUL in text: the comment was a 500 there.
    comment = guest(PostFactory(), user_agent="Mozilla/5.0\x00 evil")
    comment.refresh_from_db()
    assert comment.user_agent == "Mozilla/5.0 evil"


def test_ip_is_stored_only_as_a_keyed_hash():
    comment = guest(PostFactory(), ip="198.51.100.7", user_agent="A" * 400)
    assert comment.ip_hash
    assert "198.51.100.7" not in comment.ip_hash
    assert comment.ip_hash == services.ip_hash("198.51.100.7")
    assert len(comment.user_agent) == 255


def test_comment_count_counts_published_comments_only(no_flood):
    post = PostFactory()
    CommentFactory(post=post, status="hidden")
    CommentFactory(post=post, status="spam")
    guest(post)
    post.refresh_from_db()
    assert post.comment_count == 1


class TestEdit:
    def test_author_may_edit_within_the_window_and_it_shows_edited(self):
        member = UserFactory()
        comment = comment_create(post=PostFactory(), body="Teh typo", user=member)
        version = Post.objects.get(pk=comment.post_id).comment_version
        services.comment_edit(comment=comment, user=member, body="The typo, fixed")
        comment.refresh_from_db()
        assert comment.body == "The typo, fixed"
        assert comment.edited_at is not None
        assert Post.objects.get(pk=comment.post_id).comment_version == version + 1

    def test_edit_after_the_window_is_refused(self):
        member = UserFactory()
        comment = comment_create(post=PostFactory(), body="Original", user=member)
        later = time_machine.travel(timezone.now() + timedelta(minutes=16))
        with later, pytest.raises(CommentRefused) as caught:
            services.comment_edit(comment=comment, user=member, body="Changed")
        assert "15 minutes" in caught.value.message
        comment.refresh_from_db()
        assert (comment.body, comment.edited_at) == ("Original", None)

    def test_nobody_else_may_edit_not_even_staff(self):
        comment = comment_create(post=PostFactory(), body="Mine", user=UserFactory())
        for other in (UserFactory(), UserFactory(is_staff=True, is_superuser=True)):
            with pytest.raises(CommentRefused):
                services.comment_edit(comment=comment, user=other, body="Theirs")
        comment.refresh_from_db()
        assert comment.body == "Mine"

    def test_guests_comments_cannot_be_edited(self):
        comment = guest(PostFactory())
        assert not services.comment_can_edit(comment=comment, user=None)

    def test_edit_to_an_empty_body_is_refused(self):
        member = UserFactory()
        comment = comment_create(post=PostFactory(), body="Keep me", user=member)
        with pytest.raises(CommentRefused):
            services.comment_edit(comment=comment, user=member, body="   ")
        comment.refresh_from_db()
        assert comment.body == "Keep me"

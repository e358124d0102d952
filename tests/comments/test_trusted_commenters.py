"""Trusted commenters: a member with enough published comments and no removal upheld in the
last days skips the first-time and link holds (``comments.moderation.is_trusted_commenter``,
the record from ``comments.selectors.commenters``), posted through HTTP as a reader would,
and the settings changed in the admin."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment, DiscussionSettings, ModerationEvent, Report
from comments.moderation import is_trusted_commenter
from comments.services import discussion_settings_save
from tests.comments.test_thread_cache import settings_form
from tests.factories import (
    CommentFactory,
    PostFactory,
    ReportFactory,
    UserFactory,
    comment_form_data,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_quick_forms")]

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
THREE_LINKS = "See a.example.com/x, b.example.com/y and https://c.example.org/z please."
PUBLISHED = Comment.Status.PUBLISHED
PENDING = Comment.Status.PENDING
SPAM = Comment.Status.SPAM


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def site(no_flood):
    """The defaults (trust after 3 published comments and 90 clean days), holding a comment
    with more than one link and first-time commenters."""
    no_flood.hold_link_count = 1
    no_flood.moderation_mode = DiscussionSettings.ModerationMode.FIRST_TIME
    discussion_settings_save(settings=no_flood)
    return no_flood


@pytest.fixture
def moderator():
    return UserFactory(moderator=True)


def published(member, n: int, **fields) -> list[Comment]:
    return [
        CommentFactory(
            user=member,
            guest_name="",
            guest_email="",
            created_at=NOW - timedelta(days=200 + i),
            **fields,
        )
        for i in range(n)
    ]


def removed_by_moderator(member, moderator, *, days_ago: int, to: str = "hidden") -> Comment:
    comment = CommentFactory(member=True, user=member, status=to)
    ModerationEvent.objects.create(
        comment=comment, actor=moderator, action="hide" if to == "hidden" else "spam",
        from_status="published", to_status=to, created_at=NOW - timedelta(days=days_ago),
    )  # fmt: skip
    return comment


def send(client, *, body: str = THREE_LINKS):
    post = PostFactory()
    response = client.post(reverse("comments:post", args=[post.pk]), comment_form_data(body=body))
    assert response.status_code == 302
    return Comment.objects.filter(post=post).get()


def rule_of(comment: Comment) -> str:
    event = ModerationEvent.objects.filter(comment=comment).first()
    return event.rule if event else ""


# --- Each case posted through HTTP --------------------------------------------------------

History = dict


def history_three_published(member, moderator) -> None:
    published(member, 3)


def history_two_published(member, moderator) -> None:
    published(member, 2)


def history_recent_hide(member, moderator) -> None:
    published(member, 3)
    removed_by_moderator(member, moderator, days_ago=10)


def history_hide_long_ago(member, moderator) -> None:
    published(member, 3)
    removed_by_moderator(member, moderator, days_ago=91)


def history_recent_spam(member, moderator) -> None:
    published(member, 3)
    removed_by_moderator(member, moderator, days_ago=89, to="spam")


def history_hide_since_restored(member, moderator) -> None:
    published(member, 3)
    restored = removed_by_moderator(member, moderator, days_ago=5)
    Comment.objects.filter(pk=restored.pk).update(status=PUBLISHED)


def history_hidden_by_reports_pending_review(member, moderator) -> None:
    published(member, 3)
    comment = CommentFactory(member=True, user=member, hidden=True)
    ModerationEvent.objects.create(
        comment=comment, actor=None, rule="auto-hide", action="hide",
        from_status="published", to_status="hidden", created_at=NOW - timedelta(days=1),
    )  # fmt: skip


def history_upheld_report(member, moderator) -> None:
    published(member, 3)
    comment = CommentFactory(member=True, user=member, hidden=True)
    ReportFactory(
        comment=comment, resolution=Report.Resolution.UPHELD, resolved_at=NOW - timedelta(days=3)
    )


def history_published_as_a_guest(member, moderator) -> None:
    # Approved as a guest under the address the member has since confirmed.
    for n in range(3):
        CommentFactory(guest_email=member.email.upper(), created_at=NOW - timedelta(days=n + 1))


def history_held_ones_do_not_count(member, moderator) -> None:
    published(member, 2)
    CommentFactory(member=True, user=member, pending=True)


@pytest.mark.parametrize(
    ("history", "changes", "body", "status", "rule"),
    [
        (history_three_published, {}, THREE_LINKS, PUBLISHED, ""),
        (history_two_published, {}, THREE_LINKS, PENDING, "links"),
        (history_held_ones_do_not_count, {}, THREE_LINKS, PENDING, "links"),
        (history_published_as_a_guest, {}, THREE_LINKS, PUBLISHED, ""),
        (history_recent_hide, {}, THREE_LINKS, PENDING, "links"),
        (history_recent_spam, {}, THREE_LINKS, PENDING, "links"),
        (history_hide_long_ago, {}, THREE_LINKS, PUBLISHED, ""),
        (history_hide_long_ago, {"trusted_clean_days": 120}, THREE_LINKS, PENDING, "links"),
        (history_hide_since_restored, {}, THREE_LINKS, PUBLISHED, ""),
        (history_hidden_by_reports_pending_review, {}, THREE_LINKS, PUBLISHED, ""),
        (history_upheld_report, {}, THREE_LINKS, PENDING, "links"),
        (history_three_published, {"trust_members": False}, THREE_LINKS, PENDING, "links"),
        (history_three_published, {"trusted_after_comments": 4}, THREE_LINKS, PENDING, "links"),
        (history_two_published, {"trusted_after_comments": 2}, THREE_LINKS, PUBLISHED, ""),
        # Other rules still apply to a trusted commenter.
        (history_three_published, {"block_words": "casino"}, "Casino night!", SPAM, "block word"),
        (history_three_published, {"hold_words": "casino"}, "Casino night!", PENDING, "hold word"),
        (
            history_three_published,
            {"moderation_mode": DiscussionSettings.ModerationMode.ALL},
            THREE_LINKS,
            PENDING,
            "hold all",
        ),
    ],
    ids=lambda value: value.__name__.removeprefix("history_") if callable(value) else None,
)
def test_a_members_record_decides_whether_the_link_hold_applies(
    client, site, moderator, history, changes, body, status, rule
):
    member = UserFactory()
    history(member, moderator)
    for field, value in changes.items():
        setattr(site, field, value)
    discussion_settings_save(settings=site)
    client.force_login(member)

    comment = send(client, body=body)

    assert (comment.status, rule_of(comment)) == (status, rule)


@pytest.mark.parametrize(
    ("earlier", "status", "rule"),
    [(0, PENDING, "links, first-time commenter"), (3, PUBLISHED, "")],
)
def test_in_first_time_mode_a_new_member_is_held_and_a_trusted_one_is_not(
    client, site, earlier, status, rule
):
    member = UserFactory()
    published(member, earlier)
    client.force_login(member)

    comment = send(client)

    assert (comment.status, rule_of(comment)) == (status, rule)


def test_guests_are_never_trusted_however_long_their_record(client, site):
    for n in range(5):
        CommentFactory(guest_email="jane@example.org", created_at=NOW - timedelta(days=n + 1))

    comment = send(client)

    assert (comment.status, rule_of(comment)) == (PENDING, "links")


def test_an_edit_by_a_trusted_member_is_not_held_for_its_links(client, site):
    trusted, newcomer = UserFactory(), UserFactory()
    published(trusted, 3)
    published(newcomer, 1)
    for member in (trusted, newcomer):
        comment = CommentFactory(member=True, user=member, body="No links yet.")
        client.force_login(member)
        url = reverse("comments:edit", args=[comment.pk])

        assert client.post(url, {"body": THREE_LINKS}).status_code == 302

        comment.refresh_from_db()
        assert comment.status == (PUBLISHED if member == trusted else PENDING)


@pytest.mark.parametrize("earlier", [3, 60])
def test_the_record_is_one_query_whatever_its_length(client, site, moderator, earlier):
    member = UserFactory()
    published(member, earlier)
    for days in range(0, earlier // 3):
        removed_by_moderator(member, moderator, days_ago=200 + days)
    client.force_login(member)

    with CaptureQueriesContext(connection) as queries:
        send(client)

    record = [
        q["sql"] for q in queries if "comments_moderationevent" in q["sql"] and "COUNT" in q["sql"]
    ]
    assert len(record) == 1


def test_the_record_is_looked_up_for_members_only(client, site):
    member = UserFactory()
    published(member, 3)
    for n in range(3):
        CommentFactory(guest_email="jane@example.org", created_at=NOW - timedelta(days=n + 1))

    with CaptureQueriesContext(connection) as queries:
        send(client, body="A plain comment.")
    # Read before the next request: each request empties the connection's query log.
    as_guest = [q["sql"] for q in queries]
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        send(client, body="A plain comment too.")
    as_member = [q["sql"] for q in queries]

    assert len([sql for sql in as_member if "comments_moderationevent" in sql]) == 1
    assert not [sql for sql in as_guest if "comments_moderationevent" in sql]


# --- Set in the admin -------------------------------------------------------------------


def test_a_moderator_sets_the_record_in_the_admin_and_posting_follows_it(client, site):
    member = UserFactory()
    published(member, 1)
    client.force_login(UserFactory(moderator=True))
    change = reverse("admin:comments_discussionsettings_change", args=[1])
    page = client.get(change).text
    assert "Trusted commenters" in page
    form = settings_form(
        hold_link_count=1, trust_members="on", trusted_after_comments=1, trusted_clean_days=30
    )

    assert client.post(change, form).status_code == 302

    client.force_login(member)
    assert send(client).status == PUBLISHED
    stored = DiscussionSettings.objects.get(pk=1)
    assert (stored.trust_members, stored.trusted_after_comments, stored.trusted_clean_days) == (
        True,
        1,
        30,
    )


# --- The rule alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("switch", "needed", "published_count", "removals", "trusted"),
    [
        (True, 3, 3, 0, True),
        (True, 3, 2, 0, False),
        (True, 3, 30, 1, False),
        (False, 3, 30, 0, False),
        (True, 1, 1, 0, True),
    ],
)
def test_the_rule(switch, needed, published_count, removals, trusted):
    settings = DiscussionSettings(trust_members=switch, trusted_after_comments=needed)

    answer = is_trusted_commenter(
        published=published_count, upheld_removals=removals, settings=settings
    )

    assert answer is trusted

"""A post's discussion schedule in its admin page (comments.admin.modes): editors set it
with the post, every problem gets its own message and nothing is stored, and readers see
the new mode at their next request."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from blog.models import Post
from comments.models import ModeChange
from comments.modes.rules import Mode
from tests.blog.test_admin import post_form_data
from tests.comments.conftest import NOON
from tests.comments.test_thread_cache import post_form
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

PREFIX = "discussion_modes"


@pytest.fixture
def post(post_since_yesterday):
    return post_since_yesterday


@pytest.fixture
def editor() -> Client:
    client = Client()
    client.force_login(UserFactory(editor=True))
    return client


def change_url(post) -> str:
    return reverse("admin:blog_post_change", args=[post.pk])


def row(when: str = "", mode: str = "", minutes: str = "", **extra) -> dict:
    """One row of the schedule as the admin sends it; ``when`` is "2025-11-28 18:00"."""
    date, _, time = when.partition(" ")
    fields = {"starts_at_0": date, "starts_at_1": time, "mode": mode, "slow_minutes": minutes}
    return fields | extra


def schedule_form(post, rows: list[dict], *, stored: int = 0) -> dict:
    """The post's change form, unchanged, with the schedule ``rows`` (the first ``stored``
    of them being rows already stored, each with its ``id``)."""
    data = post_form(post)
    data |= {f"{PREFIX}-TOTAL_FORMS": str(len(rows)), f"{PREFIX}-INITIAL_FORMS": str(stored)}
    for index, fields in enumerate(rows):
        for name, value in (fields | {"post": post.pk}).items():
            data[f"{PREFIX}-{index}-{name}"] = value
    return data


def stored(post) -> list[tuple]:
    rows = ModeChange.objects.filter(post=post).values_list("starts_at", "mode", "slow_minutes")
    return list(rows)


def test_an_editor_schedules_members_only_until_six_then_open(editor, post):
    anonymous = Client()
    assert "Members only" not in anonymous.get(post.get_absolute_url()).text  # kept now
    version = post.comment_version
    form = schedule_form(post, [row(mode="members"), row("2025-11-28 18:00", "open")])

    response = editor.post(change_url(post), form)

    assert response.status_code == 302
    assert stored(post) == [
        (None, Mode.MEMBERS, None),
        (datetime(2025, 11, 28, 18, 0, tzinfo=UTC), Mode.OPEN, None),
    ]
    post.refresh_from_db()
    assert post.comment_version == version + 1
    line = "Members only until 18:00, then open to everyone."
    assert line in anonymous.get(post.get_absolute_url()).text
    member = Client()
    member.force_login(UserFactory())
    assert line in member.get(post.get_absolute_url()).text
    # The page shows the schedule again to edit.
    page = editor.get(change_url(post)).text
    assert 'name="discussion_modes-1-starts_at_1" value="18:00:00"' in page


def test_an_editor_sets_slow_mode_with_its_minutes(editor, post):
    response = editor.post(change_url(post), schedule_form(post, [row(mode="slow", minutes="10")]))
    assert response.status_code == 302
    assert stored(post) == [(None, Mode.SLOW, 10)]
    assert "Slow mode: one comment every 10 minutes." in Client().get(post.get_absolute_url()).text


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([row("2025-11-28 18:00", "members"), row("2025-11-28 18:00", "open")],
         "Two changes are set for the same time (28 November 2025, 18:00). "
         "Please keep one of them."),
        ([row(mode="members"), row(mode="closed")],
         "Only one change can hold from the start. Please give the others a time."),
        ([row(mode="slow")],
         "Slow mode needs the minutes each person waits between two comments: 1 or more."),
        ([row(mode="members", minutes="5")],
         "Minutes apply to slow mode only. Please leave them empty."),
        ([row(mode="slow", minutes="0")], "Ensure this value is greater than or equal to 1."),
        ([row(mode="slow", minutes="1441")], "Ensure this value is less than or equal to 1440."),
        ([row("2025-11-28 25:00", "closed")], "Enter a valid time."),
        ([row("2025-11-28 18:00")], "This field is required."),
    ],
)  # fmt: skip
def test_a_schedule_that_cannot_be_is_refused_with_its_reason(editor, post, rows, message):
    response = editor.post(change_url(post), schedule_form(post, rows))
    assert response.status_code == 200
    assert message in response.text
    assert stored(post) == []
    assert "Members only" not in Client().get(post.get_absolute_url()).text


def test_moving_and_removing_changes(editor, post):
    first = ModeChange.objects.create(post=post, starts_at=NOON + timedelta(hours=1), mode="held")
    second = ModeChange.objects.create(post=post, starts_at=NOON + timedelta(hours=2), mode="open")
    third = ModeChange.objects.create(post=post, starts_at=NOON + timedelta(hours=3), mode="closed")
    rows = [
        # The first two swap their times, which never meet in the database.
        row("2025-11-28 14:00", "held", id=first.pk),
        row("2025-11-28 13:00", "open", id=second.pk),
        row("2025-11-28 15:00", "closed", id=third.pk, DELETE="on"),
    ]
    response = editor.post(change_url(post), schedule_form(post, rows, stored=3))
    assert response.status_code == 302
    at = NOON.replace
    assert sorted(stored(post)) == [(at(hour=13), "open", None), (at(hour=14), "held", None)]
    html = Client().get(post.get_absolute_url()).text
    assert "Every comment waits for a moderator" not in html
    assert "Open to everyone until 14:00, then every comment waits for a moderator." in html


def test_a_post_saved_with_its_schedule_unchanged_keeps_it(editor, post):
    change = ModeChange.objects.create(post=post, mode="slow", slow_minutes=5)
    version = post.comment_version
    form = schedule_form(post, [row(mode="slow", minutes="5", id=change.pk)], stored=1)
    assert editor.post(change_url(post), form).status_code == 302
    assert stored(post) == [(None, "slow", 5)]
    post.refresh_from_db()
    assert post.comment_version == version  # nothing of the schedule was written


def test_a_moderator_sees_the_schedule_but_cannot_change_it(post):
    ModeChange.objects.create(post=post, mode="members")
    client = Client()
    client.force_login(UserFactory(moderator=True))
    page = client.get(change_url(post))
    assert page.status_code == 200
    assert "Members only" in page.text
    assert f'name="{PREFIX}-0-mode"' not in page.text
    response = client.post(change_url(post), schedule_form(post, [row(mode="closed")]))
    assert response.status_code == 403
    assert stored(post) == [(None, "members", None)]


@pytest.mark.parametrize("count", [2, 20])
def test_the_post_admin_page_reads_the_schedule_in_one_query(
    editor, post, count, django_assert_max_num_queries
):
    for hour in range(count):
        ModeChange.objects.create(post=post, starts_at=NOON + timedelta(hours=hour), mode="open")
    with django_assert_max_num_queries(20):
        assert editor.get(change_url(post)).status_code == 200


def test_a_new_post_is_written_with_its_schedule(editor):
    form = post_form_data(status="published", published_at_0="2025-11-28", published_at_1="09:00")
    form |= {f"{PREFIX}-TOTAL_FORMS": "1", f"{PREFIX}-0-mode": "held"}
    response = editor.post(reverse("admin:blog_post_add"), form)
    assert response.status_code == 302
    post = Post.objects.get(slug="a-new-article")
    assert stored(post) == [(None, "held", None)]
    assert "Every comment waits for a moderator" in Client().get(post.get_absolute_url()).text

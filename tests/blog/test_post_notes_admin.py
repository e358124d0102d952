"""The admin's list of corrections and updates: every note of every post, searched and
filtered by kind and date, each linked to its post's admin page; edits and deletions from
it go through the services, so the post is marked as changed."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Post, PostNote
from blog.services import post_note_save
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:blog_postnote_changelist"


def a_day_old(post: Post) -> None:
    Post.objects.filter(pk=post.pk).update(updated_at=timezone.now() - timedelta(days=1))


def make_notes(count: int, editor) -> list[PostNote]:
    """``count`` notes, each on its own post, alternately corrections and updates."""
    return [
        post_note_save(
            note=PostNote(
                post=PostFactory(title=f"Council story {n}"),
                kind="correction" if n % 2 == 0 else "update",
                text=f"Note number {n}.",
            ),
            by=editor,
        )
        for n in range(count)
    ]


def test_editors_find_corrections_and_updates_on_the_admin_index(editor_client):
    html = editor_client.get(reverse("admin:index")).text
    assert "Corrections and updates" in html
    assert reverse(CHANGELIST) in html


def test_the_list_shows_each_note_with_a_link_to_its_posts_admin_page(editor_client, editor):
    note = post_note_save(
        note=PostNote(post=PostFactory(title="Bus fares <rise>"), text="We said 5%." * 20),
        by=editor,
    )

    html = editor_client.get(reverse(CHANGELIST)).text

    post_admin = reverse("admin:blog_post_change", args=[note.post_id])
    assert f'<a href="{post_admin}">Bus fares &lt;rise&gt;</a>' in html
    assert "We said 5%.We said" in html
    assert "We said 5%." * 20 not in html  # cut short in the list
    assert "Correction" in html
    assert editor.public_name in html
    assert reverse("admin:blog_postnote_change", args=[note.pk]) in html
    # Added in the post's page only.
    assert reverse("admin:blog_postnote_add") not in html


def test_the_list_is_searched_by_text_and_post_title(editor_client, editor):
    make_notes(4, editor)
    by_text = editor_client.get(reverse(CHANGELIST), {"q": "number 3"}).text
    assert "Note number 3." in by_text
    assert "Note number 2." not in by_text
    by_title = editor_client.get(reverse(CHANGELIST), {"q": "story 2"}).text
    assert "Note number 2." in by_title
    assert "Note number 3." not in by_title


def test_the_list_is_filtered_by_kind_and_date(editor_client, editor):
    notes = make_notes(4, editor)
    old = notes[0]
    PostNote.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))

    updates = editor_client.get(reverse(CHANGELIST), {"kind__exact": "update"}).text
    assert "Note number 1." in updates
    assert "Note number 3." in updates
    assert "Note number 0." not in updates
    assert "Note number 2." not in updates

    # The date filter's own link, as the editor clicks it.
    listing = editor_client.get(reverse(CHANGELIST)).text
    link = re.search(r'<a href="(\?[^"]*created_at__gte[^"]*)"[^>]*>Past 7 days</a>', listing)
    recent = editor_client.get(reverse(CHANGELIST) + html.unescape(link.group(1))).text
    assert "Note number 1." in recent
    assert "Note number 0." not in recent


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_the_same_queries_whatever_the_number_of_notes(
    editor_client, editor, count, django_assert_num_queries
):
    make_notes(count, editor)
    # The session, the editor, their own and their groups' permissions, the count of the
    # filtered notes, the count of all notes, the page of notes with posts and authors.
    with django_assert_num_queries(7):
        response = editor_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert len(re.findall(r'href="/admin/blog/post/\d+/change/"', response.text)) == count


def test_an_edit_from_the_list_goes_through_the_service(editor_client, editor):
    note = make_notes(1, editor)[0]
    a_day_old(note.post)
    url = reverse("admin:blog_postnote_change", args=[note.pk])

    page = editor_client.get(url)
    assert page.status_code == 200
    assert reverse("admin:blog_post_change", args=[note.post_id]) in page.text

    response = editor_client.post(url, {"kind": "clarification", "text": "  Better words.  "})

    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.kind, note.text) == ("clarification", "Better words.")
    post = Post.objects.get(pk=note.post_id)
    assert post.updated_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "correction", "text": "   "}, "Please write what was corrected or updated."),
        ({"kind": "retraction", "text": "Fine."}, "Select a valid choice."),
        ({"kind": "update", "text": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_a_bad_edit_from_the_list_is_refused_and_changes_nothing(
    editor_client, editor, form, message
):
    note = make_notes(1, editor)[0]
    a_day_old(note.post)
    before = Post.objects.get(pk=note.post_id).updated_at

    response = editor_client.post(reverse("admin:blog_postnote_change", args=[note.pk]), form)

    assert response.status_code == 200
    assert message in response.text
    note.refresh_from_db()
    assert (note.kind, note.text) == ("correction", "Note number 0.")
    assert Post.objects.get(pk=note.post_id).updated_at == before


def test_a_delete_from_the_list_goes_through_the_service(editor_client, editor):
    note = make_notes(1, editor)[0]
    a_day_old(note.post)

    response = editor_client.post(
        reverse("admin:blog_postnote_delete", args=[note.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not PostNote.objects.exists()
    post = Post.objects.get(pk=note.post_id)
    assert post.updated_at > timezone.now() - timedelta(minutes=1)


def test_deleting_selected_notes_goes_through_the_service_for_each(editor_client, editor):
    notes = make_notes(3, editor)
    for note in notes:
        a_day_old(note.post)

    response = editor_client.post(
        reverse(CHANGELIST),
        {
            "action": "delete_selected",
            "_selected_action": [n.pk for n in notes[:2]],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert list(PostNote.objects.values_list("pk", flat=True)) == [notes[2].pk]
    fresh = timezone.now() - timedelta(minutes=1)
    touched = [Post.objects.get(pk=n.post_id).updated_at > fresh for n in notes]
    assert touched == [True, True, False]


def test_notes_cannot_be_added_from_the_list(editor_client):
    assert editor_client.get(reverse("admin:blog_postnote_add")).status_code == 403


def test_moderators_read_the_list_but_cannot_change_a_note(editor):
    note = make_notes(1, editor)[0]
    client = Client()
    client.force_login(UserFactory(moderator=True))
    url = reverse("admin:blog_postnote_change", args=[note.pk])

    assert client.get(reverse(CHANGELIST)).status_code == 200
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert client.post(url, {"kind": "update", "text": "By a moderator."}).status_code == 403
    note.refresh_from_db()
    assert note.text == "Note number 0."

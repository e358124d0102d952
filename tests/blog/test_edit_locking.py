"""Optimistic locking of the post editor: a save made from a form opened before someone
else's save is refused with a message naming them, and nothing typed is lost; the list's
publish actions are never refused but move the version."""

from collections.abc import Callable
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from blog.services import (
    PostEditConflict,
    local_clock,
    post_edit_conflict_message,
    post_publish,
    post_save,
    post_unpublish,
)
from tests.blog.test_admin import post_form_data
from tests.factories import PostFactory
from tests.locks import at_once

pytestmark = pytest.mark.django_db

REFUSAL_END = "Your changes are not saved: copy them, reload, and apply them again."


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(post: Post) -> str:
    return reverse("admin:blog_post_change", args=[post.pk])


def edit(post: Post, *, opened_version: int | str | None, **fields) -> dict:
    """What the post's change form sends: the post as stored, ``fields`` typed over it, and
    the version the form was opened at (None: a form without the field)."""
    stored = {"title": post.title, "slug": post.slug, "excerpt": post.excerpt}
    data = post_form_data(**stored, body=post.body, status=post.status) | fields
    if post.published_at is not None:
        local = timezone.localtime(post.published_at)
        data |= {
            "published_at_0": local.strftime("%Y-%m-%d"),
            "published_at_1": local.strftime("%H:%M:%S"),
        }
    if opened_version is not None:
        data["opened_version"] = str(opened_version)
    return data


# --- The rule, in the services --------------------------------------------------------


def test_every_save_moves_the_version_and_records_who_saved(ana):
    post = post_save(post=PostFactory.build(author=ana, draft=True), by=ana)
    assert (post.edit_version, post.edited_by) == (0, ana)
    post.title = "A better title"
    post_save(post=post, by=ana, edit_version=0)
    post.refresh_from_db()
    assert (post.edit_version, post.edited_by, post.title) == (1, ana, "A better title")


def test_a_save_from_an_older_version_is_refused_naming_who_saved_and_when(ana, ben):
    post = PostFactory(body="<p>Ana's text.</p>")
    post_save(post=Post.objects.get(pk=post.pk), by=ana, edit_version=0)
    stale = Post.objects.get(pk=post.pk)
    stale.body = "<p>Ben's text.</p>"
    with pytest.raises(PostEditConflict) as refused:
        post_save(post=stale, by=ben, edit_version=0)
    saved_at = Post.objects.get(pk=post.pk).updated_at
    assert refused.value.messages == [
        f"Ana Ruiz saved this post at {local_clock(saved_at)}, after you opened it. {REFUSAL_END}"
    ]
    stored = Post.objects.get(pk=post.pk)
    assert (stored.body, stored.edit_version, stored.edited_by) == ("<p>Ana's text.</p>", 1, ana)


def test_the_refusal_says_so_when_it_was_you_in_another_window_or_nobody_known(ana, ben):
    at = timezone.now()
    assert post_edit_conflict_message(saved_by=ana, saved_at=at, viewer=ana) == (
        f"You saved this post at {local_clock(at)} in another window, after you opened this "
        f"one. {REFUSAL_END}"
    )
    assert post_edit_conflict_message(saved_by=None, saved_at=at, viewer=ben) == (
        f"This post was saved at {local_clock(at)}, after you opened it. {REFUSAL_END}"
    )


def test_times_in_messages_carry_the_day_when_it_is_not_today():
    now = timezone.localtime()
    assert local_clock(now) == now.strftime("%H:%M")
    earlier = now - timedelta(days=3)
    assert local_clock(earlier) == f"{earlier.day} {earlier.strftime('%b %H:%M')}"


def test_publishing_and_unpublishing_are_never_refused_but_move_the_version(ana, ben):
    post = PostFactory(draft=True)
    post_publish(post=Post.objects.get(pk=post.pk), by=ana)
    post_unpublish(post=Post.objects.get(pk=post.pk), by=ben)
    stored = Post.objects.get(pk=post.pk)
    assert (stored.status, stored.edit_version, stored.edited_by) == ("draft", 2, ben)
    with pytest.raises(PostEditConflict, match="Ben Okafor saved this post"):
        post_save(post=stored, by=ana, edit_version=0)


# --- Through the admin -------------------------------------------------------------------


def test_the_change_form_carries_the_version_it_was_opened_at(ana):
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(edit_version=7)
    html = signed_in(ana).get(change_url(post)).content.decode()
    assert '<input type="hidden" name="opened_version" value="7"' in html


def test_a_save_over_someone_elses_newer_change_is_refused_and_the_text_kept(ana, ben):
    post = PostFactory(title="Rail strike", body="<p>First draft.</p>")
    ana_client, ben_client = signed_in(ana), signed_in(ben)
    # Both open the post; Ana saves first.
    for client in (ana_client, ben_client):
        assert client.get(change_url(post)).status_code == 200
    saved = ana_client.post(change_url(post), edit(post, opened_version=0, body="<p>Ana.</p>"))
    assert saved.status_code == 302

    response = ben_client.post(
        change_url(post), edit(post, opened_version=0, body="<p>Ben typed this.</p>")
    )
    assert response.status_code == 200
    html = response.content.decode()
    stored = Post.objects.get(pk=post.pk)
    assert (
        f"Ana Ruiz saved this post at {local_clock(stored.updated_at)}, after you opened it. "
        f"{REFUSAL_END}"
    ) in html
    assert "&lt;p&gt;Ben typed this.&lt;/p&gt;</textarea>" in html  # still in the form
    assert (stored.body, stored.edit_version) == ("<p>Ana.</p>", 1)


def test_after_a_save_the_reopened_form_saves_again(ana):
    post = PostFactory()
    client = signed_in(ana)
    for version, word in enumerate(["One", "Two", "Three"]):
        data = edit(post, opened_version=version, title=word, _continue="Save and continue")
        assert client.post(change_url(post), data).status_code == 302
        assert f'name="opened_version" value="{version + 1}"' in (
            client.get(change_url(post)).content.decode()
        )
    assert Post.objects.get(pk=post.pk).title == "Three"


def test_a_list_action_between_opening_and_saving_makes_the_save_refused(ana, ben):
    post = PostFactory(draft=True)
    changelist = reverse("admin:blog_post_changelist")
    action = {"action": "publish_selected", "_selected_action": [post.pk]}
    assert signed_in(ana).post(changelist, action).status_code == 302
    assert Post.objects.get(pk=post.pk).edit_version == 1

    response = signed_in(ben).post(change_url(post), edit(post, opened_version=0, title="Mine"))
    assert response.status_code == 200
    assert "Ana Ruiz saved this post at" in response.content.decode()
    assert Post.objects.get(pk=post.pk).title == post.title


@pytest.mark.parametrize("junk", ["abc", "-1", "1.5", "٣", "9" * 40])
def test_a_version_that_is_not_a_number_is_refused_politely(ana, junk):
    post = PostFactory()
    response = signed_in(ana).post(change_url(post), edit(post, opened_version=junk, title="X"))
    assert response.status_code == 200
    assert "This form does not say which version of the post it was opened at." in (
        response.content.decode()
    )
    assert Post.objects.get(pk=post.pk).title == post.title


def test_a_form_without_the_version_saves_unchecked_like_a_script(ana):
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(edit_version=3)
    response = signed_in(ana).post(change_url(post), edit(post, opened_version=None, title="New"))
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).edit_version == 4


# --- Two saves at the same moment (PostgreSQL: row locks) -------------------------------


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_version_at_once_let_one_through(ana, ben):
    post = PostFactory(body="<p>Start.</p>")

    def save_as(user, body: str) -> Callable[[], Post]:
        def save() -> Post:
            copy = Post.objects.get(pk=post.pk)
            copy.body = body
            return post_save(post=copy, by=user, edit_version=0)

        return save

    outcomes = at_once(
        post, [save_as(ana, "<p>Ana.</p>"), save_as(ben, "<p>Ben.</p>")], PostEditConflict
    )
    refused = [o for o in outcomes if isinstance(o, PostEditConflict)]
    assert len(refused) == 1
    stored = Post.objects.get(pk=post.pk)
    assert stored.edit_version == 1
    winner = next(o for o in outcomes if isinstance(o, Post))
    assert stored.body == winner.body


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_in_the_admin_get_one_save_and_one_message(ana, ben):
    # The form checks the version under the row's lock, held until the admin's transaction
    # ends: the second save waits there, then sees the first's version and answers with
    # the form and its message (not a 500 from the service's own check).
    post = PostFactory(body="<p>Start.</p>")
    clients = {"Ana Ruiz": signed_in(ana), "Ben Okafor": signed_in(ben)}

    def save_as(name: str) -> Callable[[], object]:
        data = edit(post, opened_version=0, body=f"<p>{name} typed this.</p>")
        return lambda: clients[name].post(change_url(post), data)

    with mock.patch("core.receivers.pages_changed"):  # only the post's row lines them up
        responses = at_once(post, [save_as("Ana Ruiz"), save_as("Ben Okafor")], PostEditConflict)
    assert sorted(r.status_code for r in responses) == [200, 302]
    stored = Post.objects.get(pk=post.pk)
    winner = stored.edited_by.public_name
    refusal = next(r for r in responses if r.status_code == 200).content.decode()
    assert f"{winner} saved this post at" in refusal
    assert stored.body == f"<p>{winner} typed this.</p>"
    assert stored.edit_version == 1

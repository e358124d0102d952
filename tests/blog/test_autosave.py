"""Autosave on the post editor: what an editor types is kept in their slot every few
seconds, never in the post; reopening the editor offers it back; editors of the same post
are told about each other; bad requests get a clear 4xx."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.admin.autosave import editors_message
from blog.models import PRESENCE_SECONDS, Post, PostAutosave, PostRevision
from blog.services import (
    AutosaveRefused,
    local_clock,
    post_autosave_discard,
    post_autosave_store,
    post_save,
)
from core.models import PageVersion
from tests.blog.test_admin import post_form_data
from tests.blog.test_edit_locking import change_url, edit, signed_in
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

DRAFT = {"title": "Rail strike called off", "excerpt": "Talks went on all night.", "body": ""}


@pytest.fixture
def post():
    return PostFactory(title="Rail strike", body="<p>Unions meet on Monday.</p>")


def autosave_url(post: Post | None) -> str:
    if post is None:
        return reverse("admin:blog_post_autosave_new")
    return reverse("admin:blog_post_autosave", args=[post.pk])


def discard_url(post: Post | None) -> str:
    if post is None:
        return reverse("admin:blog_post_autosave_discard_new")
    return reverse("admin:blog_post_autosave_discard", args=[post.pk])


def draft(body: str = "<p>Agreement reached at dawn.</p>", **fields) -> dict:
    return DRAFT | {"body": body} | fields


def age(slot: PostAutosave, seconds: int) -> None:
    """Move everything the slot recorded ``seconds`` into the past."""
    past = timezone.now() - timedelta(seconds=seconds)
    PostAutosave.objects.filter(pk=slot.pk).update(
        opened_at=past, seen_at=past, saved_at=past if slot.saved_at else None
    )


# --- The slot, in the services ------------------------------------------------------


def test_an_autosave_keeps_the_draft_in_the_slot_and_never_touches_the_post(ana, post):
    before = Post.objects.values().get(pk=post.pk)
    revisions = PostRevision.objects.count()
    slot = post_autosave_store(
        post=post, user=ana, draft=draft(body='<p onclick="x()">Deal<script>1</script></p>')
    )
    assert Post.objects.values().get(pk=post.pk) == before  # the published version, as saved
    assert PostRevision.objects.count() == revisions  # revisions are made by real saves only
    slot.refresh_from_db()
    assert (slot.title, slot.excerpt) == (DRAFT["title"], DRAFT["excerpt"])
    assert slot.body == "<p>Deal</p>"  # sanitised like a post's body
    assert slot.saved_at is not None


def test_autosaves_leave_the_shared_pages_version_alone(ana, post):
    before = PageVersion.objects.values_list("number", flat=True).first()
    post_autosave_store(post=post, user=ana, draft=draft())
    post_autosave_store(post=None, user=ana, draft=draft())
    post_autosave_discard(post=None, user=ana)
    assert PageVersion.objects.values_list("number", flat=True).first() == before


def test_one_slot_per_editor_and_post_and_one_for_the_new_post_they_write(ana, ben, post):
    for user in (ana, ben):
        post_autosave_store(post=post, user=user, draft=draft())
        post_autosave_store(post=None, user=user, draft=draft(title="Untitled"))
    age(PostAutosave.objects.get(post=post, user=ana), 5)
    post_autosave_store(post=post, user=ana, draft=draft(title="Second"))
    post_autosave_store(post=None, user=ana, draft=None)
    assert PostAutosave.objects.count() == 4
    assert PostAutosave.objects.get(post=post, user=ana).title == "Second"


def test_a_heartbeat_records_presence_only(ana, post):
    slot = post_autosave_store(post=post, user=ana, draft=None)
    assert (slot.saved_at, slot.title, slot.body) == (None, "", "")
    assert slot.opened_at == slot.seen_at


def test_an_editor_back_after_a_while_is_editing_since_their_return(ana, post):
    slot = post_autosave_store(post=post, user=ana)
    age(slot, PRESENCE_SECONDS - 10)
    kept = post_autosave_store(post=post, user=ana).opened_at
    assert kept == PostAutosave.objects.get(pk=slot.pk).opened_at < timezone.now()
    age(slot, PRESENCE_SECONDS + 1)
    back = post_autosave_store(post=post, user=ana)
    assert back.opened_at == back.seen_at


def test_an_autosave_right_after_another_is_refused_and_the_first_kept(ana, post):
    post_autosave_store(post=post, user=ana, draft=draft(title="First"))
    with pytest.raises(AutosaveRefused, match="your next change will be kept"):
        post_autosave_store(post=post, user=ana, draft=draft(title="Second"))
    assert PostAutosave.objects.get().title == "First"
    post_autosave_store(post=post, user=ana)  # a heartbeat is never too soon


def test_discarding_empties_the_slot_and_removes_a_new_posts(ana, post):
    post_autosave_store(post=post, user=ana, draft=draft())
    post_autosave_store(post=None, user=ana, draft=draft())
    post_autosave_discard(post=post, user=ana)
    post_autosave_discard(post=None, user=ana)
    slot = PostAutosave.objects.get()
    assert (slot.post, slot.saved_at, slot.title, slot.body) == (post, None, "", "")


def test_the_offer_is_made_only_for_a_draft_that_differs_from_the_post(ana, post):
    slot = PostAutosave(post=post, user=ana, title=post.title, excerpt=post.excerpt)
    slot.body, slot.saved_at = post.body, timezone.now()
    assert not slot.offers_restore(post)  # the same as the post
    slot.body = "<p>More.</p>"
    assert slot.offers_restore(post)
    slot.saved_at = None
    assert not slot.offers_restore(post)  # nothing kept
    empty = PostAutosave(user=ana, saved_at=timezone.now())
    assert not empty.offers_restore(None)  # an empty new post
    empty.title = "Started"
    assert empty.offers_restore(None)


def test_the_editors_message_names_each_other_editor_and_since_when(ana, ben, post):
    slots = [post_autosave_store(post=post, user=user) for user in (ana, ben)]
    since = local_clock(slots[0].opened_at)
    assert editors_message([]) == ""
    assert editors_message(slots[:1]) == f"Ana Ruiz is also editing this post (since {since})."
    assert editors_message(slots) == (
        f"Ana Ruiz (since {since}) and Ben Okafor (since {local_clock(slots[1].opened_at)}) "
        "are also editing this post."
    )


# --- The endpoint ---------------------------------------------------------------------


def test_the_endpoint_keeps_the_draft_and_answers_the_status_line(ana, post):
    response = signed_in(ana).post(autosave_url(post), draft() | {"opened_version": "0"})
    assert response.status_code == 200
    slot = PostAutosave.objects.get(post=post, user=ana)
    assert response.json() == {
        "status": f"Draft saved at {local_clock(slot.saved_at)}",
        "editors": "",
        "warning": "",
    }
    assert slot.body == "<p>Agreement reached at dawn.</p>"
    assert Post.objects.get(pk=post.pk).body == "<p>Unions meet on Monday.</p>"


def test_a_new_posts_draft_goes_to_the_editors_new_post_slot(ana):
    response = signed_in(ana).post(autosave_url(None), draft())
    assert response.status_code == 200
    assert response.json()["status"].startswith("Draft saved at ")
    assert PostAutosave.objects.get(user=ana).post is None
    assert not Post.objects.exists()


def test_each_answer_names_the_other_editors_present(ana, ben, post):
    ana_client, ben_client = signed_in(ana), signed_in(ben)
    assert ana_client.post(autosave_url(post)).json()["editors"] == ""
    answer = ben_client.post(autosave_url(post)).json()
    since = local_clock(PostAutosave.objects.get(user=ana).opened_at)
    assert answer == {
        "status": "",
        "editors": f"Ana Ruiz is also editing this post (since {since}).",
        "warning": "",
    }
    # Ana hears about Ben at her next ping; once Ben is gone for a while, no more.
    since = local_clock(PostAutosave.objects.get(user=ben).opened_at)
    assert ana_client.post(autosave_url(post)).json()["editors"] == (
        f"Ben Okafor is also editing this post (since {since})."
    )
    age(PostAutosave.objects.get(user=ben), PRESENCE_SECONDS + 1)
    assert ana_client.post(autosave_url(post)).json()["editors"] == ""


def test_an_answer_warns_when_the_post_was_saved_since_the_page_opened_it(ana, ben, post):
    post_save(post=Post.objects.get(pk=post.pk), by=ben, edit_version=0)
    saved_at = local_clock(Post.objects.get(pk=post.pk).updated_at)
    answer = signed_in(ana).post(autosave_url(post), {"opened_version": "0"}).json()
    assert answer["warning"] == (
        f"Ben Okafor saved this post at {saved_at}, after you opened it. Saving this form "
        "would be refused: copy your changes, reload, and apply them again."
    )
    current = signed_in(ana).post(autosave_url(post), {"opened_version": "1"}).json()
    assert current["warning"] == ""


def test_discard_empties_the_slot(ana, post):
    client = signed_in(ana)
    client.post(autosave_url(post), draft())
    response = client.post(discard_url(post))
    assert response.json() == {"status": "The autosaved version was discarded."}
    assert PostAutosave.objects.get().saved_at is None
    client.post(autosave_url(None), draft())
    assert client.post(discard_url(None)).status_code == 200
    assert not PostAutosave.objects.filter(post=None).exists()


@pytest.mark.parametrize("url", [autosave_url, discard_url])
def test_a_get_is_refused_with_405(ana, post, url):
    response = signed_in(ana).get(url(post))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {"error": "Autosaves are sent with POST."}
    assert not PostAutosave.objects.exists()


@pytest.mark.parametrize("url", [autosave_url, discard_url])
def test_a_post_that_does_not_exist_is_a_404(ana, url):
    response = signed_in(ana).post(url(PostFactory.build(pk=987654)), draft())
    assert response.status_code == 404
    assert response.json() == {"error": "There is no post with this number."}
    assert not PostAutosave.objects.exists()


@pytest.mark.parametrize("url", [autosave_url, discard_url])
def test_staff_who_may_not_edit_posts_are_refused_with_403(post, url):
    moderator = UserFactory(moderator=True)  # may view posts, not change them
    for target in (post, None):
        response = signed_in(moderator).post(url(target), draft())
        assert response.status_code == 403
        assert response.json() == {"error": "You may not edit this post."}
    assert not PostAutosave.objects.exists()


def test_visitors_who_are_not_signed_in_are_sent_to_the_login_page(client, post):
    response = client.post(autosave_url(post), draft())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not PostAutosave.objects.exists()


def test_a_request_without_the_csrf_token_is_refused(ana, post):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    assert client.post(autosave_url(post), draft()).status_code == 403
    assert not PostAutosave.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "x" * 201}, "Title: Ensure this value has at most 200 characters (it has 201)."),
        ({"excerpt": "x" * 501}, "Excerpt: Ensure this value has at most 500 characters"),
        ({"body": "<p>a\x00b</p>"}, "Body: Null characters are not allowed."),
    ],
)
def test_a_draft_the_post_could_not_hold_is_refused_with_400(ana, post, fields, message):
    response = signed_in(ana).post(autosave_url(post), draft(**fields))
    assert response.status_code == 400
    assert response.json()["error"].startswith("Draft not saved. ")
    assert message in response.json()["error"]
    assert not PostAutosave.objects.exists()


def test_a_draft_over_the_sites_form_size_limit_is_refused_with_400(ana, post):
    body = "<p>" + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + "</p>"
    response = signed_in(ana).post(autosave_url(post), draft(body=body))
    assert response.status_code == 400
    assert not PostAutosave.objects.exists()


def test_autosaves_sent_too_fast_get_429_and_the_first_is_kept(ana, post):
    client = signed_in(ana)
    assert client.post(autosave_url(post), draft(title="First")).status_code == 200
    response = client.post(autosave_url(post), draft(title="Second"))
    assert response.status_code == 429
    assert response.json() == {"error": "Autosaves came too fast; your next change will be kept."}
    assert PostAutosave.objects.get().title == "First"


# --- The editor's page ----------------------------------------------------------------


def test_reopening_the_editor_offers_the_autosaved_version(ana, post):
    client = signed_in(ana)
    client.post(autosave_url(post), draft())
    slot = PostAutosave.objects.get()
    html = client.get(change_url(post)).content.decode()
    assert f"Restore the autosaved version from {local_clock(slot.saved_at)}?" in html
    assert "The post was saved after it" not in html
    offered = html.split('id="post-autosave-draft" type="application/json">')[1]
    assert json.loads(offered.split("</script>")[0]) == draft()
    assert 'src="/static/js/post_autosave.js"' in html


def test_the_offer_says_when_the_post_was_saved_after_the_autosave(ana, ben, post):
    signed_in(ana).post(autosave_url(post), draft())
    slot = PostAutosave.objects.get()
    PostAutosave.objects.filter(pk=slot.pk).update(saved_at=timezone.now() - timedelta(hours=1))
    post_save(post=Post.objects.get(pk=post.pk), by=ben)
    html = signed_in(ana).get(change_url(post)).content.decode()
    saved = local_clock(Post.objects.get(pk=post.pk).updated_at)
    assert f"The post was saved after it, at {saved}." in html


def test_no_offer_of_someone_elses_autosave_nor_of_one_equal_to_the_post(ana, ben, post):
    signed_in(ben).post(autosave_url(post), draft())
    signed_in(ana).post(
        autosave_url(post), {"title": post.title, "excerpt": post.excerpt, "body": post.body}
    )
    assert (
        "Restore the autosaved version" not in signed_in(ana).get(change_url(post)).content.decode()
    )


def test_saving_the_post_empties_the_editors_slot(ana, ben, post):
    signed_in(ben).post(autosave_url(post), draft())
    client = signed_in(ana)
    client.post(autosave_url(post), draft())
    assert (
        client.post(change_url(post), edit(post, opened_version=0, title="Saved")).status_code
        == 302
    )
    mine, bens = PostAutosave.objects.get(user=ana), PostAutosave.objects.get(user=ben)
    assert (mine.saved_at, mine.title) == (None, "")  # still there, as presence
    assert bens.saved_at is not None  # another editor's slot is theirs
    assert "Restore the autosaved version" not in client.get(change_url(post)).content.decode()


def test_a_new_post_writer_is_offered_their_draft_and_saving_it_removes_the_slot(ana):
    client = signed_in(ana)
    client.post(autosave_url(None), draft())
    add_url = reverse("admin:blog_post_add")
    assert "Restore the autosaved version from" in client.get(add_url).content.decode()
    assert client.post(add_url, post_form_data()).status_code == 302
    assert not PostAutosave.objects.exists()
    assert "Restore the autosaved version" not in client.get(add_url).content.decode()


def test_the_editor_opening_a_post_someone_has_open_is_warned(ana, ben, post):
    signed_in(ana).post(autosave_url(post))
    since = local_clock(PostAutosave.objects.get().opened_at)
    html = signed_in(ben).get(change_url(post)).content.decode()
    assert f"Ana Ruiz is also editing this post (since {since})." in html
    age(PostAutosave.objects.get(), PRESENCE_SECONDS + 1)
    assert "is also editing" not in signed_in(ben).get(change_url(post)).content.decode()


def test_staff_who_may_only_view_posts_get_no_autosave(post):
    moderator = UserFactory(moderator=True)
    html = signed_in(moderator).get(change_url(post)).content.decode()
    assert 'id="post-autosave"' not in html


# --- Queries ------------------------------------------------------------------------


def _others_editing(post: Post, count: int) -> None:
    for _number in range(count):
        post_autosave_store(post=post, user=UserFactory(editor=True), draft=draft())


@pytest.mark.parametrize("others", [1, 6])
def test_the_change_page_runs_the_same_queries_whoever_has_the_post_open(
    ana, post, others, django_assert_num_queries
):
    _others_editing(post, others)
    post_autosave_store(post=post, user=ana, draft=draft())
    client = signed_in(ana)
    # What the page runs without autosave (12: session, user, permissions, the post, its
    # categories, tags, notes, co-authors, discussion schedule, preview links...) and one
    # more: the editor's slot with the others who have the post open; and one for the review
    # log (blog.admin.review), 13 -> 14 when review before publishing met autosave on main.
    with django_assert_num_queries(14):
        assert "Restore the autosaved version" in client.get(change_url(post)).content.decode()


@pytest.mark.parametrize("others", [1, 6])
def test_an_autosave_runs_the_same_queries_whoever_has_the_post_open(
    ana, post, others, django_assert_num_queries
):
    _others_editing(post, others)
    post_autosave_store(post=post, user=ana)
    client = signed_in(ana)
    # Session, user, the user's two permission queries; the post with who saved it last;
    # the slot under lock, in a savepoint (get_or_create), and its save; the others
    # present with their users.
    with django_assert_num_queries(10):
        response = client.post(autosave_url(post), draft())
    assert response.json()["editors"].count("(since") == others

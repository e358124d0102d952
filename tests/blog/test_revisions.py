"""Post revisions: recorded at every save (admin, publish actions, restore, WordPress
import), compared field by field with a text diff of the body, restored as a new revision,
and pruned by the rule in docs/decisions.md."""

import contextlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from blog import services
from blog.models import Post, PostRevision
from blog.revisions import (
    KEEP_ALL_DAYS,
    RevisionStamp,
    body_text,
    revisions_to_prune,
    text_diff,
    word_diff,
)
from blog.services import (
    post_publish,
    post_revision_record,
    post_revision_restore,
    post_revisions_prune,
    post_save,
    post_unpublish,
)
from tests.blog.test_admin import post_form_data
from tests.factories import CategoryFactory, ImageFactory, PostFactory, TagFactory, UserFactory
from tests.wordpress.wxr_files import author, item, write, wxr
from wordpress.importer import import_wordpress

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def editor():
    return UserFactory(editor=True, username="jane", display_name="Jane Doe")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def marked(html: str, tag: str) -> list[str]:
    """The text of each <ins> or <del> in ``html``, its hidden words for screen readers
    included, spaces folded."""
    found = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", f)).strip() for f in found]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def edit(post: Post, by=None, **changes) -> PostRevision | None:
    """Change ``post`` as a service caller would and record the revision."""
    for name, value in changes.items():
        setattr(post, name, value)
    post_save(post=post)
    return post_revision_record(post=post, by=by)


def history_url(post: Post) -> str:
    return reverse("admin:blog_post_history", args=[post.pk])


def compare_url(post: Post, **query) -> str:
    url = reverse("admin:blog_post_revision_compare", args=[post.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def restore_url(post: Post, number: int) -> str:
    return reverse("admin:blog_post_revision_restore", args=[post.pk, number])


# --- Recording ---------------------------------------------------------------------


def test_a_revision_records_the_posts_content_who_and_when(clock, editor):
    tag = TagFactory(name="Rivers")
    category = CategoryFactory(name="Environment")
    image = ImageFactory(alt_text="The weir at dawn")
    post = PostFactory(title="The weir", featured_image=image, categories=[category], tags=[tag])

    revision = post_revision_record(post=post, by=editor)

    assert revision.number == 1
    assert (revision.title, revision.excerpt, revision.body) == (
        post.title,
        post.excerpt,
        post.body,
    )
    assert revision.featured_image == image
    assert revision.categories == [{"id": category.pk, "name": "Environment"}]
    assert revision.tags == [{"id": tag.pk, "name": "Rivers"}]
    assert revision.status == Post.Status.PUBLISHED
    assert revision.published_at == post.published_at
    assert revision.created_by == editor
    assert revision.created_at == NOW
    assert revision.changed == [
        "title",
        "excerpt",
        "body",
        "featured_image",
        "categories",
        "tags",
        "status",
        "published_at",
    ]


def test_a_save_that_changes_nothing_recorded_keeps_no_new_revision(editor):
    post = PostFactory()
    post_revision_record(post=post, by=editor)

    assert edit(post, is_sticky=True) is None  # not a recorded field
    assert post.revisions.count() == 1


def test_each_change_is_numbered_and_says_what_it_changed(editor):
    post = PostFactory(title="Before")
    post_revision_record(post=post, by=editor)

    second = edit(post, by=editor, title="After")
    post.tags.add(TagFactory())
    third = post_revision_record(post=post, by=editor)

    assert (second.number, second.changed) == (2, ["title"])
    assert (third.number, third.changed) == (3, ["tags"])


def test_renaming_a_tag_is_not_a_change_of_the_post(editor):
    tag = TagFactory(name="Buses")
    post = PostFactory(tags=[tag])
    post_revision_record(post=post, by=editor)
    tag.name = "Public transport"
    tag.save()

    assert post_revision_record(post=post, by=editor) is None


def test_publishing_and_unpublishing_each_keep_a_revision(editor):
    post = PostFactory(draft=True)
    post_revision_record(post=post, by=editor)

    post_publish(post=post, by=editor)
    post_unpublish(post=post, by=editor)

    statuses = list(post.revisions.order_by("number").values_list("status", "changed"))
    assert statuses == [
        ("draft", ["title", "excerpt", "body", "status"]),
        ("published", ["status", "published_at"]),
        ("draft", ["status"]),
    ]


def test_a_deleted_picture_or_tag_leaves_old_revisions_readable(editor):
    image = ImageFactory()
    tag = TagFactory(name="Heat pumps")
    post = PostFactory(featured_image=image, tags=[tag])
    revision = post_revision_record(post=post, by=editor)

    tag_pk = tag.pk
    image.delete()
    tag.delete()
    revision.refresh_from_db()

    assert revision.featured_image is None
    assert revision.tags == [{"id": tag_pk, "name": "Heat pumps"}]


# --- Pruning ----------------------------------------------------------------------


def stamp(pk: int, days_ago: int, hour: int, status: str = "draft") -> RevisionStamp:
    """Revision ``pk`` saved at ``hour`` o'clock ``days_ago`` days before ``NOW``."""
    moment = (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=0)
    return RevisionStamp(pk=pk, number=pk, created_at=moment, status=status)


def test_the_rule_keeps_the_last_30_days_and_the_last_of_each_day_before(clock):
    revisions = [
        stamp(1, 45, 8),
        stamp(2, 45, 17),  # the last of its day: kept
        stamp(3, 40, 8),
        stamp(4, 40, 12),
        stamp(5, 40, 18),  # the last of its day: kept
        stamp(6, KEEP_ALL_DAYS - 1, 8),  # within the 30 days: kept
        stamp(7, 2, 8),
        stamp(8, 2, 9),  # the same day as 7, recent: both kept
    ]

    assert revisions_to_prune(revisions, now=NOW) == {1, 3, 4}


def test_the_rule_never_prunes_the_newest_nor_the_last_published_revision(clock):
    revisions = [
        stamp(1, 50, 8),
        stamp(2, 50, 9, status="published"),  # the last published one, not last of its day
        stamp(3, 50, 10),
        stamp(4, 50, 11),  # the newest revision, a draft again, and the last of its day
    ]

    assert revisions_to_prune(revisions, now=NOW) == {1, 3}


def test_pruning_again_prunes_nothing_more(clock):
    revisions = [stamp(n, 60 - n // 3, n % 3 + 8) for n in range(1, 10)]
    pruned = revisions_to_prune(revisions, now=NOW)
    left = [r for r in revisions if r.pk not in pruned]

    assert pruned
    assert revisions_to_prune(left, now=NOW) == set()


def test_saving_a_post_prunes_its_old_revisions(clock, editor):
    post = PostFactory(title="Version 0")
    for n in range(1, 5):  # four revisions on one day 40 days ago
        clock.move_to(NOW - timedelta(days=40, hours=5 - n), tick=False)
        edit(post, by=editor, title=f"Version {n}")
    clock.move_to(NOW, tick=False)

    edit(post, by=editor, title="Today")

    assert list(post.revisions.order_by("number").values_list("title", flat=True)) == [
        "Version 4",
        "Today",
    ]


def test_the_published_revision_survives_pruning_while_the_post_is_a_draft_again(clock, editor):
    post = PostFactory(draft=True, title="Draft")
    clock.move_to(NOW - timedelta(days=40, hours=3), tick=False)
    post_revision_record(post=post, by=editor)
    clock.move_to(NOW - timedelta(days=40, hours=2), tick=False)
    post_publish(post=post, by=editor)
    clock.move_to(NOW - timedelta(days=40, hours=1), tick=False)
    post_unpublish(post=post, by=editor)
    edit(post, by=editor, title="Draft again")
    clock.move_to(NOW, tick=False)

    post_revisions_prune(post=post)

    kept = list(post.revisions.order_by("number").values_list("number", "status"))
    assert kept == [(2, "published"), (4, "draft")]


def test_the_prune_revisions_command_prunes_every_post_and_is_idempotent(clock, editor):
    posts = [PostFactory(), PostFactory()]
    for post in posts:
        for n in range(3):
            clock.move_to(NOW - timedelta(days=35, hours=3 - n), tick=False)
            edit(post, by=editor, title=f"{post.slug} {n}")
    clock.move_to(NOW, tick=False)
    recent = PostFactory()
    edit(recent, by=editor, title="Recent")
    edit(recent, by=editor, title="Recent, edited")

    first, second = StringIO(), StringIO()
    call_command("prune_revisions", stdout=first)
    call_command("prune_revisions", stdout=second)

    assert first.getvalue().strip() == "Pruned 4 old revisions of 2 posts."
    assert second.getvalue().strip() == "Pruned 0 old revisions of 0 posts."
    assert [p.revisions.count() for p in posts] == [1, 1]
    assert recent.revisions.count() == 2


# --- Comparing ------------------------------------------------------------------


def test_the_body_is_compared_as_the_text_readers_see():
    html = (
        '<h2>Fares</h2><p>Fares rise <a href="https://example.org/fares">in May</a>.</p>'
        '<ul><li>Adults</li><li>Children</li></ul><figure><img src="/m/a.jpg" alt="A bus">'
        "<figcaption>The 42</figcaption></figure>"
    )

    assert body_text(html) == [
        "## Fares",
        "Fares rise in May (https://example.org/fares).",
        "• Adults",
        "• Children",
        "[Picture: A bus]",
        "The 42",
    ]


def test_a_changed_paragraph_is_compared_word_by_word():
    segments = word_diff("The council met on Monday.", "The council met on Tuesday evening.")

    assert [(s.kind, s.text) for s in segments] == [
        ("same", "The council met on "),
        ("deleted", "Monday"),
        ("inserted", "Tuesday evening"),
        ("same", "."),
    ]


def test_unchanged_paragraphs_far_from_a_change_are_folded():
    old = [f"Paragraph {n}." for n in range(10)]
    new = [*old[:5], "Paragraph five, rewritten.", *old[6:]]

    rows = text_diff(old, new)

    assert [r.skipped for r in rows] == [4, 0, 0, 0, 3]
    assert [s.kind for s in rows[2].segments] == ["same", "deleted", "inserted", "same"]


# --- The admin: recording through the change form and the actions ---------------------


def test_saving_in_the_admin_records_a_revision_with_its_categories_and_tags(editor_client):
    category, tag = CategoryFactory(name="Transport"), TagFactory(name="Buses")
    post = PostFactory(draft=True, title="Bus fares", slug="bus-fares")
    form = post_form_data(
        title="Bus fares rise",
        slug="bus-fares",
        categories=[category.pk],
        tags=[tag.pk],
        body="<p>Fares rise in May.</p>",
    )

    response = editor_client.post(reverse("admin:blog_post_change", args=[post.pk]), form)

    assert response.status_code == 302
    revision = post.revisions.get()
    assert revision.title == "Bus fares rise"
    assert revision.categories == [{"id": category.pk, "name": "Transport"}]
    assert revision.tags == [{"id": tag.pk, "name": "Buses"}]
    assert revision.created_by.username == "jane"


def test_the_publish_action_records_who_published(client):
    publisher = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(publisher)
    post = PostFactory(draft=True)

    client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish_selected", "_selected_action": [post.pk]},
    )

    revision = post.revisions.get()
    assert (revision.status, revision.created_by) == ("published", publisher)


# --- The admin: history, comparison and restore ---------------------------------------


@pytest.fixture
def revised(editor):
    """A published post saved three times: its title, then its body changed."""
    post = PostFactory(title="Library hours", body="<p>The library opens on Sundays.</p>")
    post_revision_record(post=post, by=editor)
    edit(post, by=editor, title="Library opening hours")
    edit(post, by=editor, body="<p>The library opens on Sundays and holidays.</p>")
    return post


def test_the_history_lists_each_revision_with_who_when_and_what_changed(editor_client, revised):
    response = editor_client.get(history_url(revised))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.number, summary) for r, summary in rows] == [
        (3, "body"),
        (2, "title"),
        (1, "title, excerpt, body, status, publication time"),
    ]
    assert "Jane Doe" in response.text
    assert "Every revision of the last 30 days is kept" in response.text
    assert f'href="{restore_url(revised, 2)}"' in response.text
    assert f'href="{restore_url(revised, 3)}"' not in response.text  # the post holds it


def test_the_change_forms_history_button_opens_the_revisions(editor_client, revised):
    response = editor_client.get(reverse("admin:blog_post_change", args=[revised.pk]))

    assert f'href="{history_url(revised)}"' in response.text


def make_revisions(post: Post, count: int, by) -> None:
    rows = [
        PostRevision(
            post=post,
            number=n,
            title=f"Title {n}",
            status="draft",
            changed=["title"],
            created_by=by,
        )
        for n in range(1, count + 1)
    ]
    PostRevision.objects.bulk_create(rows)


# Each history page, its exact queries, and why: every page runs the session, the user and
# the user's permissions (own and group's: two), and the post; then
PAGE_QUERIES = {
    # the count of revisions and one page of them with their authors
    "history": (history_url, 7),
    # the two revisions with their pictures and authors, in one query
    "comparison": (lambda post: compare_url(post, **{"from": 1, "to": 3}), 6),
    # the revision, and the newest revision's number for the comparison link
    "restore": (lambda post: restore_url(post, 2), 7),
}


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize("page", PAGE_QUERIES)
def test_each_history_page_runs_the_same_queries_whatever_the_number_of_revisions(
    editor_client, editor, django_assert_num_queries, page, count
):
    post = PostFactory()
    make_revisions(post, count, editor)
    url, queries = PAGE_QUERIES[page]

    with django_assert_num_queries(queries):
        response = editor_client.get(url(post))

    assert response.status_code == 200
    if page == "history":
        assert len(response.context["rows"]) == min(count, 50)


def test_a_long_history_is_paged(editor_client, editor):
    post = PostFactory()
    make_revisions(post, 60, editor)

    response = editor_client.get(history_url(post) + "?page=2")

    assert [r.number for r, _ in response.context["rows"]] == list(range(10, 0, -1))
    assert "60 revisions" in response.text


def test_the_comparison_shows_inserted_and_deleted_words_not_html(editor_client, revised):
    response = editor_client.get(compare_url(revised, **{"from": 1, "to": 3}))

    assert response.status_code == 200
    text = response.text
    assert marked(text, "ins") == ["[added: opening ]", "[added: and holidays ]"]
    assert marked(text, "del") == []
    # Written with nothing between the words and the marks: no stray space before the stop.
    assert (
        'Sundays<ins><span class="visually-hidden">[added:</span> and holidays'
        '<span class="visually-hidden">]</span></ins>.</p>'
    ) in text
    assert "&lt;p&gt;" not in text
    assert [c.name for c in response.context["changes"]] == ["title", "body"]


def test_the_changes_of_one_revision_are_compared_with_the_one_kept_before(editor_client, revised):
    response = editor_client.get(compare_url(revised, to=2))

    assert (response.context["older"].number, response.context["newer"].number) == (1, 2)
    assert [c.name for c in response.context["changes"]] == ["title"]


def test_the_first_revision_is_shown_against_nothing(editor_client, revised):
    response = editor_client.get(compare_url(revised, to=1))

    assert response.status_code == 200
    assert response.context["older"] is None
    assert "Revision 1, the first kept" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Please choose two revisions to compare."),
        ({"to": "abc"}, "Please choose two revisions to compare."),
        ({"from": "x", "to": "2"}, "Please choose two revisions to compare."),
        ({"from": "2", "to": "2"}, "Please choose two different revisions to compare."),
        ({"from": "1", "to": "99"}, "Revision 99 is not kept (any more). Please choose another."),
        ({"to": "99"}, "Revision 99 is not kept (any more). Please choose another."),
    ],
)
def test_a_bad_comparison_is_sent_back_to_the_history_with_a_message(
    editor_client, revised, query, message
):
    response = editor_client.get(compare_url(revised, **query))

    assert response.status_code == 302
    assert response.url == history_url(revised)
    assert messages_of(response) == [message]


def test_the_restore_page_asks_first_and_says_the_status_stays(editor_client, revised):
    response = editor_client.get(restore_url(revised, 1))

    assert response.status_code == 200
    assert "Yes, restore revision 1" in response.text
    assert "The post’s status (Published) and its publication times stay as they are" in (
        response.text
    )
    compare = compare_url(revised, **{"from": 1, "to": 3}).replace("&", "&amp;")
    assert f'href="{compare}"' in response.text
    revised.refresh_from_db()
    assert revised.title == "Library opening hours"


def test_restoring_copies_the_content_back_as_a_new_revision(editor_client, revised):
    response = editor_client.post(restore_url(revised, 1))

    assert response.status_code == 302
    assert response.url == history_url(revised)
    assert messages_of(response) == [
        "Revision 1 was restored as revision 4. The post’s status and publication time "
        "were not changed."
    ]
    revised.refresh_from_db()
    assert (revised.title, revised.body) == (
        "Library hours",
        "<p>The library opens on Sundays.</p>",
    )
    newest = revised.revisions.first()
    assert (newest.number, newest.note, newest.created_by.username) == (
        4,
        "Restored from revision 1",
        "jane",
    )
    assert revised.revisions.count() == 4


@pytest.mark.parametrize("status", ["draft", "published"])
def test_restoring_never_publishes_nor_unpublishes(editor, status):
    post = PostFactory(draft=True, title="First")
    post_revision_record(post=post, by=editor)
    post_publish(post=post, by=editor)
    if status == "draft":
        post_unpublish(post=post, by=editor)
    published_at = Post.objects.get(pk=post.pk).published_at

    post_revision_restore(revision=post.revisions.get(number=1), by=editor)

    post.refresh_from_db()
    assert (post.status, post.published_at) == (status, published_at)


def test_restoring_skips_categories_and_tags_deleted_since(editor_client, editor):
    gone, stays = TagFactory(name="Gone"), TagFactory(name="Stays")
    post = PostFactory(tags=[gone, stays], title="With tags")
    post_revision_record(post=post, by=editor)
    post.tags.set([])
    edit(post, by=editor, title="Without tags")
    gone.delete()

    response = editor_client.post(restore_url(post, 1))

    assert messages_of(response)[1] == (
        "These categories and tags no longer exist and were left out: Gone."
    )
    assert list(post.tags.all()) == [stays]
    assert post.revisions.first().tags == [{"id": stays.pk, "name": "Stays"}]


def test_restoring_what_the_post_already_holds_changes_nothing(editor_client, revised):
    edit(revised, title="Library hours", body="<p>The library opens on Sundays.</p>")
    count = revised.revisions.count()

    response = editor_client.post(restore_url(revised, 1))

    assert messages_of(response) == [
        "The post already holds what revision 1 recorded; nothing changed."
    ]
    assert revised.revisions.count() == count


def test_restoring_a_revision_that_is_not_kept_says_so(editor_client, revised):
    response = editor_client.post(restore_url(revised, 42))

    assert response.status_code == 302
    assert messages_of(response) == ["Revision 42 is not kept (any more). Please choose another."]
    assert revised.revisions.count() == 3


def test_a_moderator_sees_the_history_but_cannot_restore(client, revised):
    client.force_login(UserFactory(moderator=True))

    assert client.get(history_url(revised)).status_code == 200
    assert "Restore…" not in client.get(history_url(revised)).text
    assert client.get(restore_url(revised, 1)).status_code == 403
    assert client.post(restore_url(revised, 1)).status_code == 403
    revised.refresh_from_db()
    assert revised.title == "Library opening hours"


def test_the_history_of_a_post_that_does_not_exist_is_a_404(editor_client):
    assert editor_client.get("/admin/blog/post/999999/history/").status_code == 404
    assert editor_client.get("/admin/blog/post/abc/history/").status_code == 404


# --- The WordPress import and the demo ------------------------------------------------


def test_an_import_keeps_one_revision_per_post_it_creates_or_changes(tmp_path):
    first = write(tmp_path, wxr(author(1, "alice"), item(10), item(11)))
    import_wordpress(first)
    import_wordpress(first)  # nothing changed: nothing saved, no revision

    changed = tmp_path / "changed"
    changed.mkdir()
    import_wordpress(
        write(changed, wxr(author(1, "alice"), item(10, content="<p>Rewritten.</p>"), item(11)))
    )

    revisions = PostRevision.objects.order_by("post__title", "number")
    assert [(r.post.title, r.number, r.note) for r in revisions] == [
        ("Post 10", 1, "Imported from WordPress"),
        ("Post 10", 2, "Imported from WordPress"),
        ("Post 11", 1, "Imported from WordPress"),
    ]
    assert revisions[1].changed == ["body"]


def test_the_demo_gives_an_article_a_history_to_compare(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())

    post = Post.objects.get(slug="how-we-correct-mistakes")
    numbers = list(post.revisions.order_by("number").values_list("number", "title", "status"))
    assert numbers == [
        (1, "How we correct mistakes", "draft"),
        (2, "How we correct our mistakes", "draft"),
        (3, "How we correct our mistakes", "published"),
    ]
    assert post.revisions.get(number=2).changed == ["title", "body"]


# --- Two saves at once --------------------------------------------------------------------


def save_and_record_at_once(post_id: int, *, write_the_post_first: bool) -> list:
    """Two connections each save the post with its own title and record a revision; each,
    having read the newest revision, waits up to a second for the other before it writes."""
    meeting, real_changed_fields = threading.Barrier(2, timeout=1), services.changed_fields

    def changed_fields_when_both_are_here(*args):
        with contextlib.suppress(threading.BrokenBarrierError):  # the other is not coming
            meeting.wait()
        return real_changed_fields(*args)

    def save(title: str) -> object:
        try:
            with transaction.atomic():
                post = Post.objects.get(pk=post_id)
                post.title = title
                if write_the_post_first:
                    post_save(post=post)
                return post_revision_record(post=post).number
        except IntegrityError as error:
            return error
        finally:
            connection.close()

    with (
        mock.patch.object(services, "changed_fields", changed_fields_when_both_are_here),
        mock.patch("core.receivers.pages_changed"),
        ThreadPoolExecutor(max_workers=2) as pool,
    ):
        return list(pool.map(save, ["One", "Two"]))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_a_post_at_once_take_the_next_two_numbers():
    # The save writes the post's row first, so the second waits for the first to commit
    # before it reads the newest revision (the shared pages' version, which would line them
    # up as well, is left out).
    post = PostFactory()

    numbers = save_and_record_at_once(post.pk, write_the_post_first=True)

    assert sorted(numbers) == [1, 2]
    assert post.revisions.count() == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_without_the_posts_row_written_first_two_records_would_clash():
    # What the row's lock prevents: both read "no revision yet", both write number 1, and
    # the unique (post, number) constraint refuses the second.
    post = PostFactory()

    outcomes = save_and_record_at_once(post.pk, write_the_post_first=False)

    assert sorted(map(type, outcomes), key=str) == [IntegrityError, int]
    assert post.revisions.count() == 1


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/admin/blog/post/{pk}/history/99999999999999999999999/restore/", 302),
        ("/admin/blog/post/{pk}/history/2147483648/restore/", 302),
        ("/admin/blog/post/99999999999999999999999/history/1/restore/", 404),
        ("/admin/blog/post/99999999999999999999999/history/compare/?to=1", 404),
        ("/admin/blog/post/{pk}/history/compare/?to=99999999999999999999999", 302),
        ("/admin/blog/post/{pk}/history/?page=abc", 200),
        ("/admin/blog/post/{pk}/history/?page=99999999999999999999", 200),
    ],
)
def test_odd_addresses_get_a_message_or_a_404_never_an_error(
    editor_client, revised, address, status
):
    assert editor_client.get(address.format(pk=revised.pk)).status_code == status
    if "restore" in address:
        assert editor_client.post(address.format(pk=revised.pk)).status_code == status
    assert revised.revisions.count() == 3


def test_two_revisions_chosen_newest_first_are_compared_oldest_first(editor_client, revised):
    response = editor_client.get(compare_url(revised, **{"from": 3, "to": 1}))

    assert (response.context["older"].number, response.context["newer"].number) == (1, 3)

"""Corrections and updates: an editor adds a dated note to a post in its admin page;
readers see it in a box at the foot of the article, in /corrections/ and its feed, and the
post's dateModified, feed entry and sitemap lastmod move; every cache shows it at once."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import POST_NOTE_MAX_LENGTH, RESERVED_PAGE_SLUGS, PostNote
from blog.services import post_note_delete, post_note_save, post_unpublish
from tests.blog.test_admin import post_form_data
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(
        title="Bus fares rise in March",
        body="<p>Fares rise by 5%.</p>",
        published_at=timezone.now() - timedelta(days=2),
    )


def change_form(post, notes: list[dict] | None = None, stored: int = 0) -> dict:
    """What the post's admin change form sends: the post unchanged and ``notes`` (the
    first ``stored`` of them already stored, each with its ``id``)."""
    local = timezone.localtime(post.published_at)
    data = post_form_data(
        title=post.title,
        slug=post.slug,
        excerpt=post.excerpt,
        body=post.body,
        status=post.status,
        published_at_0=local.strftime("%Y-%m-%d"),
        published_at_1=local.strftime("%H:%M:%S"),
        **{"notes-TOTAL_FORMS": str(len(notes or [])), "notes-INITIAL_FORMS": str(stored)},
    )
    for index, fields in enumerate(notes or []):
        for name, value in (fields | {"post": post.pk}).items():
            data[f"notes-{index}-{name}"] = value
    return data


def add_note(client, post, kind="correction", text="We said 5%; the rise is 4%."):
    return client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        change_form(post, [{"kind": kind, "text": text}]),
    )


def note_box(html: str) -> str:
    found = re.search(r'<aside class="post-notes".*?</aside>', html, re.S)
    return found.group(0) if found else ""


# --- The admin ---------------------------------------------------------------


def test_an_editor_adds_a_correction_and_the_post_is_marked_as_changed(editor_client, editor, post):
    before = timezone.now()
    page = editor_client.get(reverse("admin:blog_post_change", args=[post.pk]))
    assert "Corrections and updates shown to readers" in page.text

    response = add_note(editor_client, post)

    assert response.status_code == 302
    note = PostNote.objects.get(post=post)
    assert (note.kind, note.text, note.created_by) == (
        "correction",
        "We said 5%; the rise is 4%.",
        editor,
    )
    assert note.created_at >= before
    post.refresh_from_db()
    assert post.updated_at >= note.created_at


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please write what was corrected or updated."),
        ("x" * (POST_NOTE_MAX_LENGTH + 1), f"at most {POST_NOTE_MAX_LENGTH} characters"),
    ],
)
def test_an_empty_or_too_long_note_is_refused_politely_and_nothing_is_stored(
    editor_client, post, text, message
):
    updated = post.updated_at
    response = add_note(editor_client, post, kind="update", text=text)
    assert response.status_code == 200
    assert message in response.text
    assert not PostNote.objects.exists()
    post.refresh_from_db()
    assert post.updated_at == updated


@pytest.mark.parametrize("spaces", ["   ", " \r\n\t ", "\u00a0\u2003"])
def test_a_note_of_spaces_alone_with_the_default_kind_is_refused_not_dropped(
    editor_client, post, spaces
):
    # Typed into the extra form, kind left at Correction: the text cleans to nothing, so
    # the admin used to take the form as untouched and save the post without the note.
    updated = post.updated_at
    response = add_note(editor_client, post, kind="correction", text=spaces)
    assert response.status_code == 200
    assert "Please write what was corrected or updated." in response.text
    assert "Please correct the error below." in response.text
    assert not PostNote.objects.exists()
    post.refresh_from_db()
    assert post.updated_at == updated


def test_a_stored_note_emptied_to_spaces_is_refused_and_kept(editor_client, editor, post):
    note = post_note_save(note=PostNote(post=post, text="First wording."), by=editor)
    url = reverse("admin:blog_post_change", args=[post.pk])
    stored = {"id": note.pk, "kind": "correction", "text": "    "}
    response = editor_client.post(url, change_form(post, [stored], stored=1))
    assert response.status_code == 200
    assert "Please write what was corrected or updated." in response.text
    note.refresh_from_db()
    assert note.text == "First wording."


def test_an_untouched_extra_note_form_adds_nothing(editor_client, post):
    response = add_note(editor_client, post, kind="correction", text="")
    assert response.status_code == 302
    assert not PostNote.objects.exists()


def test_an_unknown_kind_is_refused(editor_client, post):
    response = add_note(editor_client, post, kind="retraction")
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not PostNote.objects.exists()


def test_an_editor_edits_and_deletes_a_note_through_the_admin(editor_client, editor, post):
    note = post_note_save(note=PostNote(post=post, text="First wording."), by=editor)
    url = reverse("admin:blog_post_change", args=[post.pk])
    stored = {"id": note.pk, "kind": "update", "text": "Second wording."}

    assert editor_client.post(url, change_form(post, [stored], stored=1)).status_code == 302
    note.refresh_from_db()
    assert (note.kind, note.text) == ("update", "Second wording.")

    gone = stored | {"DELETE": "on"}
    assert editor_client.post(url, change_form(post, [gone], stored=1)).status_code == 302
    assert not PostNote.objects.exists()


def test_the_service_keeps_text_plain_and_refuses_what_the_form_would():
    post = PostFactory()
    note = post_note_save(note=PostNote(post=post, text="  Line one.  \n  Line two.\x00 "))
    assert note.text == "Line one.\nLine two."
    with pytest.raises(ValidationError):
        post_note_save(note=PostNote(post=post, text=" \n "))
    with pytest.raises(ValidationError):
        post_note_save(note=PostNote(post=post, text="Fine.", kind="nonsense"))
    assert PostNote.objects.count() == 1


# --- The article -------------------------------------------------------------


def test_readers_see_the_note_escaped_in_a_marked_box_at_the_foot(editor_client, client, post):
    add_note(editor_client, post, text="We wrote <b>5%</b>.\nThe rise is 4%.")

    html = client.get(post.get_absolute_url()).text

    box = note_box(html)
    assert 'aria-labelledby="post-notes-title"' in box
    assert "Corrections and updates" in box
    assert "<strong>Correction</strong>" in box
    assert "We wrote &lt;b&gt;5%&lt;/b&gt;.<br>The rise is 4%." in box
    note = PostNote.objects.get()
    assert f'id="note-{note.pk}"' in box
    assert timezone.localtime(note.created_at).strftime("%-d %B %Y") in box
    # After the body, at the foot of the article.
    assert (
        html.index("Fares rise by 5%.")
        < html.index('class="post-notes"')
        < html.index("</article>")
    )


def test_a_post_without_notes_has_no_box(client, post):
    assert 'class="post-notes"' not in client.get(post.get_absolute_url()).text


def test_date_modified_follows_the_newest_note(editor_client, client, post):
    add_note(editor_client, post)
    post.refresh_from_db()
    html = client.get(post.get_absolute_url()).text
    data = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    article = next(d for d in data if d.get("@type") == "NewsArticle")
    assert article["dateModified"] == post.updated_at.isoformat()
    assert post.updated_at > post.published_at


@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_a_new_edited_or_deleted_note_shows_at_the_next_request_on_a_warm_page(
    editor_client, editor, post, reader
):
    client = Client()
    if reader == "member":
        client.force_login(UserFactory())
    client.get(post.get_absolute_url())
    client.get(post.get_absolute_url())  # served from the warm caches

    add_note(editor_client, post, text="Version one.")
    assert "Version one." in note_box(client.get(post.get_absolute_url()).text)

    note = PostNote.objects.get()
    url = reverse("admin:blog_post_change", args=[post.pk])
    stored = {"id": note.pk, "kind": "update", "text": "Version two."}
    editor_client.post(url, change_form(post, [stored], stored=1))
    box = note_box(client.get(post.get_absolute_url()).text)
    assert "Version two." in box
    assert "<strong>Update</strong>" in box

    editor_client.post(url, change_form(post, [stored | {"DELETE": "on"}], stored=1))
    assert note_box(client.get(post.get_absolute_url()).text) == ""


# --- The home page -----------------------------------------------------------


def test_the_home_page_says_updated_without_a_query_per_card(client, editor):
    posts = [PostFactory(published_at=timezone.now() - timedelta(days=n + 1)) for n in range(4)]
    for corrected in posts[:3]:
        post_note_save(note=PostNote(post=corrected, text="A fix."), by=editor)
    # A note dated before its post went out (written for a scheduled post) says nothing.
    early = posts[3]
    PostNote.objects.create(
        post=early, text="Prepared.", created_at=early.published_at - timedelta(hours=1)
    )

    response = client.get("/")

    html = response.text
    assert html.count('class="post-updated"') == 3
    local = timezone.localtime(PostNote.objects.filter(post=posts[0]).get().created_at)
    stamp = local.strftime("%Y-%m-%dT%H:%M:%S%z")
    assert f'Updated <time datetime="{stamp}">{local.strftime("%-d %B")}</time>' in html
    with CaptureQueriesContext(connection) as few:
        Client().get("/?measure=1")
    more = [PostFactory(published_at=timezone.now() - timedelta(days=10 + n)) for n in range(4)]
    for extra in more:
        post_note_save(note=PostNote(post=extra, text="Another fix."), by=editor)
    Client().get("/")  # the site's navigation, kept again under the new version
    with CaptureQueriesContext(connection) as many:
        Client().get("/?measure=2")
    assert len(many) == len(few)


# --- /corrections/ and its feed ----------------------------------------------


def make_notes(count: int, editor) -> list[PostNote]:
    post = PostFactory(title="Council budget")
    now = timezone.now()
    return [
        PostNote.objects.create(
            post=post,
            text=f"Note number {n}.",
            created_by=editor,
            created_at=now - timedelta(minutes=n),
        )
        for n in range(count)
    ]


def test_corrections_lists_visible_notes_newest_first_with_their_articles(client, editor, post):
    note = post_note_save(
        note=PostNote(post=post, kind="update", text="Fares now agreed."), by=editor
    )
    hidden = PostFactory(title="Secret draft", draft=True)
    post_note_save(note=PostNote(post=hidden, text="Not for readers."), by=editor)
    scheduled = PostFactory(title="Tomorrow's news", scheduled=True)
    post_note_save(note=PostNote(post=scheduled, text="Not yet."), by=editor)
    gone = PostFactory(title="Old offer", unpublish_at=timezone.now() - timedelta(minutes=1))
    post_note_save(note=PostNote(post=gone, text="Left the site."), by=editor)

    response = client.get("/corrections/")

    assert response.status_code == 200
    html = response.text
    assert "<h1" in html
    assert "Corrections and updates" in html
    assert "Fares now agreed." in html
    assert f'href="{post.get_absolute_url()}#note-{note.pk}"' in html
    assert "Bus fares rise in March" in html
    assert "Not for readers." not in html
    assert "Not yet." not in html
    assert "Left the site." not in html
    assert '<link rel="alternate"' in html
    assert 'href="/corrections/feed/"' in html
    assert "1 note" in html


def test_corrections_paginates_with_bounded_queries(client, editor, django_assert_max_num_queries):
    make_notes(25, editor)
    with django_assert_max_num_queries(6):
        first = client.get("/corrections/")
    assert first.text.index("Note number 0.") < first.text.index("Note number 19.")
    assert "Note number 20." not in first.text
    second = client.get("/corrections/?page=2")
    assert "Note number 24." in second.text
    assert "Note number 0." not in second.text
    assert client.get("/corrections/?page=3").status_code == 404
    assert client.get("/corrections/?page=nonsense").status_code == 404


def test_a_new_note_shows_on_the_warm_corrections_page(client, editor, post):
    client.get("/corrections/")
    client.get("/corrections/")
    post_note_save(note=PostNote(post=post, text="Freshly added."), by=editor)
    assert "Freshly added." in client.get("/corrections/").text
    post_unpublish(post=post)
    assert "Freshly added." not in client.get("/corrections/").text


def test_the_corrections_feed_lists_notes_escaped(client, editor, post):
    note = post_note_save(note=PostNote(post=post, text="We said <5%>."), by=editor)
    post_note_save(note=PostNote(post=PostFactory(draft=True), text="Hidden."), by=editor)

    response = client.get("/corrections/feed/")

    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    items = feed.findall("./channel/item")
    assert len(items) == 1
    assert items[0].findtext("title") == "Correction: Bus fares rise in March"
    assert items[0].findtext("description") == "We said &lt;5%&gt;."
    assert items[0].findtext("link") == f"http://testserver{post.get_absolute_url()}#note-{note.pk}"


def test_the_posts_feed_entry_is_updated_by_a_note(client, editor, post):
    post_note_save(note=PostNote(post=post, text="A fix."), by=editor)
    post.refresh_from_db()
    atom = ET.fromstring(client.get(reverse("blog:feed_atom")).content)  # noqa: S314
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = atom.find("a:entry", ns)
    assert entry.findtext("a:title", namespaces=ns) == post.title
    updated = datetime.fromisoformat(entry.findtext("a:updated", namespaces=ns))
    assert updated == post.updated_at
    assert updated > post.published_at


def test_the_sitemap_lists_corrections_and_dates_the_post_by_its_note(client, editor, post):
    post_note_save(note=PostNote(post=post, text="A fix."), by=editor)
    post.refresh_from_db()
    xml = client.get("/sitemap.xml").text
    assert "<loc>http://testserver/corrections/</loc>" in xml
    entry = xml.split(f"http://testserver{post.get_absolute_url()}</loc>")[1].split("</url>")[0]
    assert post.updated_at.date().isoformat() in entry


def test_the_footer_links_to_corrections(client, post):
    assert 'href="/corrections/">Corrections</a>' in client.get("/").text


def test_corrections_is_a_reserved_page_slug():
    assert "corrections" in RESERVED_PAGE_SLUGS


def test_deleting_a_note_through_the_service_marks_the_post_changed(editor, post):
    note = post_note_save(note=PostNote(post=post, text="Oops."), by=editor)
    post.refresh_from_db()
    first = post.updated_at
    post_note_delete(note=note)
    post.refresh_from_db()
    assert post.updated_at > first


def test_updated_shows_on_the_warm_home_page_at_the_next_request(client, editor, post):
    client.get("/")
    assert 'class="post-updated"' not in client.get("/").text  # kept by the page cache
    note = post_note_save(note=PostNote(post=post, text="A fix."), by=editor)
    assert 'class="post-updated"' in client.get("/").text
    post_note_delete(note=note)
    assert 'class="post-updated"' not in client.get("/").text


# --- Conditional GETs of /corrections/ and its feed ----------------------------


def _a_day_old(post) -> None:
    """Date the post's last change a day back, so a change now moves Last-Modified (HTTP
    dates count whole seconds)."""
    type(post).objects.filter(pk=post.pk).update(updated_at=timezone.now() - timedelta(days=1))


def test_the_corrections_feed_answers_304_until_a_note_changes(client, editor, post):
    note = post_note_save(note=PostNote(post=post, text="We said 5%."), by=editor)
    _a_day_old(post)
    url = reverse("blog:corrections_feed")
    first = client.get(url)
    assert first["ETag"]
    assert first["Last-Modified"]

    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    since = {"if-modified-since": first["Last-Modified"]}
    assert client.get(url, headers=since).status_code == 304

    note.text = "We said 5%; it is 4%."
    post_note_save(note=note, by=editor)  # an edit: same date, new text, the post touched
    edited = client.get(url, headers={"if-none-match": first["ETag"]})
    assert edited.status_code == 200
    assert edited["ETag"] != first["ETag"]
    assert "it is 4%" in edited.text
    assert client.get(url, headers=since).status_code == 200
    assert client.get(url, headers={"if-none-match": edited["ETag"]}).status_code == 304


@pytest.mark.parametrize("change", ["add", "delete", "unpublish the post"])
def test_the_corrections_feed_gets_new_validators_when_its_notes_change(
    client, editor, post, change
):
    note = post_note_save(note=PostNote(post=post, text="We said 5%."), by=editor)
    _a_day_old(post)
    url = reverse("blog:corrections_feed")
    first = client.get(url)

    match change:
        case "add":
            post_note_save(note=PostNote(post=post, kind="update", text="Agreed."), by=editor)
        case "delete":
            post_note_delete(note=note)
        case "unpublish the post":
            post_unpublish(post=post)

    again = client.get(
        url,
        headers={"if-none-match": first["ETag"], "if-modified-since": first["Last-Modified"]},
    )
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again["Last-Modified"] != first["Last-Modified"]
    assert again.text.count("<item>") == (2 if change == "add" else 0)


def test_a_304_of_the_corrections_feed_runs_two_queries(
    client, editor, post, django_assert_num_queries
):
    for n in range(3):
        post_note_save(note=PostNote(post=post, text=f"Fix {n}."), by=editor)
    first = client.get(reverse("blog:corrections_feed"))
    # Last-Modified (the posts' newest change); the notes shown, with their posts (ETag).
    with django_assert_num_queries(2):
        again = client.get(
            reverse("blog:corrections_feed"), headers={"if-none-match": first["ETag"]}
        )
    assert again.status_code == 304


@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_the_corrections_page_answers_304_until_a_note_changes(editor, post, reader):
    client = Client()
    if reader == "member":
        client.force_login(UserFactory())
    note = post_note_save(note=PostNote(post=post, text="We said 5%."), by=editor)
    first = client.get("/corrections/")
    assert first["ETag"]
    assert client.get("/corrections/", headers={"if-none-match": first["ETag"]}).status_code == 304

    note.text = "We said 5%; it is 4%."
    post_note_save(note=note, by=editor)
    edited = client.get("/corrections/", headers={"if-none-match": first["ETag"]})
    assert edited.status_code == 200
    assert "it is 4%" in edited.text
    assert edited["ETag"] != first["ETag"]

    post_note_delete(note=note)
    emptied = client.get("/corrections/", headers={"if-none-match": edited["ETag"]})
    assert emptied.status_code == 200
    assert "No corrections or updates yet." in emptied.text


def test_the_corrections_page_etag_differs_by_reader_and_page(client, editor):
    make_notes(25, editor)
    anonymous = Client().get("/corrections/?page=2")
    member = Client()
    member.force_login(UserFactory())
    first, second = member.get("/corrections/"), member.get("/corrections/?page=2")
    assert len({anonymous["ETag"], first["ETag"], second["ETag"]}) == 3
    # The member's validator does not answer for page 2.
    assert (
        member.get("/corrections/?page=2", headers={"if-none-match": first["ETag"]}).status_code
        == 200
    )


# --- "Updated" on archives and search results ---------------------------------

LISTS = ["category", "tag", "author", "year", "month", "day", "search"]


@pytest.fixture
def listed(editor):
    """A post in a category and a tag, by a staff author, published two days ago."""
    from tests.factories import CategoryFactory, TagFactory

    return PostFactory(
        title="Ferry timetable changes",
        author=UserFactory(editor=True, username="reporter"),
        categories=[CategoryFactory(slug="news")],
        tags=[TagFactory(slug="transport")],
        published_at=timezone.now() - timedelta(days=2),
    )


def list_url(kind: str, post) -> str:
    day = timezone.localtime(post.published_at)
    return {
        "category": "/category/news/",
        "tag": "/tag/transport/",
        "author": "/author/reporter/",
        "year": f"/{day:%Y}/",
        "month": f"/{day:%Y/%m}/",
        "day": f"/{day:%Y/%m/%d}/",
        "search": "/search/?q=ferry",
    }[kind]


@pytest.mark.parametrize("kind", LISTS)
@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_a_list_says_updated_at_the_next_request_on_a_warm_page(editor, listed, kind, reader):
    client = Client()
    if reader == "member":
        client.force_login(UserFactory())
    url = list_url(kind, listed)
    client.get(url)
    warm = client.get(url)  # the full-page cache's (or, for a member, the same again)
    assert warm.status_code == 200
    assert "Ferry timetable changes" in warm.text
    assert 'class="post-updated"' not in warm.text

    note = post_note_save(note=PostNote(post=listed, text="New times from May."), by=editor)

    html = client.get(url).text
    local = timezone.localtime(note.created_at)
    stamp = local.strftime("%Y-%m-%dT%H:%M:%S%z")
    # The home page's piece of byline, word for word.
    assert f'Updated <time datetime="{stamp}">{local.strftime("%-d %B")}</time>' in html
    assert html.count('class="post-updated"') == 1

    post_note_delete(note=note)
    assert 'class="post-updated"' not in client.get(url).text


@pytest.mark.parametrize("kind", ["category", "author", "day"])
def test_an_archive_validator_changes_with_a_note(editor, listed, kind):
    client = Client()
    client.force_login(UserFactory())
    url = list_url(kind, listed)
    first = client.get(url)
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304

    post_note_save(note=PostNote(post=listed, text="New times from May."), by=editor)

    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert 'class="post-updated"' in again.text


def test_a_list_follows_the_home_pages_rule_for_a_note_before_publication(editor, listed):
    # Written while the post was scheduled: dated before it went out, so not "Updated".
    PostNote.objects.create(
        post=listed, text="Prepared.", created_at=listed.published_at - timedelta(hours=1)
    )
    for kind in LISTS:
        assert 'class="post-updated"' not in Client().get(list_url(kind, listed)).text


@pytest.mark.parametrize("kind", ["category", "search"])
@pytest.mark.parametrize("count", [2, 9])
def test_updated_on_a_list_adds_no_query_per_card(editor, django_assert_num_queries, kind, count):
    from blog.models import Category

    news = Category.objects.get_or_create(slug="news", defaults={"name": "News"})[0]
    for n in range(count):
        post = PostFactory(
            title=f"Ferry notice {n}",
            categories=[news],
            published_at=timezone.now() - timedelta(days=n + 1),
        )
        post_note_save(note=PostNote(post=post, text="A fix."), by=editor)
        post_note_save(note=PostNote(post=post, kind="update", text="More."), by=editor)
    client = Client()
    client.force_login(UserFactory())
    url = {"category": "/category/news/", "search": "/search/?q=ferry"}[kind]
    client.get(url)  # the session, the navigation and the visibility moment kept
    # The session, the reader, the page version (navigation), the count, the posts with
    # their newest notes (a subquery), their co-authors (one query more since co-authors:
    # 7 -> 8 and 6 -> 7), their categories; the category archive also looks up the
    # category. The same at both sizes.
    with django_assert_num_queries({"category": 8, "search": 7}[kind]):
        html = client.get(url).text
    assert html.count('class="post-updated"') == count

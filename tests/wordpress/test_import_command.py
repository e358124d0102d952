"""``manage.py import_wordpress``: WordPress's Theme Unit Test export, re-imports, newer
exports, and every kind of bad file (a clear message, nothing stored)."""

import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from accounts.roles import EDITORS
from blog.models import Category, Image, Page, Post, Tag
from comments.models import Comment, DiscussionSettings, ModerationEvent
from comments.services import comment_hide
from tests.factories import GuidelineFactory, UserFactory
from tests.wordpress.wxr_files import (
    THEME_UNIT_TEST,
    author,
    category,
    comment,
    item,
    tag,
    write,
    wxr,
)
from wordpress.models import ImportedObject

pytestmark = pytest.mark.django_db

STORED = (User, Category, Tag, Post, Page, Comment, Image, ImportedObject)


def run_import(path, *args) -> str:
    out = io.StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out)
    return out.getvalue()


def stored_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in STORED}


def snapshot() -> dict:
    """Every row the import writes, with every field, to compare two runs."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in STORED} | {
        "post categories": list(Post.categories.through.objects.order_by("pk").values())
    }


# --- The Theme Unit Test export ---------------------------------------------------------


@pytest.fixture
def theme_import() -> str:
    return run_import(THEME_UNIT_TEST)


def test_the_theme_unit_test_authors_become_editors_without_passwords(theme_import):
    authors = User.objects.filter(username__in=["themedemos", "themereviewteam"])

    assert User.objects.count() == 2
    assert {(u.username, u.email, u.display_name) for u in authors} == {
        ("themedemos", "themeshaperwp+demos@gmail.com", "Theme Buster"),
        ("themereviewteam", "themereviewteam@gmail.com", "Theme Reviewer"),
    }
    editors = Group.objects.get(name=EDITORS)
    for user in authors:
        assert user.is_staff
        assert editors in user.groups.all()
        assert not user.has_usable_password()


def test_the_theme_unit_test_posts_keep_their_status_dates_and_flags(theme_import):
    now = timezone.now()
    published = Post.objects.filter(status=Post.Status.PUBLISHED)
    drafts = Post.objects.filter(status=Post.Status.DRAFT)

    # 56 published in WordPress (one of them password-protected), 1 scheduled, 1 draft.
    assert Post.objects.count() == 58
    assert published.filter(published_at__lte=now).count() == 55
    scheduled = published.get(published_at__gt=now)
    assert (scheduled.title, scheduled.published_at) == (
        "Scheduled",
        datetime(2030, 1, 1, 19, 0, 18, tzinfo=UTC),
    )
    assert sorted(drafts.values_list("title", flat=True)) == [
        "Draft",
        'Template: Password Protected (the password is "enter")',
    ]
    assert list(Post.objects.filter(is_sticky=True).values_list("title", flat=True)) == [
        "Template: Sticky"
    ]
    comments_post = Post.objects.get(title="Template: Comments")
    assert comments_post.published_at == datetime(2012, 1, 3, 17, 11, 37, tzinfo=UTC)
    assert comments_post.get_absolute_url() == "/2012/01/03/template-comments/"
    assert comments_post.author.username == "themedemos"
    assert comments_post.comments_enabled
    closed = Post.objects.get(title="Template: Pingbacks And Trackbacks")
    assert not closed.comments_enabled
    assert Post.objects.filter(comments_enabled=False).count() == 39


def test_the_theme_unit_test_categories_and_tags_come_over(theme_import):
    # The file declares 68 categories and 110 tags; its posts also name three tags it
    # never declares (columns, sample, test-tag), which are made too, and "content", whose
    # name is the declared tag "content-2"'s, so it is that tag.
    assert Category.objects.count() == 68
    assert Tag.objects.count() == 113
    block = Category.objects.get(slug="block")
    assert (
        block.description == "Items in the block category have been created with the block editor."
    )
    assert ImportedObject.objects.get(kind="category", wp_id="193").old_path == "/category/block/"
    # Flattened: the grandchild is a category of its own, its old address kept.
    grandchild = ImportedObject.objects.get(kind="category", wp_id="1043329")
    assert grandchild.old_path == "/category/parent/child-1/child-2/"
    assert Category.objects.filter(slug="child-2").exists()
    scheduled = Post.objects.get(title="Scheduled")
    assert set(scheduled.categories.values_list("slug", flat=True)) == {"classic", "unpublished"}
    assert set(scheduled.tags.values_list("slug", flat=True)) == {"content-2"}


def test_the_theme_unit_test_pages_become_pages_at_their_old_addresses(theme_import, client):
    about = Page.objects.get(slug="about")

    assert Page.objects.count() == 21
    assert Page.objects.published().count() == 21
    assert (about.title, about.author.username) == ("About The Tests", "themedemos")
    assert client.get("/about/").status_code == 200
    # Nested in WordPress, flat here: the old address is kept for the redirects.
    nested = ImportedObject.objects.get(kind="page", old_path="/level-1/level-2/level-3/")
    assert Page.objects.get(pk=nested.object_id).slug == "level-3"


def test_the_theme_unit_test_comments_keep_their_threads(theme_import):
    post = Post.objects.get(title="Template: Comments")
    comments = Comment.objects.filter(post=post)
    max_depth = DiscussionSettings().max_depth

    # 33 comments in the file: 4 pingbacks and trackbacks are skipped, and 5 sit on pages,
    # which take no comments in Tribune (they are listed as skipped).
    assert Comment.objects.count() == 24
    assert post.comment_count == 19  # "19 thoughts": the held one is kept back
    assert post.comment_version > 0
    held = comments.get(status=Comment.Status.PENDING)
    assert (held.guest_name, held.created_at) == (
        "auser",
        datetime(2014, 9, 29, 9, 52, 15, tzinfo=UTC),
    )
    assert max(comments.values_list("depth", flat=True)) == max_depth - 1
    depth_01 = comments.get(body="Comment Depth 01")
    deepest = comments.get(body__startswith="Comment Depth 10")
    assert deepest.thread_id == depth_01.pk
    assert deepest.depth == max_depth - 1
    assert deepest.user.username == "themedemos"
    assert deepest.guest_name == ""
    assert deepest.guest_email == ""
    guest = comments.get(body="Comment Depth 02")
    assert (guest.guest_name, guest.guest_email, guest.parent) == (
        "Jane Bloggs",
        "example@example.org",
        depth_01,
    )
    assert comments.filter(user__isnull=False).count() == 3


def test_the_summary_lists_what_was_made_and_each_thing_skipped_with_why(theme_import):
    assert (
        "Created: 2 authors, 68 categories, 113 tags, 58 posts, 21 pages, 24 comments."
        in theme_import
    )
    assert "2 pingbacks" in theme_import
    assert "2 trackbacks" in theme_import
    assert (
        "pingback 923 “Ping 4 « What’s a tellyworth?”: pingbacks and trackbacks are not kept."
        in theme_import
    )
    assert "menu item" in theme_import
    assert "  comment 167 “Anon”: Tribune's pages take no comments." in theme_import
    assert "Import finished: themeunittestdata.wordpress.xml." in theme_import


def test_a_second_import_of_the_same_file_changes_and_creates_nothing(theme_import):
    before = snapshot()

    again = run_import(THEME_UNIT_TEST)

    assert snapshot() == before
    assert "Created: nothing." in again
    assert "Updated: nothing." in again


def test_replies_deeper_than_a_smaller_maximum_attach_at_the_deepest_level():
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"max_depth": 3})

    run_import(THEME_UNIT_TEST)

    comments = Comment.objects.filter(post__title="Template: Comments")
    assert max(comments.values_list("depth", flat=True)) == 2
    depth_02 = comments.get(body="Comment Depth 02")
    assert set(comments.filter(depth=2).values_list("parent", flat=True)) == {depth_02.pk}


# --- Newer exports ------------------------------------------------------------------------


def small_site(
    *, title="Hello", body="<p>First words.</p>", reply="Nice post.", first="First!", approved="1"
) -> str:
    return wxr(
        author(1, "alice", "Alice Example"),
        category(3, "news", description="What happened"),
        tag(4, "python"),
        item(
            10,
            title=title,
            content=body,
            categories=["news"],
            tags=["python"],
            comments=[
                comment(20, content=first),
                comment(21, parent=20, content=reply, approved=approved),
            ],
        ),
    )


def test_a_newer_export_updates_what_changed_and_nothing_else(tmp_path):
    run_import(write(tmp_path, small_site(), "v1.xml"))
    post = Post.objects.get()
    first, reply = Comment.objects.order_by("pk")
    untouched = Category.objects.get().__dict__.copy()

    out = run_import(
        write(
            tmp_path,
            small_site(title="Hello again", body="<p>New words.</p>", reply="Edited."),
            "v2.xml",
        )
    )

    post.refresh_from_db()
    first.refresh_from_db()
    reply.refresh_from_db()
    assert (post.title, post.body) == ("Hello again", "<p>New words.</p>")
    assert reply.body == "Edited."
    assert first.body == "First!"
    assert post.comment_count == 2
    assert Post.objects.count() == 1
    assert Comment.objects.count() == 2
    assert Category.objects.get().__dict__ | {"_state": None} == untouched | {"_state": None}
    assert "Updated: 1 post, 1 comment." in out
    assert "Created: nothing." in out


def test_a_status_a_newer_export_changes_is_in_the_moderation_log(tmp_path):
    run_import(write(tmp_path, small_site(), "v1.xml"))

    run_import(write(tmp_path, small_site(approved="spam"), "v2.xml"))

    reply = Comment.objects.get(body="Nice post.")
    assert reply.status == Comment.Status.SPAM
    (event,) = ModerationEvent.objects.all()
    assert (event.comment, event.action, event.from_status, event.to_status, event.actor) == (
        reply,
        "spam",
        "published",
        "spam",
        None,
    )
    assert event.rule == "a newer WordPress export"


def test_a_moderators_decision_here_stands_against_a_newer_export(tmp_path):
    run_import(write(tmp_path, small_site(), "v1.xml"))
    first = Comment.objects.get(body="First!")
    moderator = UserFactory(moderator=True)
    comment_hide(comment=first, moderator=moderator, guideline=GuidelineFactory())

    run_import(write(tmp_path, small_site(first="First! (edited)"), "v2.xml"))

    first.refresh_from_db()
    assert first.body == "First! (edited)"
    assert first.status == Comment.Status.HIDDEN
    assert ModerationEvent.objects.count() == 1  # the moderator's hide, nothing else


def test_a_dry_run_stores_nothing_and_says_what_would_happen(tmp_path):
    out = run_import(write(tmp_path, small_site()), "--dry-run")

    assert set(stored_counts().values()) == {0}
    assert "Dry run: nothing was stored" in out
    assert "Created: 1 author, 1 category, 1 tag, 1 post, 2 comments." in out


# --- Bad input: a clear message, nothing stored ---------------------------------------------


def _refused(path, *args) -> str:
    with pytest.raises(CommandError) as caught:
        run_import(path, *args)
    assert set(stored_counts().values()) == {0}
    return str(caught.value)


GOOD = wxr(
    author(1, "alice"), category(3, "news"), *(item(n, categories=["news"]) for n in range(1, 30))
)

BAD_FILES = {
    "empty": (b"", "The file is empty"),
    "not xml": (b"%PDF-1.7 not an export", "This file is not XML"),
    "not a wxr": (b"<html><body>Hi</body></html>", "This file is XML but not a WordPress export"),
    "rss, not a wxr": (
        b'<rss version="2.0"><channel><title>A feed</title></channel></rss>',
        "This file is an RSS feed but not a WordPress export",
    ),
    "newer version": (
        GOOD.replace("<wp:wxr_version>1.2<", "<wp:wxr_version>1.3<").encode(),
        "This export uses WXR version 1.3, newer than 1.2",
    ),
    "entity expansion": (
        GOOD.replace(
            "<rss", '<!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<rss', 1
        ).encode(),
        "This file declares a document type",
    ),
    "external entity": (
        GOOD.replace(
            "<rss", '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss', 1
        ).encode(),
        "This file declares a document type",
    ),
    # Cut after many posts: everything read before the cut must go too.
    "truncated": (GOOD.encode()[: len(GOOD) * 9 // 10], "The file stops part-way through"),
    "broken": (
        GOOD.replace("</title>", "</titel>", 5).encode(),
        "This file is not valid XML (mismatched tag",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(tmp_path, case):
    content, message = BAD_FILES[case]

    error = _refused(write(tmp_path, content))

    assert error.startswith(message)
    assert error.endswith("Nothing was imported.")


def test_a_missing_file_or_uploads_folder_is_refused(tmp_path):
    assert _refused(tmp_path / "nowhere.xml") == f"There is no file at {tmp_path / 'nowhere.xml'}."
    good = write(tmp_path, GOOD)
    assert _refused(good, "--media-dir", str(tmp_path / "uploads")) == (
        f"There is no folder at {tmp_path / 'uploads'} (--media-dir)."
    )


def test_the_imported_discussion_reads_as_nineteen_numbered_thoughts(theme_import, client):
    post = Post.objects.get(title="Template: Comments")

    page = client.get(post.get_absolute_url())

    html = page.content.decode()
    assert page.status_code == 200
    assert "19 thoughts on “Template: Comments”" in html
    # Ten top-level comments are shown, numbered in date order; the held one is not.
    assert '<span class="comment-number">10.</span>' in html
    assert '<span class="comment-number">11.</span>' not in html
    assert "Comment Depth 10" in html
    assert "this is test comment" not in html

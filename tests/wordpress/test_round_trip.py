"""Export, wipe, import: the site comes back as it was (issue 13's promise of no lock-in)."""

import io
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from blog.models import Category, Image, Page, Post, Tag
from blog.sanitize import sanitize_post_html
from blog.services import page_save
from comments.models import Comment
from comments.services import post_comments_bump
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    ImageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)
from wordpress.importer import import_wordpress
from wordpress.models import ImportedObject

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Zoë’s café: a literal ]]&gt; and ]]> and 日本語 🎉.</p>\n"
    "<h2>A heading</h2>\n<ul><li>one</li><li>two &amp; three</li></ul>\n"
    '<p>A <a href="https://example.org/">link</a> and <strong>bold</strong>.</p>'
)


def build_site() -> None:
    """A site with one of everything a round trip must keep."""
    ada = UserFactory(editor=True, username="ada", display_name="Ada Lovelace")
    grace = UserFactory(editor=True, username="grace", display_name="Grace & Co")
    news = CategoryFactory(name="News & Views", slug="news")
    science = CategoryFactory(name="Science", slug="science")
    tags = [TagFactory(name="Émigré", slug="emigre"), TagFactory(name="<Tags>", slug="tags")]
    when = datetime(2024, 3, 5, 22, 45, 12, tzinfo=UTC)
    main = PostFactory(
        author=ada,
        title="Fish & Chips <at> “Zoë’s”",
        slug="fish-and-chips",
        # Stored bodies are sanitised on the way in (``post_save``); the factory does not.
        body=sanitize_post_html(BODY),
        excerpt="An excerpt with & and <angle> brackets.",
        published_at=when,
        is_sticky=True,
        categories=[news, science],
        tags=tags,
        featured_image=ImageFactory(
            alt_text="A loom & a shuttle", caption="The loom", credit="Seán Ó Briain & Co."
        ),
    )
    PostFactory(
        author=grace,
        title="Closed",
        slug="closed",
        comments_enabled=False,
        published_at=when - timedelta(days=40),
        categories=[science],
    )
    PostFactory(author=grace, title="A draft", slug="a-draft", draft=True)
    PostFactory(
        author=ada,
        title="Later",
        slug="later",
        published_at=timezone.now().replace(microsecond=0) + timedelta(days=3),
    )
    start = when + timedelta(hours=1)
    first = CommentFactory(
        post=main,
        guest_name="Jane <Guest>",
        guest_email="jane@example.org",
        body="First!\n\nWith a <b>not bold</b> & a second paragraph.",
        created_at=start,
    )
    reply = CommentFactory(
        post=main,
        parent=first,
        user=grace,
        guest_name="",
        guest_email="",
        body="A reply",
        created_at=start + timedelta(minutes=5),
    )
    deeper = CommentFactory(
        post=main,
        parent=reply,
        guest_name="Sam",
        guest_email="sam@example.org",
        body="Deeper ]]> still",
        created_at=start + timedelta(minutes=9),
    )
    CommentFactory(
        post=main,
        parent=deeper,
        guest_name="Kim",
        guest_email="kim@example.org",
        body="Deepest",
        created_at=start + timedelta(minutes=11),
    )
    CommentFactory(
        post=main,
        guest_name="Lee",
        guest_email="lee@example.org",
        body="Second thread",
        created_at=start + timedelta(minutes=20),
    )
    post_comments_bump(main.pk)
    page_save(
        Page(
            title="About “us” & them",
            slug="about",
            body=BODY,
            status=Page.Status.PUBLISHED,
            published_at=when - timedelta(days=400),
            author=ada,
        )
    )
    page_save(Page(title="Soon", slug="soon", body="<p>Soon.</p>", author=grace))


def snapshot() -> dict:
    """Everything a reader or an editor sees of the site, as plain values."""
    posts = {}
    for post in Post.objects.select_related("author", "featured_image").order_by("slug"):
        comments = Comment.objects.filter(post=post).select_related("user", "parent")
        image = post.featured_image
        posts[post.slug] = {
            "title": post.title,
            "body": post.body,
            "excerpt": post.excerpt,
            "status": post.status,
            "published_at": post.published_at.replace(microsecond=0) if post.published_at else None,
            "sticky": post.is_sticky,
            "comments_enabled": post.comments_enabled,
            "author": post.author.username,
            "categories": sorted(c.slug for c in post.categories.all()),
            "tags": sorted(t.slug for t in post.tags.all()),
            "comment_count": post.comment_count,
            "image": (image.alt_text, image.caption, image.credit, image.width) if image else None,
            "comments": sorted(
                (
                    c.body,
                    c.author_name,
                    c.guest_email,
                    c.user.username if c.user else None,
                    c.created_at.replace(microsecond=0),
                    c.status,
                    c.depth,
                    c.parent.body if c.parent else None,
                )
                for c in comments
            ),
        }
    authors = sorted(
        (user.username, user.email, user.display_name)
        for user in get_user_model().objects.filter(posts__isnull=False).distinct()
    )
    pages = {
        page.slug: (
            page.title,
            page.body,
            page.status,
            page.published_at.replace(microsecond=0) if page.published_at else None,
            page.author.username if page.author else None,
        )
        for page in Page.objects.select_related("author")
    }
    return {
        "posts": posts,
        "pages": pages,
        "authors": authors,
        "categories": sorted(Category.objects.values_list("slug", "name")),
        "tags": sorted(Tag.objects.values_list("slug", "name")),
    }


def assert_same(after: dict, before: dict) -> None:
    """Field by field, so a failure names what changed."""
    assert sorted(after["posts"]) == sorted(before["posts"])
    for slug, fields in before["posts"].items():
        for name, value in fields.items():
            assert after["posts"][slug][name] == value, f"{slug}: {name}"
    for name in ("pages", "authors", "categories", "tags"):
        assert after[name] == before[name], name


def wipe() -> None:
    Comment.objects.all().delete()
    Post.objects.all().delete()
    Page.objects.all().delete()
    Image.objects.all().delete()
    Category.objects.all().delete()
    Tag.objects.all().delete()
    get_user_model().objects.filter(is_staff=True).delete()
    ImportedObject.objects.all().delete()


def test_export_then_import_gives_back_the_same_site(tmp_path, media_root):
    build_site()
    before = snapshot()
    assert before["posts"]["fish-and-chips"]["comment_count"] == 5
    assert len(before["pages"]) == 2
    export = tmp_path / "site.xml"
    call_command("export_wordpress", str(export), "--with-emails", stdout=io.StringIO())
    uploads = tmp_path / "uploads"
    shutil.copytree(media_root, uploads)

    wipe()
    assert Post.objects.count() == 0
    summary = import_wordpress(export, media_dir=uploads)

    assert summary.skipped == []
    assert_same(snapshot(), before)


def test_a_second_import_of_the_export_changes_nothing(tmp_path, media_root):
    build_site()
    export = tmp_path / "site.xml"
    call_command("export_wordpress", str(export), "--with-emails", stdout=io.StringIO())
    uploads = tmp_path / "uploads"
    shutil.copytree(media_root, uploads)
    wipe()
    import_wordpress(export, media_dir=uploads)
    after_first = snapshot()

    summary = import_wordpress(export, media_dir=uploads)

    assert sum(summary.created.values()) == 0
    assert sum(summary.updated.values()) == 0
    assert_same(snapshot(), after_first)

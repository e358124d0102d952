from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from blog.demo import ARTICLES, CREDIT, REVIEW_DRAFT
from blog.models import Category, Image, Page, Post, PostNote, Tag
from blog.sanitize import sanitize_post_html

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", allow_without_debug=True)


def snapshot(stored_files) -> dict:
    return {
        "posts": Post.objects.count(),
        "images": Image.objects.count(),
        "categories": Category.objects.count(),
        "tags": Tag.objects.count(),
        "notes": list(PostNote.objects.values_list("post__slug", "kind", "created_at")),
        "published_at": dict(Post.objects.values_list("slug", "published_at")),
        "files": stored_files(),
    }


@pytest.fixture(scope="class")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The demo content seeded once for a class of tests that only read it (drawing and
    encoding the pictures is most of a seeding's cost), inside a transaction that is rolled
    back after the class; each test still runs in a savepoint of its own. Returns the media
    folder the pictures went to."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        seed()
        yield media
        transaction.set_rollback(True)


class TestAfterSeeding:
    """What the demo adds, and what a second run on top of it leaves alone."""

    @pytest.fixture(autouse=True)
    def media_root(self, settings, seeded_once) -> Path:
        settings.MEDIA_ROOT = seeded_once
        return seeded_once

    def test_seed_demo_adds_published_scheduled_and_draft_articles(self):
        posts = list(Post.objects.exclude(slug=REVIEW_DRAFT["slug"]))
        assert len(posts) == len(ARTICLES) >= 6
        assert [p.status for p in posts].count(Post.Status.DRAFT) == 1
        assert sum(p.is_scheduled for p in posts) == 1
        published = [p for p in posts if p.is_published]
        assert len(published) == len(posts) - 2
        assert sum(p.is_sticky for p in published) == 1
        assert sum(not p.comments_enabled for p in published) == 1
        assert {p.author.username for p in posts} == {"editor"}

    def test_a_demo_article_has_two_bylines_each_with_an_author_page(self, client):
        shared = [p for p in Post.objects.all() if len(p.bylines) > 1]
        assert [p.slug for p in shared] == ["route-42-bus-card-data"]
        (post,) = shared
        html = client.get(post.get_absolute_url()).text
        assert '<a href="/author/editor/" rel="author">Jane Doe</a> and ' in html
        assert '<a href="/author/tomas/" rel="author">Tomás Reyes</a>' in html
        assert client.get("/author/tomas/").status_code == 200

    def test_the_contributors_draft_waits_for_review(self):
        post = Post.objects.get(slug=REVIEW_DRAFT["slug"])
        assert post.author.username == "contributor"
        assert post.status == Post.Status.DRAFT
        assert post.review_state == Post.ReviewState.WAITING
        assert list(post.review_events.values_list("step", flat=True)) == ["submitted"]

    def test_the_about_page_is_published_and_in_the_footer(self, client):
        page = Page.objects.get(slug="about")
        assert page.is_published
        assert 'href="/about/">About Tribune</a>' in client.get("/").text

    def test_published_articles_are_spread_over_several_weeks(self):
        dates = sorted(p.published_at for p in Post.objects.published())
        assert (dates[-1] - dates[0]).days >= 28
        assert len({d.date() for d in dates}) == len(dates)

    def test_every_published_article_has_a_described_picture_with_renditions(self):
        for post in Post.objects.published().select_related("featured_image"):
            image = post.featured_image
            assert image is not None, post.slug
            assert image.alt_text.strip()
            assert image.caption
            assert image.credit == CREDIT
            assert (image.width, image.height) == (1600, 900)
            assert image.renditions
            assert default_storage.exists(image.file.name)
            assert all(default_storage.exists(r["name"]) for r in image.renditions)

    def test_every_demo_category_and_tag_is_used(self):
        assert Category.objects.count() >= 3
        assert Tag.objects.count() >= 5
        assert not Category.objects.filter(posts=None).exists()
        assert not Tag.objects.filter(posts=None).exists()
        assert all(c.description for c in Category.objects.all())

    def test_bodies_are_stored_sanitised_and_use_the_usual_elements(self):
        for post in Post.objects.filter(slug__in=[article.slug for article in ARTICLES]):
            assert sanitize_post_html(post.body) == post.body, post.slug
            for element in ("<h2>", "<li>", "<blockquote>", '<a href="https://example.org/'):
                assert element in post.body, (post.slug, element)
            assert "<strong>" in post.body or "<em>" in post.body

    def test_a_correction_and_an_update_are_shown_as_an_editor_would_add_them(self, client):
        notes = list(PostNote.objects.select_related("post", "created_by").order_by("kind"))
        assert [n.kind for n in notes] == [PostNote.Kind.CORRECTION, PostNote.Kind.UPDATE]
        now = timezone.now()
        for note in notes:
            assert note.post.is_published
            assert note.post.published_at < note.created_at < now
            # The post was last changed when its note was added, as through the admin.
            assert note.post.updated_at == note.created_at
            assert note.created_by.username == "editor"
            assert note.text.endswith(".")
            assert note.text in client.get(note.post.get_absolute_url()).text
        corrections = client.get("/corrections/").text
        assert all(note.text in corrections for note in notes)
        assert client.get("/").text.count('class="post-updated"') == len(notes)

    def test_running_twice_adds_nothing_and_keeps_dates(self, stored_files):
        first = snapshot(stored_files)

        seed()

        assert snapshot(stored_files) == first

    def test_an_article_changed_since_seeding_is_left_alone(self):
        post = Post.objects.get(slug=ARTICLES[0].slug)
        post.title = "Retitled by an editor"
        post.save()

        seed()

        assert Post.objects.get(slug=ARTICLES[0].slug).title == "Retitled by an editor"

    def test_a_deleted_article_comes_back_with_its_existing_picture(self):
        post = Post.objects.get(slug=ARTICLES[0].slug)
        image_pk = post.featured_image_id
        post.delete()

        seed()

        assert Post.objects.get(slug=ARTICLES[0].slug).featured_image_id == image_pk
        assert Image.objects.count() == len(ARTICLES)


def test_seed_demo_prints_what_it_did(capsys):
    seed()
    assert f"Demo articles: {len(ARTICLES)} added, 0 already there." in capsys.readouterr().out

    seed()
    assert f"Demo articles: 0 added, {len(ARTICLES)} already there." in capsys.readouterr().out

"""The admin as editors and moderators use it: posts, images, categories, tags, previews."""

import base64
import hashlib
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import django_prose_editor
import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags
from PIL import Image as PILImage

from accounts.roles import EDITORS, MODERATORS
from blog.models import Category, Image, Post, Tag
from core import images
from tests.factories import (
    CategoryFactory,
    ImageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
    make_jpeg_with_gps,
    make_picture_bytes,
)

pytestmark = pytest.mark.django_db

# The same bound for 3 and for 30 rows: the pages run a fixed number of queries.
CHANGELIST_MAX_QUERIES = 12


def make_staff(role: str):
    """A staff member in the Editors or Moderators group."""
    return UserFactory(**{"editor" if role == EDITORS else "moderator": True})


@pytest.fixture
def editor():
    return make_staff(EDITORS)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def post_form_data(**overrides) -> dict:
    """What the add form sends for a draft; override fields as a browser would."""
    data = {
        "title": "A new article",
        "slug": "a-new-article",
        "excerpt": "Short summary.",
        "body": "<p>Hello</p>",
        "featured_image": "",
        "categories": [],
        "tags": [],
        "comments_enabled": "on",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        # The discussion schedule's rows (comments.admin.modes), none.
        "discussion_modes-TOTAL_FORMS": "0",
        "discussion_modes-INITIAL_FORMS": "0",
        # Corrections and updates shown to readers (blog.admin.PostNoteInline), none.
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        # Co-authors (blog.admin.coauthors.PostCoauthorInline), none.
        "coauthors-TOTAL_FORMS": "0",
        "coauthors-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    return data | overrides


# --- Pages open --------------------------------------------------------------


@pytest.mark.parametrize("model", ["post", "image", "category", "tag"])
def test_editor_can_open_changelist_add_and_change_pages(editor_client, model):
    factories = {
        "post": PostFactory,
        "image": ImageFactory,
        "category": CategoryFactory,
        "tag": TagFactory,
    }
    obj = factories[model]()
    urls = [
        reverse(f"admin:blog_{model}_changelist"),
        reverse(f"admin:blog_{model}_add"),
        reverse(f"admin:blog_{model}_change", args=[obj.pk]),
    ]
    for url in urls:
        assert editor_client.get(url).status_code == 200, url


def test_post_form_uses_the_rich_text_editor_with_the_agreed_tools(editor_client):
    response = editor_client.get(reverse("admin:blog_post_add"))

    body = response.context["adminform"].form.fields["body"]
    config = body.widget.get_config()
    assert set(config["extensions"]) >= {
        "Bold", "Italic", "Link", "Heading", "BulletList", "OrderedList", "Blockquote",
        "HorizontalRule", "Figure", "Image", "Caption", "History", "Menu",
    }  # fmt: skip
    assert config["extensions"]["Heading"] == {"levels": [2, 3, 4]}
    assert b"data-django-prose-editor-configurable" in response.content
    assert b"django_prose_editor/configurable.js" in response.content


def tiptap_base_css_hash() -> str:
    """The CSP hash of the base stylesheet Tiptap injects when the body editor starts."""
    editor_js = Path(django_prose_editor.__file__).parent / "static/django_prose_editor/editor.js"
    source = editor_js.read_text()
    start = source.index("`.ProseMirror {") + 1
    css = source[start : source.index("`", start)]
    return f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"


def test_csp_lets_the_body_editor_start(editor_client):
    response = editor_client.get(reverse("admin:blog_post_add"))

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    importmap = re.search(r'<script type="importmap"[^>]*\snonce="([^"]+)"', response.text)
    assert importmap, "The editor's import map carries no nonce."
    assert f"'nonce-{importmap.group(1)}'" in policy["script-src"]
    assert tiptap_base_css_hash() in policy["style-src"]


def test_post_form_explains_the_publication_time(editor_client):
    response = editor_client.get(reverse("admin:blog_post_add"))

    assert "Leave blank to use the moment you publish" in response.text
    assert "A time in the future schedules the post" in response.text


# --- Creating and editing posts ------------------------------------------------


def test_editor_creates_post_with_body_sanitised_and_themselves_as_author(editor_client, editor):
    category, tag = CategoryFactory(), TagFactory()
    body = '<p onclick="steal()">Hello <strong>world</strong></p><script>alert(1)</script>'

    response = editor_client.post(
        reverse("admin:blog_post_add"),
        post_form_data(body=body, categories=[category.pk], tags=[tag.pk]),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:blog_post_changelist")
    post = Post.objects.get()
    assert post.author == editor
    assert post.body == "<p>Hello <strong>world</strong></p>"
    assert list(post.categories.all()) == [category]
    assert list(post.tags.all()) == [tag]
    assert post.status == Post.Status.DRAFT
    assert post.published_at is None


def test_publishing_without_a_time_stamps_now(editor_client):
    before = timezone.now()

    editor_client.post(reverse("admin:blog_post_add"), post_form_data(status="published"))

    post = Post.objects.get()
    assert post.is_published
    assert before <= post.published_at <= timezone.now()


def test_editor_cannot_choose_another_author(editor_client, editor):
    post = PostFactory(author=editor, slug="mine")
    someone_else = make_staff(EDITORS)
    url = reverse("admin:blog_post_change", args=[post.pk])

    response = editor_client.post(
        url, post_form_data(title="Mine", slug="mine", author=someone_else.pk)
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.author == editor
    assert post.title == "Mine"


def test_superuser_add_form_offers_the_author_field_set_to_themselves(client):
    boss = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(boss)

    response = client.get(reverse("admin:blog_post_add"))

    form = response.context["adminform"].form
    assert "author" in form.fields
    assert form.initial["author"] == boss.pk


def test_slug_taken_on_the_same_day_shows_an_error_and_stores_nothing(editor_client):
    PostFactory(slug="big-news", published_at=datetime(2025, 3, 10, 9, 0, tzinfo=UTC))

    response = editor_client.post(
        reverse("admin:blog_post_add"),
        post_form_data(
            slug="big-news",
            status="published",
            published_at_0="2025-03-10",
            published_at_1="15:30:00",
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["slug"] == ["Another post on 2025-03-10 already uses this slug."]
    assert Post.objects.count() == 1


def test_slug_taken_today_clashes_when_publishing_now_without_a_time(editor_client):
    PostFactory(slug="big-news", published_at=timezone.now())

    response = editor_client.post(
        reverse("admin:blog_post_add"), post_form_data(slug="big-news", status="published")
    )

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Post.objects.count() == 1


def test_same_slug_on_another_day_is_accepted(editor_client):
    PostFactory(slug="big-news", published_at=datetime(2025, 3, 10, 9, 0, tzinfo=UTC))

    response = editor_client.post(
        reverse("admin:blog_post_add"),
        post_form_data(
            slug="big-news",
            status="published",
            published_at_0="2025-03-11",
            published_at_1="09:00:00",
        ),
    )

    assert response.status_code == 302
    assert Post.objects.filter(slug="big-news").count() == 2


def test_saving_a_post_unchanged_does_not_clash_with_itself(editor_client):
    post = PostFactory(slug="steady", published_at=datetime(2025, 3, 10, 9, 0, tzinfo=UTC))

    response = editor_client.post(
        reverse("admin:blog_post_change", args=[post.pk]),
        post_form_data(
            title=post.title,
            slug="steady",
            status="published",
            published_at_0="2025-03-10",
            published_at_1="09:00:00",
        ),
    )

    assert response.status_code == 302


# --- The list and its actions ----------------------------------------------------


def test_changelist_labels_draft_scheduled_and_published_posts(editor_client):
    PostFactory(title="The draft", draft=True)
    PostFactory(title="The scheduled one", scheduled=True)
    PostFactory(title="The live one")

    response = editor_client.get(reverse("admin:blog_post_changelist"))

    rows = {
        post.title: response.context["cl"].model_admin.state(post)
        for post in response.context["cl"].result_list
    }
    assert rows == {
        "The draft": "Draft",
        "The scheduled one": "Scheduled",
        "The live one": "Published",
    }
    assert "Scheduled" in response.text


@pytest.mark.parametrize(
    ("state", "titles"),
    [("draft", {"The draft"}), ("scheduled", {"The scheduled one"}), ("published", {"Live"})],
)
def test_status_filter_tells_scheduled_from_published(editor_client, state, titles):
    PostFactory(title="The draft", draft=True)
    PostFactory(title="The scheduled one", scheduled=True)
    PostFactory(title="Live")

    response = editor_client.get(reverse("admin:blog_post_changelist"), {"status": state})

    assert {post.title for post in response.context["cl"].result_list} == titles


def test_bulk_publish_publishes_the_selected_posts_and_counts_them(editor_client):
    drafts = PostFactory.create_batch(2, draft=True)
    untouched = PostFactory(draft=True)

    response = editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish_selected", "_selected_action": [p.pk for p in drafts]},
        follow=True,
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 posts were published."]
    for post in drafts:
        post.refresh_from_db()
        assert post.is_published
    untouched.refresh_from_db()
    assert untouched.status == Post.Status.DRAFT


def test_bulk_publish_reports_a_slug_clash_and_publishes_the_rest(editor_client):
    PostFactory(slug="taken", published_at=timezone.now())
    clashing = PostFactory(slug="taken", draft=True)
    fine = PostFactory(slug="free", draft=True)

    response = editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish_selected", "_selected_action": [clashing.pk, fine.pk]},
        follow=True,
    )

    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"“{clashing.title}”" in m and "already uses this slug" in m for m in shown)
    assert "1 post was published." in shown
    clashing.refresh_from_db()
    assert clashing.status == Post.Status.DRAFT


def test_bulk_unpublish_turns_posts_back_into_drafts(editor_client):
    posts = PostFactory.create_batch(3)

    response = editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "unpublish_selected", "_selected_action": [p.pk for p in posts]},
        follow=True,
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["3 posts were unpublished."]
    assert set(Post.objects.values_list("status", flat=True)) == {Post.Status.DRAFT}


def test_publish_actions_need_the_publish_permission(client):
    writer = UserFactory(is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="blog",
            codename__in=["view_post", "change_post", "delete_post"],
        )
    )
    draft = PostFactory(draft=True)
    client.force_login(writer)
    url = reverse("admin:blog_post_changelist")

    choices = dict(client.get(url).context["action_form"].fields["action"].choices)
    client.post(url, {"action": "publish_selected", "_selected_action": [draft.pk]})

    assert "publish_selected" not in choices
    assert "unpublish_selected" not in choices
    draft.refresh_from_db()
    assert draft.status == Post.Status.DRAFT


@pytest.mark.parametrize("count", [3, 30])
def test_post_changelist_runs_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries, count
):
    categories, tags = CategoryFactory.create_batch(2), TagFactory.create_batch(2)
    for n in range(count):
        PostFactory(author=UserFactory(editor=True), categories=categories, tags=tags,
                    draft=n % 3 == 0)  # fmt: skip

    # One more than the other lists: the posts' co-authors, for the bylines column.
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES + 1):
        response = editor_client.get(reverse("admin:blog_post_changelist"))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("model", ["category", "tag"])
def test_taxonomy_changelist_counts_posts_in_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries, count, model
):
    factory = CategoryFactory if model == "category" else TagFactory
    terms = factory.create_batch(count)
    PostFactory.create_batch(2, **{"categories" if model == "category" else "tags": terms[:1]})

    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = editor_client.get(reverse(f"admin:blog_{model}_changelist"))

    counts = {term.slug: term.post_count for term in response.context["cl"].result_list}
    assert counts[terms[0].slug] == 2
    assert counts[terms[-1].slug] == 0


@pytest.mark.parametrize("count", [3, 30])
def test_image_changelist_runs_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries, count
):
    for n in range(count):
        Image.objects.create(
            file=f"images/p{n}.jpg",
            alt_text=f"Picture {n}",
            width=480,
            height=320,
            renditions=[{"width": 480, "height": 320, "format": "webp", "name": f"r/{n}.webp"}],
        )

    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = editor_client.get(reverse("admin:blog_image_changelist"))

    assert len(response.context["cl"].result_list) == count


# --- The change page: preview and view on site ------------------------------------


def test_change_page_links_to_the_preview(editor_client):
    post = PostFactory(draft=True)

    response = editor_client.get(reverse("admin:blog_post_change", args=[post.pk]))

    assert reverse("admin:blog_post_preview", args=[post.pk]) in response.text


@pytest.mark.parametrize(
    ("traits", "offered"), [({}, True), ({"draft": True}, False), ({"scheduled": True}, False)]
)
def test_view_on_site_is_offered_for_published_posts_only(editor_client, traits, offered):
    post = PostFactory(**traits)

    response = editor_client.get(reverse("admin:blog_post_change", args=[post.pk]))

    assert ("View on site" in response.text) is offered


def test_preview_shows_a_draft_to_staff(editor_client):
    post = PostFactory(title="Not out yet", draft=True)

    response = editor_client.get(reverse("admin:blog_post_preview", args=[post.pk]))

    assert response.status_code == 200
    assert "blog/post_detail.html" in [t.name for t in response.templates]
    assert response.context["post"] == post
    assert response.context["is_preview"] is True
    assert response.context["previous_post"] is None
    assert response.context["next_post"] is None
    assert "Not out yet" in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_sends_non_staff_to_the_login_page(client):
    post = PostFactory(draft=True)
    client.force_login(UserFactory())
    url = reverse("admin:blog_post_preview", args=[post.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_sends_anonymous_visitors_to_the_login_page(client):
    post = PostFactory(draft=True)

    response = client.get(reverse("admin:blog_post_preview", args=[post.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_is_refused_to_staff_who_may_not_view_posts(client):
    post = PostFactory(draft=True)
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:blog_post_preview", args=[post.pk]))

    assert response.status_code == 403


def test_preview_of_a_missing_post_is_not_found(editor_client):
    assert editor_client.get(reverse("admin:blog_post_preview", args=[999999])).status_code == 404


# --- Moderators ---------------------------------------------------------------------


def test_moderator_can_view_posts_but_not_add_or_change_them(client):
    post = PostFactory(title="Original title")
    client.force_login(make_staff(MODERATORS))
    change_url = reverse("admin:blog_post_change", args=[post.pk])

    assert client.get(reverse("admin:blog_post_changelist")).status_code == 200
    assert client.get(change_url).status_code == 200
    assert client.get(reverse("admin:blog_post_preview", args=[post.pk])).status_code == 200
    assert client.get(reverse("admin:blog_post_add")).status_code == 403
    assert client.post(reverse("admin:blog_post_add"), post_form_data()).status_code == 403
    assert client.post(change_url, post_form_data(title="Changed")).status_code == 403
    post.refresh_from_db()
    assert post.title == "Original title"


# --- Images --------------------------------------------------------------------------


def test_image_upload_strips_exif_and_makes_renditions(editor_client, editor, media_root):
    data = make_jpeg_with_gps()
    assert PILImage.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    response = editor_client.post(
        reverse("admin:blog_image_add"),
        {
            "file": SimpleUploadedFile("holiday.jpg", data, content_type="image/jpeg"),
            "alt_text": "A beach at sunset",
            "caption": "Evening",
            "credit": "Ann Example",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.alt_text, image.caption, image.credit) == ("A beach at sunset", "Evening",
                                                             "Ann Example")  # fmt: skip
    assert image.uploaded_by == editor
    assert (image.width, image.height) == (1200, 800)
    with default_storage.open(image.file.name) as stored, PILImage.open(stored) as picture:
        assert picture.format == "JPEG"
        assert not picture.getexif()
        assert "exif" not in picture.info
    assert image.renditions
    assert {r["format"] for r in image.renditions} == {"webp", "jpg"}
    for rendition in image.renditions:
        assert default_storage.exists(rendition["name"])
    assert Path(default_storage.path(image.file.name)).is_relative_to(media_root)


@pytest.mark.parametrize(
    ("upload", "limits", "message"),
    [
        (
            SimpleUploadedFile("notes.jpg", b"just some text\n" * 50, content_type="image/jpeg"),
            {},
            "This file is not a picture we can read.",
        ),
        (
            SimpleUploadedFile("big.jpg", make_picture_bytes(), content_type="image/jpeg"),
            {"MAX_PIXELS": 1000},
            "This picture is too large (640 × 400): the limit is 40 megapixels.",
        ),
        (
            SimpleUploadedFile("heavy.jpg", make_picture_bytes(), content_type="image/jpeg"),
            {"UPLOAD_MAX_BYTES": 100},
            "the limit is 20 MB",
        ),
    ],
    ids=["renamed-text-file", "too-many-pixels", "too-many-bytes"],
)
def test_refused_upload_shows_a_clear_error_and_stores_nothing(
    editor_client, monkeypatch, settings, stored_files, upload, limits, message
):
    # The real limits (20 MB, 40 MP) stand in for small ones: the path is the same.
    for name, value in limits.items():
        if name == "UPLOAD_MAX_BYTES":  # the site's one upload limit is a setting
            setattr(settings, name, value)
        else:
            monkeypatch.setattr(images, name, value)

    response = editor_client.post(
        reverse("admin:blog_image_add"),
        {"file": upload, "alt_text": "Something", "_save": "Save"},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert any(message in error for error in errors), errors
    assert not Image.objects.exists()
    assert stored_files() == []


def test_image_upload_needs_alt_text(editor_client, stored_files):
    upload = SimpleUploadedFile("p.jpg", make_picture_bytes(), content_type="image/jpeg")

    response = editor_client.post(
        reverse("admin:blog_image_add"), {"file": upload, "alt_text": "  ", "_save": "Save"}
    )

    assert response.status_code == 200
    assert "alt_text" in response.context["adminform"].form.errors
    assert not Image.objects.exists()
    assert stored_files() == []


def test_image_change_page_shows_the_address_and_keeps_the_file(editor_client):
    image = ImageFactory(alt_text="Old words")
    original = image.file.name
    url = reverse("admin:blog_image_change", args=[image.pk])

    page = editor_client.get(url)
    response = editor_client.post(
        url,
        {
            "file": SimpleUploadedFile("other.jpg", make_picture_bytes(10, 10)),
            "alt_text": "New words",
            "caption": "",
            "credit": "Someone",
            "_save": "Save",
        },
    )

    assert image.file.url in page.text
    assert "file" not in page.context["adminform"].form.fields
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.credit, image.file.name) == ("New words", "Someone", original)


def test_image_changelist_shows_a_webp_thumbnail_with_alt_text(editor_client):
    image = ImageFactory(alt_text="A red kite")
    smallest = min((r for r in image.renditions if r["format"] == "webp"), key=lambda r: r["width"])

    response = editor_client.get(reverse("admin:blog_image_changelist"))

    assert f'src="{default_storage.url(smallest["name"])}"' in response.text
    assert 'alt="A red kite"' in response.text
    assert "style=" not in response.text.split('id="result_list"')[1].split("</table>")[0]


def test_image_search_looks_in_alt_text_caption_and_credit(editor_client):
    ImageFactory(alt_text="A red kite", caption="", credit="")
    ImageFactory(alt_text="Harbour", caption="", credit="Kite Photos")
    ImageFactory(alt_text="Field", caption="", credit="")

    response = editor_client.get(reverse("admin:blog_image_changelist"), {"q": "kite"})

    assert {i.alt_text for i in response.context["cl"].result_list} == {"A red kite", "Harbour"}


# --- Categories and tags ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "source"), [("post", "title"), ("category", "name"), ("tag", "name")]
)
def test_add_form_prepopulates_the_slug(editor_client, url_name, source):
    response = editor_client.get(reverse(f"admin:blog_{url_name}_add"))

    assert "data-prepopulated-fields" in response.text
    assert "&quot;#id_slug&quot;" in response.text
    assert f"&quot;#id_{source}&quot;" in response.text


@pytest.mark.parametrize(("model", "url_name"), [(Category, "category"), (Tag, "tag")])
def test_editor_adds_a_category_or_tag(editor_client, model, url_name):
    response = editor_client.post(
        reverse(f"admin:blog_{url_name}_add"),
        {"name": "Climate", "slug": "climate", "description": "", "_save": "Save"},
    )

    assert response.status_code == 302
    assert model.objects.filter(slug="climate", name="Climate").exists()


@pytest.mark.parametrize("field", ["categories", "tags"])
def test_post_form_autocomplete_finds_categories_and_tags_in_name_order(editor_client, field):
    factory = CategoryFactory if field == "categories" else TagFactory
    for name in ["Climate policy", "Art", "Climate science"]:
        factory(name=name)

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "blog", "model_name": "post", "field_name": field, "term": "clim"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Climate policy", "Climate science"]


@pytest.mark.parametrize(
    "junk",
    [
        {"author": "abc"},
        {"author": "²"},
        {"featured_image": "1e3"},
        {"featured_image": str(2**70)},
        {"categories": ["x", "1"]},
        {"tags": ["-1", "٢"]},
    ],
    ids=["author word", "author superscript", "image 1e3", "image huge", "category", "tag"],
)
def test_junk_ids_in_the_pickers_are_form_errors_not_a_500(client, junk):
    """The autocomplete pickers draw the chosen rows again when the form comes back with
    errors; a value that is no id of theirs must not reach the database as a lookup."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(reverse("admin:blog_post_add"), post_form_data(**junk))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_a_chosen_category_is_still_shown_when_the_form_comes_back(editor_client):
    """The picker keeps real choices (only junk is dropped) when another field has an error."""
    category = CategoryFactory(name="Harbour news")

    response = editor_client.post(
        reverse("admin:blog_post_add"),
        post_form_data(title="", categories=[str(category.pk), "junk"]),
    )

    assert response.status_code == 200
    assert f'<option value="{category.pk}" selected>Harbour news</option>' in response.text

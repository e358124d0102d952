"""Expiry (issue 16): a post's optional unpublish time. From that moment readers meet it
nowhere (post page, home, archives, search, feeds, sitemap, comments), worked out when a
page is read: no job runs and nothing is written, yet every cache in front lets it go at
the first request after it. Editors set the time in the admin, next to the publication
time, and see it in the list."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from blog.models import Post, Visibility, visibility_at
from blog.services import post_save
from core.models import PageVersion
from tests.blog.test_admin import post_form_data
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory
from wordpress.wxr_format import wordpress_status

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LEAVES = NOW + timedelta(minutes=10)
GOES_LIVE = NOW + timedelta(minutes=5)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def long_caches(settings):
    """Every cache keeps its pages far beyond the moments in these tests, so only the
    moment itself can make them let go."""
    settings.PAGE_CACHE_SECONDS = 3600


@pytest.fixture
def site(clock):
    """An article leaving the site at ``LEAVES``, alone in its category and tag, and one
    published before it by the same author that stays."""
    author = UserFactory(editor=True, username="jane")
    stays = PostFactory(
        title="The story that stays",
        slug="stays",
        author=author,
        published_at=NOW - timedelta(days=1),
        categories=[CategoryFactory(name="Harbour", slug="harbour")],
    )
    leaving = PostFactory(
        title="Embargoed river report",
        slug="river",
        author=author,
        body="<p>The river report, word for word.</p>",
        published_at=NOW - timedelta(hours=1),
        unpublish_at=LEAVES,
        categories=[CategoryFactory(name="Rivers", slug="rivers")],
        tags=[TagFactory(name="flood", slug="flood")],
    )
    return stays, leaving


def reader_pages(leaving: Post) -> list[str]:
    day = timezone.localtime(leaving.published_at)
    return [
        "/",
        "/category/rivers/",
        "/tag/flood/",
        "/author/jane/",
        f"/{day:%Y}/",
        f"/{day:%Y/%m/%d}/",
        "/feed/",
        "/feed/atom/",
        "/category/rivers/feed/",
        "/sitemap.xml",
        "/search/?q=river",
    ]


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def mentions(html: str) -> bool:
    """Whether a page shows the leaving post: its title, or its address (the sitemap)."""
    return "Embargoed river report" in html or "/river/" in html


def member() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


# --- The rule ----------------------------------------------------------------------------


def test_a_post_is_live_from_its_publication_until_not_including_its_unpublish_time():
    def at(moment: datetime) -> Visibility:
        return visibility_at(status="published", published_at=NOW, unpublish_at=LEAVES, now=moment)

    assert at(NOW - timedelta(seconds=1)) == Visibility.SCHEDULED
    assert at(NOW) == Visibility.LIVE
    assert at(LEAVES - timedelta(seconds=1)) == Visibility.LIVE
    assert at(LEAVES) == Visibility.EXPIRED
    draft = visibility_at(status="draft", published_at=NOW, unpublish_at=LEAVES, now=NOW)
    assert draft == Visibility.DRAFT


def test_the_queryset_and_the_row_follow_the_same_rule(site, clock):
    stays, leaving = site
    assert leaving.is_published
    assert set(Post.objects.published()) == {stays, leaving}

    clock.move_to(LEAVES)

    assert leaving.is_expired
    assert not leaving.is_published
    assert list(Post.objects.published()) == [stays]
    assert list(Post.objects.expired()) == [leaving]


def test_the_next_change_is_the_earliest_going_live_or_leaving(site, clock):
    assert Post.objects.next_visibility_change() == LEAVES
    PostFactory(published_at=GOES_LIVE)
    assert Post.objects.next_visibility_change() == GOES_LIVE
    PostFactory(status="draft", published_at=NOW + timedelta(minutes=1))  # never goes live
    assert Post.objects.next_visibility_change() == GOES_LIVE

    clock.move_to(GOES_LIVE)
    assert Post.objects.next_visibility_change() == LEAVES
    clock.move_to(LEAVES)
    assert Post.objects.next_visibility_change() is None


# --- Every reader-facing page, through warm caches ------------------------------------


@pytest.mark.usefixtures("long_caches")
def test_warm_pages_let_the_post_go_at_its_unpublish_time_with_nothing_written(site, clock):
    stays, leaving = site
    anonymous, signed_in = Client(), member()
    for url in reader_pages(leaving):
        assert mentions(text(anonymous, url)), url
    # The post page and its neighbour's, whole (page cache) and for a member (the shell,
    # the article and the navigation kept in the shared cache).
    for client in (anonymous, signed_in):
        assert "The river report, word for word." in text(client, leaving.get_absolute_url())
        assert "Embargoed river report" in text(client, stays.get_absolute_url())
        assert ">Rivers</a>" in text(client, "/")
    version = PageVersion.objects.get().number

    clock.move_to(LEAVES)

    for url in reader_pages(leaving):
        response = anonymous.get(url)
        # Nothing else was published that day: its archive is not found, as for a draft.
        assert response.status_code == (404 if url.endswith("/12/01/") else 200), url
        assert not mentions(response.content.decode()), url
    for client in (anonymous, signed_in):
        assert client.get(leaving.get_absolute_url()).status_code == 404
        assert "Embargoed river report" not in text(client, stays.get_absolute_url())
        assert ">Rivers</a>" not in text(client, "/")  # no section left to lead to
        assert "The story that stays" in text(client, "/")
    assert PageVersion.objects.get().number == version  # nothing was written


@pytest.mark.usefixtures("long_caches")
def test_a_warm_page_is_served_from_the_cache_until_the_moment(
    site, clock, django_assert_num_queries
):
    _stays, leaving = site
    url = leaving.get_absolute_url()
    text(Client(), url)
    clock.move_to(LEAVES - timedelta(seconds=1))
    with django_assert_num_queries(1):  # from the page cache: only the version is read
        response = Client().get(url)
    assert response.status_code == 200
    # No cache in front may keep it past the moment either.
    assert "max-age=1," in response["Cache-Control"]

    clock.move_to(LEAVES)
    assert Client().get(url).status_code == 404


@pytest.mark.usefixtures("long_caches")
@pytest.mark.usefixtures("site")
def test_a_scheduled_post_still_goes_live_at_its_time_before_another_leaves(clock):
    PostFactory(title="The morning bulletin", published_at=GOES_LIVE)
    home = text(Client(), "/")
    assert "The morning bulletin" not in home
    assert "Embargoed river report" in home

    clock.move_to(GOES_LIVE)
    home = text(Client(), "/")
    assert "The morning bulletin" in home
    assert "Embargoed river report" in home

    clock.move_to(LEAVES)
    home = text(Client(), "/")
    assert "The morning bulletin" in home
    assert "Embargoed river report" not in home


def test_the_feed_is_newer_once_a_post_leaves(site, clock):
    response = Client().get("/feed/")
    last_modified = response["Last-Modified"]

    clock.move_to(LEAVES + timedelta(minutes=1))
    again = Client().get("/feed/", headers={"if-modified-since": last_modified})

    assert again.status_code == 200
    assert again["Last-Modified"] == http_date(LEAVES.timestamp())
    assert "Embargoed river report" not in again.content.decode()


def test_nobody_may_comment_on_a_post_that_has_left(site, clock):
    _stays, leaving = site
    clock.move_to(LEAVES)
    response = Client().post(
        reverse("comments:post", kwargs={"post_id": leaving.pk}),
        {"body": "Still here?", "name": "Ann", "email": "ann@example.com"},
    )
    assert response.status_code == 404
    assert not leaving.comments.exists()


def test_the_wordpress_export_keeps_an_expired_post_off_the_new_site():
    assert wordpress_status(Visibility.EXPIRED) == "draft"
    assert wordpress_status(Visibility.LIVE) == "publish"
    assert wordpress_status(Visibility.SCHEDULED) == "future"


# --- Editors ---------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(editor=True))
    return client


def form_data(**overrides) -> dict:
    """The admin's add form for a post published at 09:00 on ``NOW``'s day."""
    published = {"status": "published", "published_at_0": "2026-12-01", "published_at_1": "09:00"}
    return post_form_data(**published, **overrides)


def test_the_post_form_offers_the_unpublish_time_next_to_the_publication_time(editor_client):
    html = editor_client.get(reverse("admin:blog_post_add")).content.decode()
    assert 'name="unpublish_at_0"' in html
    row = re.search(r'<div class="form-row[^"]*field-published_at[^"]*field-unpublish_at', html)
    assert row, "The two times are not on one row."
    assert "leaves the site" in html


@pytest.mark.parametrize(
    ("day", "time"), [("2026-12-01", "09:00"), ("2026-12-01", "08:59"), ("2026-11-30", "23:00")]
)
def test_an_unpublish_time_not_after_publication_is_refused_and_nothing_saved(
    editor_client, clock, day, time
):
    response = editor_client.post(
        reverse("admin:blog_post_add"), form_data(unpublish_at_0=day, unpublish_at_1=time)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["unpublish_at"] == [
        "The time the post leaves the site must be after its publication time."
    ]
    assert not Post.objects.exists()


def test_an_unpublish_time_is_saved_and_shown_in_the_list(editor_client, clock):
    response = editor_client.post(
        reverse("admin:blog_post_add"),
        form_data(unpublish_at_0="2026-12-03", unpublish_at_1="09:30"),
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert timezone.localtime(post.unpublish_at).strftime("%Y-%m-%d %H:%M") == "2026-12-03 09:30"
    changelist = reverse("admin:blog_post_changelist")
    assert "Leaves the site 3 Dec 2026 09:30" in editor_client.get(changelist).text

    clock.move_to(post.unpublish_at)
    html = editor_client.get(changelist).text
    assert "Leaves the site 3 Dec" not in html
    assert 'class="field-state">Expired<' in html
    expired = editor_client.get(changelist, {"status": "expired"}).text
    published = editor_client.get(changelist, {"status": "published"}).text
    assert "A new article" in expired
    assert "A new article" not in published


def test_publishing_an_expired_post_again_asks_for_a_new_unpublish_time(editor_client, site, clock):
    _stays, leaving = site
    clock.move_to(LEAVES)
    Post.objects.filter(pk=leaving.pk).update(status="draft")
    response = editor_client.post(
        reverse("admin:blog_post_changelist"),
        {"action": "publish_selected", "_selected_action": [leaving.pk]},
        follow=True,
    )
    assert "The time the post leaves the site must be after its publication time." in (
        response.text
    )
    leaving.refresh_from_db()
    assert leaving.status == "draft"


def test_the_preview_of_an_expired_post_says_when_it_left(editor_client, site, clock):
    _stays, leaving = site
    clock.move_to(LEAVES)
    url = reverse("admin:blog_post_preview", kwargs={"pk": leaving.pk})
    assert "It left the site on 1 December 2026, 09:40." in editor_client.get(url).text


def test_the_service_refuses_what_the_form_refuses(clock):
    post = PostFactory.build(author=UserFactory(editor=True), published_at=NOW, unpublish_at=NOW)
    with pytest.raises(ValidationError) as refused:
        post_save(post=post)
    assert "unpublish_at" in refused.value.message_dict
    assert not Post.objects.exists()

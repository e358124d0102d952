"""The header's sections (blog.selectors.site_navigation, kept by
blog.caching.site_navigation_for): which categories it names, the current one marked, and
every change showing on the very next page, for anonymous readers (the full-page cache) and
signed-in members (page shells, pages drawn for them) alike."""

import re
from datetime import timedelta

import pytest
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.services import post_unpublish
from tests.factories import CategoryFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def sections(html: str) -> list[str]:
    """The link texts of the header's sections, in order."""
    nav = re.search(r'<nav class="site-sections".*?</nav>', html, re.DOTALL)
    assert nav is not None
    return [text.strip() for text in re.findall(r"<a [^>]*>([^<]*)</a>", nav.group())]


def current(html: str) -> list[str]:
    """The sections marked as the page being read."""
    nav = re.search(r'<nav class="site-sections".*?</nav>', html, re.DOTALL).group()
    return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)</a>', nav)


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


@pytest.fixture
def post():
    return PostFactory(categories=[CategoryFactory(name="Politics", slug="politics")])


# --- What the header names ------------------------------------------------------------


def test_the_sections_are_home_and_each_category_with_a_published_post_by_name(client):
    PostFactory(categories=[CategoryFactory(name="Science", slug="science")])
    PostFactory(categories=[CategoryFactory(name="Arts", slug="arts")])
    PostFactory(categories=[CategoryFactory(name="Drafts only", slug="drafts")], draft=True)
    PostFactory(categories=[CategoryFactory(name="Coming soon", slug="soon")], scheduled=True)
    CategoryFactory(name="Empty", slug="empty")

    html = get(client, "/")

    assert sections(html) == ["Home", "Arts", "Science"]
    assert f'href="{reverse("blog:category", kwargs={"slug": "arts"})}"' in html


def test_with_nothing_published_the_sections_are_home_alone(client):
    CategoryFactory(name="Empty", slug="empty")
    assert sections(get(client, "/")) == ["Home"]


def test_the_page_being_read_is_marked_as_current(client, post):
    PostFactory(categories=[CategoryFactory(name="Science", slug="science")])

    assert current(get(client, "/")) == ["Home"]
    assert current(get(client, "/category/politics/")) == ["Politics"]
    assert current(get(client, "/category/politics/?page=1")) == ["Politics"]
    assert current(get(client, "/search/?q=politics")) == []
    assert current(get(client, post.get_absolute_url())) == []


def test_the_phone_menu_is_a_details_element_and_needs_no_script(client, post):
    html = get(client, "/")
    header = re.search(r"<header.*?</header>", html, re.DOTALL).group()

    assert '<details class="site-menu">' in header
    assert "<summary" in header
    assert "data-bs-" not in header
    assert header.index("<summary") < header.index('<nav class="site-sections"')


def test_a_page_drawn_without_a_request_has_a_header_and_reads_nothing(
    django_assert_num_queries,
):
    # The 500 and 503 pages are drawn so (config.views.server_error): the database may be
    # what failed.
    with django_assert_num_queries(0):
        html = loader.get_template("503.html").render()
    assert sections(html) == ["Home"]


# --- Every change shows on the next page ----------------------------------------------


def anonymous() -> Client:
    return Client()


def member() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


# (who, where): the full-page cache (anonymous home and post), a member's post page (a page
# shell), a member's archive and an anonymous search (drawn for the request).
READERS = [
    pytest.param(anonymous, lambda post: "/", id="anonymous-home"),
    pytest.param(anonymous, lambda post: post.get_absolute_url(), id="anonymous-post"),
    pytest.param(member, lambda post: post.get_absolute_url(), id="member-post-shell"),
    pytest.param(member, lambda post: "/category/politics/", id="member-archive"),
    pytest.param(anonymous, lambda post: "/search/?q=article", id="anonymous-search"),
]


def warm(client: Client, url: str) -> list[str]:
    """Load the page twice, so every cache it uses holds it; the sections shown."""
    get(client, url)
    return sections(get(client, url))


@pytest.mark.parametrize(("who", "where"), READERS)
def test_a_renamed_category_shows_at_once(who, where, post):
    client, url = who(), where(post)
    assert "Politics" in warm(client, url)

    category = post.categories.get()
    category.name = "Westminster"
    category.save()

    assert sections(get(client, url)) == ["Home", "Westminster"]


@pytest.mark.parametrize(("who", "where"), READERS)
def test_a_new_category_shows_with_its_first_post(who, where, post):
    client, url = who(), where(post)
    science = CategoryFactory(name="Science", slug="science")
    assert "Science" not in warm(client, url)

    PostFactory(categories=[science])

    assert sections(get(client, url)) == ["Home", "Politics", "Science"]


@pytest.mark.parametrize(("who", "where"), READERS)
def test_a_deleted_category_goes_at_once(who, where, post):
    client, url = who(), where(post)
    science = CategoryFactory(name="Science", slug="science")
    PostFactory(categories=[science])
    assert "Science" in warm(client, url)

    science.delete()

    assert sections(get(client, url)) == ["Home", "Politics"]


def test_a_category_whose_last_post_is_unpublished_goes_at_once(client, post):
    science = CategoryFactory(name="Science", slug="science")
    only = PostFactory(categories=[science])
    assert "Science" in warm(client, "/")

    post_unpublish(post=only)

    assert sections(get(client, "/")) == ["Home", "Politics"]


def test_a_category_renamed_in_the_admin_shows_at_once(post):
    reader, editor = member(), Client()
    editor.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "Politics" in warm(reader, "/")
    category = post.categories.get()

    response = editor.post(
        reverse("admin:blog_category_change", args=[category.pk]),
        {"name": "Westminster", "slug": "politics", "description": ""},
    )

    assert response.status_code == 302
    assert sections(get(reader, "/")) == ["Home", "Westminster"]
    assert sections(get(anonymous(), "/")) == ["Home", "Westminster"]


def test_a_category_s_first_post_going_live_on_schedule_shows_once_the_cache_lets_go(
    client, settings, time_machine
):
    settings.PAGE_CACHE_SECONDS = 60
    time_machine.move_to(timezone.now(), tick=False)
    PostFactory(categories=[CategoryFactory(name="Politics", slug="politics")])
    soon = CategoryFactory(name="Science", slug="science")
    PostFactory(categories=[soon], published_at=timezone.now() + timedelta(seconds=30))
    assert "Science" not in warm(client, "/search/?q=x")

    time_machine.shift(timedelta(seconds=61))

    assert sections(get(client, "/search/?q=x")) == ["Home", "Politics", "Science"]


# --- What it costs ---------------------------------------------------------------------


def test_the_sections_cost_one_query_then_none_on_a_shared_page(post, django_assert_num_queries):
    client = member()
    archive = "/category/politics/"
    get(client, archive)
    PostFactory(categories=post.categories.all())  # moves the version: nothing kept holds
    # The session, the member, the shared pages' version, the category, its posts counted
    # and listed, their co-authors and their categories; then the site's navigation, and
    # the next moment a post goes live or leaves (blog.caching.visibility_changes_at), kept
    # with it. (9 and 7 before co-authors: their query runs on every archive drawn.)
    with django_assert_num_queries(10):
        get(client, archive)
    # The navigation is kept under the version the archive reads anyway.
    with django_assert_num_queries(8):
        get(client, archive)


def test_a_page_that_reads_no_version_pays_one_query_for_the_kept_sections(
    post, django_assert_num_queries
):
    client = anonymous()
    get(client, "/search/?q=zeppelin")
    # The shared pages' version, for the kept navigation; the search finds nothing.
    with django_assert_num_queries(2):
        assert sections(get(client, "/search/?q=zeppelin")) == ["Home", "Politics"]


def test_with_the_cache_down_the_sections_are_read_each_time(redis_server, post):
    client = anonymous()
    assert "Politics" in warm(client, "/")
    redis_server.stop()

    category = post.categories.get()
    category.name = "Westminster"
    category.save()

    assert sections(get(client, "/")) == ["Home", "Westminster"]
    assert sections(get(client, "/search/?q=x")) == ["Home", "Westminster"]

"""Pages (About, Contact) at /<slug>/: shown when published, never for a draft, refused a
slug the site's own addresses use, edited in the admin, listed in the sitemap, shared by
the full-page cache."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import EDITORS
from blog.models import Page, page_slug_refusal
from blog.services import page_save
from tests.blog.test_views import html_datetime
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_page(**fields) -> Page:
    values = {
        "title": "About us",
        "slug": "about",
        "body": "<p>We write about rivers.</p>",
        "status": Page.Status.PUBLISHED,
    } | fields
    return page_save(Page(**values))


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(editor=True))
    return client


def page_form_data(**overrides) -> dict:
    data = {
        "title": "Contact",
        "slug": "contact",
        "body": "<p>Write to us.</p>",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "_save": "Save",
    }
    return data | overrides


# --- The public page -----------------------------------------------------------


def test_a_published_page_is_shown_at_its_slug(client):
    page = make_page()

    response = client.get("/about/")

    assert response.status_code == 200
    assert page.get_absolute_url() == "/about/"
    text = response.text
    assert '<h1 id="page-title" class="post-title">About us</h1>' in text
    assert "<p>We write about rivers.</p>" in text
    assert "<title>About us · " in text
    assert '<link rel="canonical" href="http://testserver/about/">' in text
    # Last updated, to the second: HTML's datetime takes at most three digits of a fraction.
    page.refresh_from_db()
    assert f'<time datetime="{html_datetime(page.updated_at)}">' in text


def test_without_the_slash_a_page_redirects_to_its_address(client):
    make_page()

    response = client.get("/about")

    assert response.status_code == 301
    assert response["Location"] == "/about/"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Page.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_a_page_readers_may_not_see_yet_is_404(client, fields):
    make_page(**fields)

    response = client.get("/about/")

    assert response.status_code == 404
    assert "We write about rivers" not in response.text


def test_an_unknown_page_is_404(client):
    assert client.get("/no-such-page/").status_code == 404


def test_the_site_s_own_addresses_still_answer_beside_pages(client):
    make_page(title="Search", slug="searching")

    assert client.get(reverse("blog:search")).templates[0].name == "blog/search.html"
    assert client.get(reverse("blog:feed")).status_code == 200
    assert client.get("/searching/").status_code == 200


def test_a_page_body_is_sanitised_on_save():
    page = make_page(
        body='<p onclick="steal()">Hi<script>alert(1)</script></p><a href="javascript:x">l</a>'
    )

    assert page.body == '<p>Hi</p><a rel="noopener noreferrer">l</a>'


def test_a_page_s_view_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    make_page(body="<p>Long</p>" * 500)
    # The shared pages' version, the page's row and the site's navigation with the next
    # moment a post goes live or leaves (kept from then on, blog.caching); then the
    # version alone.
    with django_assert_max_num_queries(4):
        assert Client().get("/about/").status_code == 200
    with django_assert_max_num_queries(1):
        assert Client().get("/about/").status_code == 200


def test_an_anonymous_reader_sees_an_edit_at_once_through_the_shared_cache():
    page = make_page()
    assert "About us" in Client().get("/about/").text

    page.title = "About the paper"
    page_save(page)

    assert "About the paper" in Client().get("/about/", HTTP_ACCEPT_ENCODING="").text


def test_unpublishing_a_page_takes_it_off_the_shared_cache():
    page = make_page()
    assert Client().get("/about/").status_code == 200

    page.status = Page.Status.DRAFT
    page_save(page)

    assert Client().get("/about/").status_code == 404


# --- Slugs the site uses -------------------------------------------------------


@pytest.mark.parametrize("slug", ["feed", "admin", "Search", "comments", "2024", "media"])
def test_page_save_refuses_a_slug_the_site_uses_and_stores_nothing(slug):
    with pytest.raises(ValidationError) as refused:
        make_page(slug=slug)

    assert "slug" in refused.value.message_dict
    assert not Page.objects.exists()


def test_page_save_refuses_a_slug_another_page_has():
    make_page()

    with pytest.raises(ValidationError) as refused:
        make_page(title="About again")

    assert refused.value.message_dict["slug"] == ["Page with this Slug already exists."]
    assert Page.objects.count() == 1


def _first_segments(patterns: list, prefix: str = "") -> list[tuple[str, object]]:
    """(first path segment as the pattern writes it, pattern) of every route of the site
    at the top level, going into the includes mounted at the root."""
    found = []
    for pattern in patterns:
        text = str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver) and text == "":
            found += _first_segments(pattern.url_patterns)
        elif text:
            found.append((re.split(r"/|\$", text)[0], pattern))
    return found


def test_every_top_level_address_of_the_site_is_refused_as_a_page_slug():
    # Walks the URLconf: a new top-level route that pages could shadow fails here until
    # blog.models.RESERVED_PAGE_SLUGS (or the digits rule) covers it.
    checked = set()
    for segment, pattern in _first_segments(get_resolver().url_patterns):
        if isinstance(pattern, URLPattern) and pattern.name == "page":
            continue  # the pages themselves
        if re.escape(segment) == segment.replace("-", r"\-") or "." in segment:
            literal = segment
            if not re.fullmatch(r"[-a-zA-Z0-9_]+", literal):
                continue  # "sitemap.xml", "robots.txt": no slug can be them
        else:
            # A pattern (the year archives): it must take only digits, which are refused.
            assert re.fullmatch(segment, "2024"), f"teach the test about /{segment}/"
            assert not re.fullmatch(segment, "about"), f"/{segment}/ would shadow pages"
            literal = "2024"
        assert page_slug_refusal(literal), f"/{literal}/ is a site address: reserve it"
        checked.add(literal)
    # Guards the guard: the walk went into the includes.
    assert {"admin", "accounts", "comments", "feed", "category", "2024"} <= checked


def test_an_editor_is_told_why_a_reserved_slug_is_refused(editor_client):
    response = editor_client.post(
        reverse("admin:blog_page_add"), page_form_data(title="Feed", slug="feed")
    )

    assert response.status_code == 200
    assert "“feed” is already used by the site’s own pages. Please choose another." in (
        response.text
    )
    assert not Page.objects.exists()


def test_an_editor_is_told_why_a_year_is_refused(editor_client):
    response = editor_client.post(reverse("admin:blog_page_add"), page_form_data(slug="2024"))

    assert "cannot be only digits" in response.text
    assert not Page.objects.exists()


# --- The admin ---------------------------------------------------------------------


def test_an_editor_adds_a_page_with_a_clean_body(editor_client):
    response = editor_client.post(
        reverse("admin:blog_page_add"),
        page_form_data(body='<p>Write to us.</p><img src="https://evil.example/x.gif">'),
    )

    assert response.status_code == 302
    page = Page.objects.get()
    assert page.slug == "contact"
    assert page.body == "<p>Write to us.</p><img>"
    assert page.published_at is not None
    assert page.author == response.wsgi_request.user
    assert Client().get("/contact/").status_code == 200


def test_the_page_form_uses_the_body_editor_with_its_policy(editor_client):
    response = editor_client.get(reverse("admin:blog_page_add"))

    assert response.status_code == 200
    assert "prose-editor" in response.text
    assert "'nonce-" in response["Content-Security-Policy"]


def test_the_page_list_says_which_pages_readers_see(editor_client):
    make_page(title="Live page")
    make_page(title="Later page", slug="later", published_at=timezone.now() + timedelta(days=1))
    make_page(title="Draft page", slug="draft-page", status=Page.Status.DRAFT)

    response = editor_client.get(reverse("admin:blog_page_changelist"))

    rows = re.findall(r"<tr>.*?</tr>", response.text, flags=re.DOTALL)
    states = {
        title: state
        for row in rows
        for title in ["Live page", "Later page", "Draft page"]
        if title in row
        for state in ["Published", "Scheduled", "Draft"]
        if f'field-state">{state}<' in row
    }
    assert states == {"Live page": "Published", "Later page": "Scheduled", "Draft page": "Draft"}


def test_a_staff_member_who_may_not_publish_cannot_change_a_page_s_status(client):
    writer = UserFactory(is_staff=True)
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_page", "change_page", "view_page"])
    )
    client.force_login(writer)

    client.post(reverse("admin:blog_page_add"), page_form_data())

    assert Page.objects.get().status == Page.Status.DRAFT


def test_a_moderator_may_not_add_pages(client):
    client.force_login(UserFactory(moderator=True))

    assert client.get(reverse("admin:blog_page_add")).status_code == 403


def test_staff_preview_a_draft_page(editor_client):
    page = make_page(status=Page.Status.DRAFT)
    change = editor_client.get(reverse("admin:blog_page_change", args=[page.pk]))
    preview_url = reverse("admin:blog_page_preview", args=[page.pk])
    assert preview_url in change.text

    response = editor_client.get(preview_url)

    assert response.status_code == 200
    assert "Preview: this is how readers will see the page." in response.text
    assert "It is not published." in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_preview_of_a_missing_page_is_404(editor_client):
    assert editor_client.get(reverse("admin:blog_page_preview", args=[999])).status_code == 404


def test_readers_are_sent_to_the_login_page_from_a_preview(client):
    page = make_page(status=Page.Status.DRAFT)

    response = client.get(reverse("admin:blog_page_preview", args=[page.pk]))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editors_have_the_page_permissions():
    editor = UserFactory(editor=True)
    assert editor.groups.filter(name=EDITORS).exists()
    for codename in ("add_page", "change_page", "delete_page", "publish_page"):
        assert editor.has_perm(f"blog.{codename}")


# --- The sitemap -------------------------------------------------------------------


def test_the_sitemap_lists_published_pages_only(client):
    make_page()
    make_page(title="Draft", slug="draft-page", status=Page.Status.DRAFT)

    response = client.get(reverse("sitemap"))

    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {url.findtext("sm:loc", namespaces=ns) for url in root.findall("sm:url", ns)}
    assert "http://testserver/about/" in locations
    assert "http://testserver/draft-page/" not in locations

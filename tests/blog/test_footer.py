"""The footer (templates/includes/footer.html): the site's published pages, the Community
Guidelines, the feeds, and the reader's own links, which are a hole (core.holes) so that no
shared page or shell keeps them."""

import pickle
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Page
from blog.services import page_save
from core.holes import Shell
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def footer(html: str) -> str:
    found = re.search(r'<footer class="site-footer.*?</footer>', html, re.DOTALL)
    assert found is not None
    return found.group()


def links(html: str) -> dict[str, str]:
    """The footer's links: text to address."""
    return {
        text.strip(): href
        for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', footer(html))
    }


def get(client: Client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def member(user=None) -> Client:
    client = Client()
    client.force_login(user or UserFactory())
    return client


def make_page(title="About us", slug="about", **kwargs) -> Page:
    fields = {"status": Page.Status.PUBLISHED, "published_at": timezone.now(), **kwargs}
    return page_save(Page(title=title, slug=slug, body="<p>Who we are.</p>", **fields))


@pytest.fixture
def post():
    return PostFactory(title="Rivers in spring")


def test_the_footer_links_the_guidelines_the_feeds_and_signing_in(client, post):
    found = links(get(client))

    assert found["Community Guidelines"] == reverse("guidelines")
    assert found["Articles (RSS)"] == reverse("blog:feed")
    assert found["Articles (Atom)"] == reverse("blog:feed_atom")
    assert found["Comments (RSS)"] == reverse("comments:feed")
    assert found["Sign in"] == reverse("accounts:login")
    assert found["Join"] == reverse("accounts:signup")
    assert "Your account" not in found


def test_the_footer_links_each_published_page_by_title(client, post):
    make_page("About us", "about")
    make_page("Contact", "contact")
    make_page("Draft policy", "policy", status=Page.Status.DRAFT, published_at=None)
    make_page("Coming soon", "soon", published_at=timezone.now() + timedelta(days=1))

    found = links(get(client))

    assert found["About us"] == "/about/"
    assert found["Contact"] == "/contact/"
    assert "Draft policy" not in found
    assert "Coming soon" not in found
    assert list(found)[:3] == ["About us", "Contact", "Community Guidelines"]


def test_a_member_sees_their_account_and_signing_out_instead(post):
    html = get(member(), post.get_absolute_url())
    found = links(html)

    assert found["Your account"] == reverse("accounts:profile")
    assert "Sign in" not in found
    assert "Join" not in found
    assert f'action="{reverse("accounts:logout")}"' in footer(html)
    assert "csrfmiddlewaretoken" in footer(html)


def shells() -> list[Shell]:
    found = []
    for stored in cache._cache.values():
        value = pickle.loads(stored)  # noqa: S301 (our own test cache)
        if isinstance(value, Shell):
            found.append(value)
    return found


def test_the_footers_account_links_are_a_hole_in_the_shared_shell(post):
    alice, bob = UserFactory(), UserFactory()
    get(member(alice), post.get_absolute_url())
    (shell,) = shells()
    kept = b"".join(shell.texts).decode()

    assert "includes/footer_account.html" in shell.holes
    assert reverse("accounts:profile") not in kept
    assert reverse("accounts:login") not in kept
    assert "Community Guidelines" in footer(kept)
    # Bob's page comes from Alice's shell with his own footer; a guest's has theirs.
    assert "Your account" in links(get(member(bob), post.get_absolute_url()))
    assert shells() == [shell]
    assert "Sign in" in links(get(Client(), post.get_absolute_url()))


def test_a_guests_cached_page_and_a_members_page_each_have_their_own_footer(post):
    guest = Client()
    get(guest, "/")
    assert "Sign in" in links(get(guest, "/"))  # from the full-page cache
    assert "Your account" in links(get(member(), "/"))
    assert "Sign in" in links(get(guest, "/"))


# --- Every change to the pages shows on the next request --------------------------------

READERS = [
    pytest.param(Client, "/", id="anonymous-home"),
    pytest.param(member, "/", id="member-home"),
    pytest.param(member, "post", id="member-post-shell"),
    pytest.param(Client, "/search/?q=x", id="anonymous-search"),
]


def _url(where: str, post) -> str:
    return post.get_absolute_url() if where == "post" else where


@pytest.mark.parametrize(("who", "where"), READERS)
def test_a_renamed_page_shows_at_once(who, where, post):
    page = make_page("About us", "about")
    client, url = who(), _url(where, post)
    get(client, url)
    assert "About us" in links(get(client, url))

    page.title = "About the paper"
    page_save(page)

    found = links(get(client, url))
    assert found["About the paper"] == "/about/"
    assert "About us" not in found


@pytest.mark.parametrize(("who", "where"), READERS)
def test_a_new_page_and_an_unpublished_one_show_at_once(who, where, post):
    old = make_page("Old page", "old")
    client, url = who(), _url(where, post)
    get(client, url)
    assert "Old page" in links(get(client, url))

    make_page("Contact", "contact")
    old.status = Page.Status.DRAFT
    page_save(old)

    found = links(get(client, url))
    assert "Contact" in found
    assert "Old page" not in found


def test_a_deleted_page_goes_at_once(client, post):
    page = make_page("About us", "about")
    get(client)
    assert "About us" in links(get(client))

    page.delete()

    assert "About us" not in links(get(client))


def test_the_error_pages_have_the_footer_and_read_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("503.html").render()
    found = links(html)
    assert found["Community Guidelines"] == reverse("guidelines")
    assert found["Sign in"] == reverse("accounts:login")

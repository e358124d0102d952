"""The home page's lead story (blog.views.home, blog/_lead_story.html): the sticky post, or
the newest, shown large above the others, and every change to it showing on the next
request through the full-page cache."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services.profile import profile_update
from blog.services import post_save
from tests.blog.test_views import html_datetime
from tests.factories import CategoryFactory, ImageFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def home(client: Client, query: str = "") -> str:
    response = client.get("/" + query)
    assert response.status_code == 200
    return response.text


def lead(html: str) -> str:
    """The lead story's markup ('' when there is none)."""
    found = re.search(r'<article class="lead-story.*?</article>', html, re.DOTALL)
    return found.group() if found else ""


def grid(html: str) -> list[str]:
    """The headlines of the stories under the lead, in order."""
    return re.findall(r'<h2 class="post-card-title"[^>]*>\s*<a [^>]*>([^<]*)</a>', html)


def ago(**kwargs) -> object:
    return timezone.now() - timedelta(**kwargs)


@pytest.fixture
def sticky():
    return PostFactory(
        title="The case for Sunday opening",
        excerpt="Visits are up and seats are scarce.",
        is_sticky=True,
        featured_image=ImageFactory(alt_text="Shelves of books"),
        categories=[CategoryFactory(name="Analysis", slug="analysis")],
        author=UserFactory(editor=True, display_name="Jane Doe", byline_title="Senior Researcher"),
        published_at=ago(days=5),
    )


def test_the_sticky_post_leads_with_its_picture_standfirst_byline_and_date(client, sticky):
    PostFactory(title="Newer", published_at=ago(hours=2))
    PostFactory(title="Newest", published_at=ago(hours=1))

    html = home(client)
    story = lead(html)

    assert "The case for Sunday opening" in story
    assert '<h2 class="lead-story-title"' in story
    assert '<p class="standfirst">Visits are up and seats are scarce.</p>' in story
    assert "Jane Doe" in story
    assert "Senior Researcher" in story
    assert f'datetime="{html_datetime(sticky.published_at)}"' in story
    assert 'alt="Shelves of books"' in story
    assert 'loading="eager"' in story  # the largest picture of the page: not deferred
    assert "Featured" in story
    assert 'href="/category/analysis/"' in story
    assert f'href="{sticky.get_absolute_url()}#comments"' in story
    assert grid(html) == ["Newest", "Newer"]
    # Shown once, and the page still has one <h1>.
    assert html.count("The case for Sunday opening</a>") == 1
    assert html.count("<h1") == 1


def test_without_a_sticky_post_the_newest_leads(client):
    PostFactory(title="Older", published_at=ago(days=2))
    PostFactory(title="Newest", published_at=ago(hours=1), excerpt="")

    html = home(client)

    assert "Newest" in lead(html)
    assert "has-picture" not in lead(html)
    assert "<picture" not in lead(html)
    assert "standfirst" not in lead(html)
    assert grid(html) == ["Older"]


def test_a_single_post_is_the_lead_with_no_grid(client):
    PostFactory(title="Only one")
    html = home(client)
    assert "Only one" in lead(html)
    assert 'class="story-grid' not in html


def test_later_pages_have_no_lead_and_say_which_page_they_are(client):
    for hours in range(12):
        PostFactory(title=f"Post {hours}", published_at=ago(hours=hours + 1))

    first, second = home(client), home(client, "?page=2")

    assert "Post 0" in lead(first)
    assert len(grid(first)) == 9
    assert lead(second) == ""
    assert grid(second) == ["Post 10", "Post 11"]
    assert re.search(r"<h1[^>]*>\s*Latest articles, page 2\s*</h1>", second)


def test_with_nothing_published_the_page_says_so(client):
    html = home(client)
    assert lead(html) == ""
    assert "Nothing published yet" in html


# --- Through the full-page cache: every input of the lead shows at once ---------------


def test_a_renamed_category_shows_on_the_lead_at_once(client, sticky):
    assert "Analysis" in lead(home(client))
    assert "Analysis" in lead(home(client))  # from the page cache

    category = sticky.categories.get()
    category.name = "Explainers"
    category.save()

    assert "Explainers" in lead(home(client))


def test_an_edited_headline_and_standfirst_show_at_once(client, sticky):
    home(client)
    sticky.title = "Sunday opening, costed"
    sticky.excerpt = "What it would take."
    post_save(post=sticky)

    story = lead(home(client))
    assert "Sunday opening, costed" in story
    assert "What it would take." in story


def test_a_renamed_author_shows_on_the_lead_at_once(client, sticky):
    home(client)
    profile_update(
        user=sticky.author,
        display_name="Jane Q. Doe",
        byline_title="Chief Reporter",
        bio="",
        notify_replies_default=True,
        notify_on_post_comments=True,
    )
    story = lead(home(client))
    assert "Jane Q. Doe" in story
    assert "Chief Reporter" in story


def test_making_another_post_sticky_changes_the_lead_at_once(client, sticky):
    other = PostFactory(title="Breaking", published_at=ago(hours=1))
    assert "The case for Sunday opening" in lead(home(client))

    sticky.is_sticky = False
    post_save(post=sticky)
    other.is_sticky = True
    post_save(post=other)

    html = home(client)
    assert "Breaking" in lead(html)
    assert grid(html) == ["The case for Sunday opening"]


def test_a_new_post_becomes_the_lead_at_once_when_none_is_sticky(client):
    PostFactory(title="Yesterday", published_at=ago(days=1))
    assert "Yesterday" in lead(home(client))

    PostFactory(title="Just in", published_at=ago(minutes=1))

    assert "Just in" in lead(home(client))


@pytest.mark.parametrize("size", [2, 30])
def test_the_lead_costs_no_query(client, django_assert_num_queries, size):
    writers = [UserFactory(editor=True) for _ in range(2)]
    for hours in range(size):
        PostFactory(
            published_at=ago(hours=hours + 1),
            coauthors=writers[: hours % 3],
            featured_image=ImageFactory() if hours < 2 else None,
            categories=[CategoryFactory(name=f"Section {hours % 3}", slug=f"s{hours % 3}")],
        )
    # The shared pages' version, the next moment a post goes live or leaves
    # (blog.caching.visibility_changes_at), the posts counted and listed, their co-authors
    # (6 -> 7 with them), their categories, and the site's navigation: the same with a lead
    # as without, at any size.
    with django_assert_num_queries(7):
        assert lead(home(client))

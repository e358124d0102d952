"""The article kept rendered in the shared cache (blog.caching): every input of its HTML
moves its key, so a change shows on the very next load of a reader past the full-page
cache (a signed-in member)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services.profile import profile_update
from blog import services
from tests.factories import (
    CategoryFactory,
    ImageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    client.force_login(UserFactory())
    return client


@pytest.fixture
def post():
    now = timezone.now()
    PostFactory(title="The one before", published_at=now - timedelta(days=3))
    author = UserFactory(editor=True, display_name="Jane Doe")
    return PostFactory(
        title="Rivers in spring",
        body="<p>The water rises.</p>",
        author=author,
        featured_image=ImageFactory(alt_text="A river at dawn", caption="Dawn"),
        categories=[CategoryFactory(name="Analysis")],
        tags=[TagFactory(name="water")],
        published_at=now - timedelta(days=2),
    )


def article(client, post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.text.split('id="comments"')[0]


def test_a_warm_member_page_reads_only_the_version_for_its_article(
    member, post, django_assert_num_queries
):
    article(member, post)  # fills the caches
    # The session, the member, the shared pages' version, the discussion settings; the
    # page's shell (with the article and the thread) and the post's commenters cached.
    with django_assert_num_queries(4):
        html = article(member, post)
    assert "Rivers in spring" in html
    assert "The one before" in html
    assert "#water" in html
    assert "Analysis" in html
    assert "Jane Doe" in html


def test_the_cached_article_is_the_rendered_one(member, post):
    def page():
        # Less the CSRF and form tokens, made afresh for each request.
        html = member.get(post.get_absolute_url()).text
        return re.sub(r'name="(csrfmiddlewaretoken|token)" value="[^"]*"', "", html)

    cold = page()
    assert page() == cold


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Rivers in autumn"), ("body", "<p>The water falls.</p>"), ("excerpt", "Low tide")],
)
def test_a_post_edit_shows_at_once(member, post, field, value):
    article(member, post)
    setattr(post, field, value)
    services.post_save(post=post)
    assert value.removeprefix("<p>").removesuffix("</p>") in article(member, post)


def test_a_new_picture_and_an_edited_caption_show_at_once(member, post):
    article(member, post)
    post.featured_image.caption = "Dusk"
    post.featured_image.save()
    assert "Dusk" in article(member, post)
    post.featured_image = ImageFactory(alt_text="A lake at noon")
    services.post_save(post=post)
    assert 'alt="A lake at noon"' in article(member, post)


def test_a_renamed_category_shows_at_once(member, post):
    article(member, post)
    category = post.categories.get()
    category.name = "Opinion"
    category.save()
    assert "Opinion" in article(member, post)


def test_a_tag_added_or_renamed_shows_at_once(member, post):
    article(member, post)
    post.tags.add(TagFactory(name="floods"))
    assert "#floods" in article(member, post)
    tag = post.tags.get(name="water")
    tag.name = "rain"
    tag.save()
    assert "#rain" in article(member, post)


def test_the_authors_new_name_shows_at_once(member, post):
    article(member, post)
    author = post.author
    profile_update(
        user=author,
        display_name="Jane Roe",
        byline_title="Editor at large",
        bio="",
        notify_replies_default=True,
        notify_on_post_comments=True,
    )
    html = article(member, post)
    assert "Jane Roe" in html
    assert "Editor at large" in html


def test_a_neighbours_new_title_and_a_new_neighbour_show_at_once(member, post):
    article(member, post)
    before = PostFactory._meta.model.objects.get(title="The one before")
    before.title = "The one long before"
    services.post_save(post=before)
    assert "The one long before" in article(member, post)
    PostFactory(title="The one after", published_at=timezone.now() - timedelta(hours=1))
    assert "The one after" in article(member, post)


def test_an_unpublished_post_is_a_404_at_once(member, post):
    article(member, post)
    services.post_unpublish(post=post)
    assert member.get(post.get_absolute_url()).status_code == 404


def test_the_article_is_kept_per_address(member, post):
    html = article(member, post)
    assert 'href="http://testserver/' in html
    other = member.get(post.get_absolute_url(), HTTP_HOST="localhost").text
    assert 'href="http://localhost/' in other.split('id="comments"')[0]


def test_with_redis_stopped_the_member_page_is_drawn_and_follows_changes(
    redis_server, member, post, settings
):
    assert "Rivers in spring" in article(member, post)  # article, thread, commenters stored
    redis_server.stop(keep=True)
    post.title = "Rivers in flood"
    post.save()

    for _ in range(2):
        assert "Rivers in flood" in article(member, post)
    redis_server.start()
    settings.CACHE_RETRY_SECONDS = 0  # ask Redis at once, as a later request would
    # Back with its old entries, kept under the version before the change: none is found.
    assert redis_server.client.dbsize() > 0
    assert "Rivers in flood" in article(member, post)

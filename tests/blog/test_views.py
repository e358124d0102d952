"""The reader's pages through HTTP: content, visibility, 404s and query budgets."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    CategoryFactory,
    ImageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def html_datetime(moment) -> str:
    """How a <time datetime> writes ``moment``: local time to the second, with the offset."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S%z")


def _day_url(post) -> str:
    local = timezone.localtime(post.published_at)
    return f"/{local:%Y/%m/%d}/"


# --- Home ------------------------------------------------------------------


def test_home_lists_published_posts_sticky_first_then_newest(client):
    old = PostFactory(title="Old", published_at=timezone.now() - timedelta(days=3))
    new = PostFactory(title="New", published_at=timezone.now() - timedelta(hours=1))
    sticky = PostFactory(
        title="Sticky", is_sticky=True, published_at=timezone.now() - timedelta(days=9)
    )
    PostFactory(title="Secret draft", draft=True)
    PostFactory(title="Coming soon", scheduled=True)

    response = client.get("/")

    assert [p.title for p in response.context["page_obj"]] == [sticky.title, new.title, old.title]
    assert "Secret draft" not in response.text
    assert "Coming soon" not in response.text
    assert "Featured" in response.text


def test_home_card_shows_image_excerpt_author_date_category_and_discussion_link(client):
    category = CategoryFactory(name="Analysis", slug="analysis")
    image = ImageFactory(alt_text="A river at dawn")
    post = PostFactory(
        excerpt="What the water tells us.",
        featured_image=image,
        categories=[category],
        author=UserFactory(editor=True, display_name="Jane Doe"),
    )

    html = client.get("/").text

    assert 'alt="A river at dawn"' in html
    assert 'type="image/webp"' in html
    assert f'width="{image.width}"' in html
    assert "What the water tells us." in html
    assert "Jane Doe" in html
    assert f'datetime="{html_datetime(post.published_at)}"' in html
    assert 'href="/category/analysis/"' in html
    assert f'href="{post.get_absolute_url()}#comments"' in html


def test_home_is_paginated_and_a_missing_page_is_404(client):
    for _ in range(12):
        PostFactory()

    first = client.get("/")
    second = client.get("/?page=2")

    assert len(first.context["page_obj"]) == 10
    assert len(second.context["page_obj"]) == 2
    assert 'rel="next"' in first.text
    assert client.get("/?page=3").status_code == 404
    assert client.get("/?page=abc").status_code == 404


@pytest.mark.parametrize("page", ["%C2%B2", "%D9%A2", "+2", "%202", "2.0", "9" * 30, "0"])
def test_a_page_number_is_ascii_digits_only(client, page):
    # "²" passes str.isdigit() and "٢" passes int(); neither names a page.
    for _ in range(12):
        PostFactory()
    assert client.get(f"/?page={page}").status_code == 404


# --- Post page -------------------------------------------------------------


def test_post_page_shows_byline_date_image_caption_credit_body_and_terms(client):
    author = UserFactory(editor=True, display_name="Jane Doe", byline_title="Senior Researcher")
    image = ImageFactory(alt_text="Volunteers", caption="On the bank.", credit="Sam Lee")
    post = PostFactory(
        author=author,
        featured_image=image,
        body="<h2>Findings</h2><p>The <strong>river</strong> is cleaner.</p>",
        categories=[CategoryFactory(name="News", slug="news")],
        tags=[TagFactory(name="Rivers", slug="rivers")],
    )

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert f'<h1 id="post-title" class="post-title">{post.title}</h1>' in html
    assert "Jane Doe</a>, Senior Researcher" in html
    # To the second: HTML's datetime allows at most three digits of a fraction (W3C checker).
    assert post.published_at.microsecond
    assert f'<time datetime="{html_datetime(post.published_at)}">' in html
    assert "On the bank." in html
    assert "Photo credit: Sam Lee" in html
    assert "<h2>Findings</h2><p>The <strong>river</strong> is cleaner.</p>" in html
    assert 'href="/category/news/"' in html
    assert 'href="/tag/rivers/"' in html


def test_post_page_has_share_friendly_meta(client):
    image = ImageFactory(alt_text="Volunteers")
    post = PostFactory(excerpt="A short summary.", featured_image=image)

    html = client.get(post.get_absolute_url()).text

    canonical = f"http://testserver{post.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta name="description" content="A short summary.">' in html
    assert f'<meta property="og:title" content="{post.title}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:image" content="http://testserver/media/renditions/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_post_page_links_only_published_neighbours(client):
    now = timezone.now()
    before = PostFactory(title="Before", published_at=now - timedelta(days=3))
    PostFactory(title="Hidden draft", draft=True)
    post = PostFactory(title="Middle", published_at=now - timedelta(days=2))
    PostFactory(title="Unpublished later", status="draft", published_at=now - timedelta(days=1))
    PostFactory(title="Scheduled", scheduled=True)
    after = PostFactory(title="After", published_at=now - timedelta(hours=2))

    response = client.get(post.get_absolute_url())

    assert response.context["previous_post"] == before
    assert response.context["next_post"] == after


@pytest.mark.parametrize("state", [{"draft": True}, {"scheduled": True}])
def test_unpublished_posts_are_404_for_readers(client, state):
    post = PostFactory(**state)
    post.published_at = post.published_at or timezone.now()

    assert client.get(post.get_absolute_url()).status_code == 404


def test_post_at_the_wrong_date_or_an_impossible_date_is_404(client):
    post = PostFactory(slug="river")

    assert client.get(f"/1999/01/01/{post.slug}/").status_code == 404
    assert client.get("/2026/02/30/river/").status_code == 404


# --- Archives --------------------------------------------------------------


def test_category_archive_lists_only_its_published_posts_with_a_heading(client):
    analysis = CategoryFactory(name="Analysis", slug="analysis", description="Long reads.")
    mine = PostFactory(title="In analysis", categories=[analysis])
    PostFactory(title="Elsewhere")
    PostFactory(title="Draft in analysis", draft=True, categories=[analysis])

    response = client.get("/category/analysis/")

    assert [p.title for p in response.context["page_obj"]] == [mine.title]
    assert "Articles in Analysis" in response.text
    assert "Long reads." in response.text
    assert 'href="/category/analysis/feed/"' in response.text


def test_tag_and_author_archives_have_headings(client):
    tag = TagFactory(name="Rivers", slug="rivers")
    author = UserFactory(username="jane", editor=True, display_name="Jane Doe")
    PostFactory(tags=[tag], author=author)

    assert "Articles tagged “Rivers”" in client.get("/tag/rivers/").text
    assert "Articles by Jane Doe" in client.get("/author/jane/").text


def test_members_without_posts_have_no_public_author_page(client):
    UserFactory(username="reader")

    assert client.get("/author/reader/").status_code == 404


@pytest.mark.parametrize("path", ["/category/nope/", "/tag/nope/", "/author/nobody/"])
def test_unknown_archive_is_404(client, path):
    assert client.get(path).status_code == 404


def test_date_archives_list_the_period_and_empty_dates_are_404(client):
    post = PostFactory(published_at=timezone.make_aware(timezone.datetime(2026, 3, 14, 9, 30)))

    assert post in client.get("/2026/").context["page_obj"]
    month = client.get("/2026/03/")
    assert post in month.context["page_obj"]
    assert "Articles from March 2026" in month.text
    assert "Articles from 14 March 2026" in client.get("/2026/03/14/").text
    assert client.get("/2026/03/15/").status_code == 404
    assert client.get("/2025/").status_code == 404
    assert client.get("/2026/13/").status_code == 404
    assert client.get("/2026/02/30/").status_code == 404
    assert client.get("/0000/").status_code == 404


EDGES_OF_THE_CALENDAR = [
    "/9999/",
    "/9999/12/",
    "/9999/12/31/",
    "/9999/12/31/x/",
    "/9999/12/31/x/feed/",
    "/0000/",
    "/0000/01/",
    "/0000/01/01/",
    "/0000/01/01/x/",
    "/0000/01/01/x/feed/",
    "/0001/01/01/",
    "/0001/01/01/x/",
    "/0001/01/01/x/feed/",
    "/2026/00/",
    "/2026/00/01/x/",
    "/2026/01/00/x/feed/",
]


@pytest.mark.parametrize("time_zone", ["UTC", "Asia/Tokyo"])
@pytest.mark.parametrize("path", EDGES_OF_THE_CALENDAR)
def test_dates_at_the_edges_of_the_calendar_are_404(client, settings, time_zone, path):
    # The day after 31 December 9999 does not exist, and in Tokyo midnight on 1 January of
    # year 1 is still year 0 in UTC, which the database cannot store.
    settings.TIME_ZONE = time_zone
    PostFactory(slug="x")

    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/%D9%A2%D9%A0%D9%A2%D9%A6/", "/2026/%D9%A0%D9%A3/"])
def test_dates_are_written_in_ascii_digits_only(client, path):
    # "٢٠٢٦" is 2026 to int(); the one address of an archive uses 0-9.
    PostFactory(published_at=timezone.make_aware(timezone.datetime(2026, 3, 14, 9, 30)))

    assert client.get("/2026/03/").status_code == 200
    assert client.get(path).status_code == 404


def test_archive_answers_conditional_get_until_something_changes(client):
    category = CategoryFactory(slug="news")
    PostFactory(categories=[category], published_at=timezone.now() - timedelta(days=1))

    first = client.get("/category/news/")
    etag = first.headers["ETag"]
    again = client.get("/category/news/", HTTP_IF_NONE_MATCH=etag)
    PostFactory(categories=[category], published_at=timezone.now() - timedelta(minutes=1))
    changed = client.get("/category/news/", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert changed.status_code == 200


@pytest.mark.parametrize("kind", ["category", "tag", "author", "year", "month", "day"])
def test_every_archive_answers_conditional_get_until_a_post_joins_it(client, kind):
    author = UserFactory(username="writer", editor=True)
    category, tag = CategoryFactory(slug="news"), TagFactory(slug="rivers")
    when = timezone.now() - timedelta(hours=2)
    PostFactory(author=author, categories=[category], tags=[tag], published_at=when)
    local = timezone.localtime(when)
    url = {
        "category": "/category/news/",
        "tag": "/tag/rivers/",
        "author": "/author/writer/",
        "year": f"/{local:%Y}/",
        "month": f"/{local:%Y/%m}/",
        "day": f"/{local:%Y/%m/%d}/",
    }[kind]

    etag = client.get(url).headers["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    PostFactory(author=author, categories=[category], tags=[tag], published_at=when)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert changed.status_code == 200
    assert len(changed.context["page_obj"]) == 2


def test_archive_etag_differs_for_a_signed_in_reader(client):
    PostFactory(categories=[CategoryFactory(slug="news")])
    anonymous = client.get("/category/news/").headers["ETag"]
    client.force_login(UserFactory())

    assert client.get("/category/news/", HTTP_IF_NONE_MATCH=anonymous).status_code == 200


# --- Search ----------------------------------------------------------------


def test_search_finds_published_posts_by_title_excerpt_and_body(client):
    by_title = PostFactory(title="Floodplain meadows return")
    by_body = PostFactory(body="<p>New data on the floodplain shows more birds.</p>")
    PostFactory(title="Floodplain draft", draft=True)
    PostFactory(title="Unrelated", body="<p>Buses.</p>")

    response = client.get("/search/", {"q": "floodplain"})

    found = {post for post, _snippet in response.context["results"]}
    assert found == {by_title, by_body}
    assert "2 articles match “floodplain”" in response.text
    assert "<mark>floodplain</mark>" in response.text.lower()


def test_search_query_is_escaped_in_the_page(client):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word or two"),
        ("   ", "Type a word or two"),
        ("x" * 500, "That search is too long"),
        ("!!! ??? ***", "Please search with letters or numbers"),
    ],
)
def test_empty_or_absurd_search_gets_a_helpful_page(client, query, message):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert message in response.text


def test_a_search_with_a_null_byte_is_refused_in_plain_words(client):
    # No address of ours carries a NUL byte; the site-wide guard answers before the view.
    response = client.get("/search/", {"q": "a\x00b"})

    assert response.status_code == 400
    assert "null byte" in response.text


def test_search_with_no_results_says_so(client):
    PostFactory(title="Buses")

    response = client.get("/search/", {"q": "zeppelin"})

    assert "No articles match “zeppelin”" in response.text


# --- Query budgets ---------------------------------------------------------


def _dataset(size: int) -> None:
    categories = [CategoryFactory() for _ in range(max(2, size // 5))]
    tags = [TagFactory() for _ in range(max(2, size // 4))]
    author = UserFactory(editor=True)
    others = [UserFactory(editor=True) for _ in range(3)]
    image = ImageFactory()
    for i in range(size):
        PostFactory(
            author=author,
            coauthors=others[: i % 3],
            featured_image=image if i % 2 else None,
            categories=categories[: 1 + i % len(categories)],
            tags=tags[: 1 + i % len(tags)],
            published_at=timezone.now() - timedelta(hours=i + 1),
        )


@pytest.mark.parametrize("size", [3, 40])
def test_home_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, size):
    _dataset(size)

    # One more than the page's own for the header's sections and the footer's pages, the
    # first time (blog.caching.site_navigation_for), and one for the next moment a post
    # goes live or leaves (blog.caching.visibility_changes_at), kept from then on; one for
    # the co-authors of every post of the page (6 -> 7 with them).
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_archive_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, size):
    _dataset(size)
    category = CategoryFactory(slug="all")
    for post in PostFactory._meta.model.objects.all():
        post.categories.add(category)

    # With the next moment a post goes live or leaves (blog.caching.visibility_changes_at),
    # and one for the co-authors of every post of the page (7 -> 8 with them).
    with django_assert_max_num_queries(8):
        assert client.get("/category/all/").status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_post_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, size):
    _dataset(size)
    post = PostFactory._meta.model.objects.published().order_by("published_at")[size // 2]

    # The shared pages' version, post, co-authors, categories, tags, notes (corrections and
    # updates), two neighbours, then the discussion: settings and threads; the site's
    # navigation and the next moment a post goes live or leaves
    # (blog.caching.visibility_changes_at) the first time. (11 -> 12 with the co-authors.)
    with django_assert_max_num_queries(12):
        assert client.get(post.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_search_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries, size):
    _dataset(size)

    # The site's navigation under the shared pages' version, and the next moment a post
    # goes live or leaves (blog.caching.visibility_changes_at): all three the first time;
    # one for the co-authors of every result shown (6 -> 7 with them).
    with django_assert_max_num_queries(7):
        assert client.get("/search/", {"q": "article"}).status_code == 200


# --- Comment counts on cards -------------------------------------------------


def _card_discussion_link(html: str, post) -> str | None:
    """The text of the card's link to ``post``'s discussion, whitespace collapsed."""
    import re

    link = rf'<a href="{re.escape(post.get_absolute_url())}#comments">(.*?)</a>'
    match = re.search(link, html, re.S)
    if match is None:
        return None
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def _with_comments(post, published: int, **others: int):
    from comments.services import post_comments_bump
    from tests.factories import CommentFactory

    for _ in range(published):
        CommentFactory(post=post)
    for trait, count in others.items():
        for _ in range(count):
            CommentFactory(post=post, **{trait: True})
    post_comments_bump(post.pk)
    return post


def test_home_cards_count_published_comments(client):
    none = PostFactory(title="Quiet")
    one = _with_comments(PostFactory(title="Single"), 1, hidden=1, pending=1)
    many = _with_comments(PostFactory(title="Busy"), 3, spam=2)

    html = client.get("/").text

    assert _card_discussion_link(html, none) == "No comments yet on “Quiet”"
    assert _card_discussion_link(html, one) == "1 comment on “Single”"
    assert _card_discussion_link(html, many) == "3 comments on “Busy”"


def test_card_count_names_the_post_only_for_screen_readers(client):
    _with_comments(PostFactory(title="Busy"), 2)

    html = client.get("/").text

    assert '<span class="visually-hidden">on “Busy”</span>' in html


def test_card_hides_the_count_when_comments_are_off_and_there_are_none(client):
    closed_empty = PostFactory(title="Closed", comments_enabled=False)
    closed_busy = _with_comments(PostFactory(title="Was busy", comments_enabled=False), 2)

    html = client.get("/").text

    assert _card_discussion_link(html, closed_empty) is None
    assert f"{closed_empty.get_absolute_url()}#comments" not in html
    assert _card_discussion_link(html, closed_busy) == "2 comments on “Was busy”"


def test_archive_cards_count_comments_too(client):
    category = CategoryFactory(slug="news")
    post = _with_comments(PostFactory(title="Counted", categories=[category]), 4)

    html = client.get("/category/news/").text

    assert _card_discussion_link(html, post) == "4 comments on “Counted”"


def test_archive_etag_changes_when_a_post_gets_a_comment(client):
    from comments.services import post_comments_bump
    from tests.factories import CommentFactory

    category = CategoryFactory(slug="news")
    post = PostFactory(categories=[category])
    etag = client.get("/category/news/")["ETag"]
    assert client.get("/category/news/", headers={"if-none-match": etag}).status_code == 304
    CommentFactory(post=post)
    post_comments_bump(post.pk)
    response = client.get("/category/news/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "1 comment" in response.content.decode()

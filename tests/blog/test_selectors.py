from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils import timezone

from blog.models import Post, post_search_vector
from blog.selectors import post_search, search_snippet, search_terms
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_search_ranks_on_postgresql_and_matches_words_on_sqlite():
    in_body = PostFactory(
        title="Council budget", body="<p>A note on wetland funding.</p>",
        published_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    in_title = PostFactory(
        title="Wetland birds are back", body="<p>Counts rose.</p>",
        published_at=timezone.now() - timedelta(days=5),
    )  # fmt: skip

    found = list(post_search(query="wetland"))

    if connection.vendor == "postgresql":
        assert found == [in_title, in_body]  # a title match outranks a body match
    else:
        assert found == [in_body, in_title]  # newest first


def test_postgresql_search_can_use_the_gin_index():
    if connection.vendor != "postgresql":
        # SQLite has no full-text index; the search is a case-insensitive LIKE.
        sql = str(post_search(query="wetland").query).upper()
        assert "LIKE" in sql
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")

    plan = (
        Post.objects.alias(document=post_search_vector())
        .filter(document=SearchQuery("wetland", config="english"))
        .explain()
    )
    assert "blog_post_search_idx" in plan


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("river data", ["river", "data"]),
        ('"river" OR data', ["river", "data"]),
        ("-river", ["river"]),
        ("!!!", []),
        ("one two three four five six seven eight nine ten eleven", [
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        ]),
    ],
)  # fmt: skip
def test_search_terms_keep_words_only(query, expected):
    assert search_terms(query) == expected


def test_snippet_marks_matches_and_escapes_the_rest():
    post = Post(excerpt="", body="<p>Fish &amp; <b>chips</b> by the river <i>bank</i>.</p>")

    snippet = search_snippet(post=post, query="river")

    assert snippet == "Fish &amp; chips by the <mark>river</mark> bank."

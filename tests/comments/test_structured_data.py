"""The comments in the post page's schema.org data: every ld+json script on the page parsed
as a search engine reads it, with the types and properties Google asks of a ``Comment``
(author with a name, datePublished, text); only what every reader sees; following each
change on a warm cache; one comment page at a time; within issue 12's byte budget."""

import gzip
import json
import random
import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment
from comments.structured_data import EXCERPT_CHARS, excerpt
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SITE = "http://testserver"


def page(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def structured(html: str) -> tuple[dict, list[dict]]:
    """The page's article and the comments added to it, each script checked for what
    schema.org and Google ask of its types."""
    scripts = [json.loads(found) for found in SCRIPT.findall(html)]
    assert scripts, "no JSON-LD on the page"
    for data in scripts:
        assert data["@context"] == "https://schema.org"
    (article,) = [data for data in scripts if data.get("@type") == "NewsArticle"]
    assert article["headline"]
    assert all(person["name"] for person in article["author"])
    additions = [data for data in scripts if data is not article]
    assert len(additions) <= 1
    comments = additions[0]["comment"] if additions else []
    if additions:
        # No type of its own: it names the article, and adds its comments to it.
        assert set(additions[0]) == {"@context", "@id", "comment"}
        assert additions[0]["@id"] == article["@id"]
    for comment in comments:
        assert comment["@type"] == "Comment"
        assert comment["author"]["@type"] == "Person"
        assert comment["author"]["name"].strip()
        assert datetime.fromisoformat(comment["datePublished"]).tzinfo is not None
        assert comment["text"].strip()
        assert len(comment["text"]) <= EXCERPT_CHARS
        assert comment["url"].startswith(f"{SITE}/")
        anchor = comment["url"].rsplit("#", 1)[1]
        assert f'<li id="{anchor}"' in html  # the address leads to the comment shown
    return article, comments


def comments_of(address: str, client: Client | None = None) -> list[dict]:
    return structured(page(client or Client(), address))[1]


def by_author(comments: list[dict]) -> dict[str, dict]:
    return {comment["author"]["name"]: comment for comment in comments}


# --- What is said, and about whom ------------------------------------------------------


def test_each_top_level_comment_readers_see_is_a_comment_of_the_article(client):
    post = PostFactory()
    member = UserFactory(display_name="Amira Haddad")
    first = CommentFactory(
        post=post,
        member=True,
        user=member,
        body="The river was clearer in May.\n\nA second paragraph.",
        created_at=timezone.now() - timedelta(hours=3),
    )
    reply = CommentFactory(parent=first, guest_name="Ben Ortiz", body="It was.")
    CommentFactory(parent=reply, guest_name="Cat Lee", body="Agreed.")
    CommentFactory(parent=first, guest_name="Dan Held", status=Comment.Status.PENDING)
    second = CommentFactory(post=post, guest_name="Eve Guest", guest_email="eve@example.org")
    CommentFactory(post=post, guest_name="Hidden Harry", body="Rude words", hidden=True)
    CommentFactory(post=post, guest_name="Spam Sam", spam=True)
    services.post_comments_bump(post.pk)

    html = page(client, post.get_absolute_url())
    article, comments = structured(html)

    assert article["@id"] == f"{SITE}{post.get_absolute_url()}#article"
    assert [c["author"]["name"] for c in comments] == ["Amira Haddad", "Eve Guest"]
    said = by_author(comments)["Amira Haddad"]
    assert said["url"] == f"{SITE}{post.get_absolute_url()}#comment-{first.pk}"
    assert said["text"] == "The river was clearer in May. A second paragraph."
    assert datetime.fromisoformat(said["datePublished"]) == first.created_at.replace(microsecond=0)
    assert said["commentCount"] == 2  # the replies everyone sees, at any depth
    assert "dateModified" not in said
    assert "commentCount" not in by_author(comments)["Eve Guest"]
    assert by_author(comments)["Eve Guest"]["url"].endswith(f"#comment-{second.pk}")
    data = json.dumps([json.loads(found) for found in SCRIPT.findall(html)])
    for never in ("Hidden Harry", "Rude words", "Spam Sam", "Dan Held", "@example.org"):
        assert never not in data


def test_a_removed_comment_kept_for_its_replies_is_not_described():
    post = PostFactory()
    removed = CommentFactory(post=post, guest_name="Gone Gina", hidden=True)
    CommentFactory(parent=removed, guest_name="Reply Rob")
    CommentFactory(post=post, guest_name="Kept Kim")
    services.post_comments_bump(post.pk)

    html = page(Client(), post.get_absolute_url())

    assert f'id="comment-{removed.pk}"' in html  # its placeholder is on the page
    assert [c["author"]["name"] for c in structured(html)[1]] == ["Kept Kim"]


def test_a_discussion_with_no_comment_readers_see_adds_nothing():
    post = PostFactory()
    CommentFactory(post=post, pending=True)
    services.post_comments_bump(post.pk)

    html = page(Client(), post.get_absolute_url())

    assert len(SCRIPT.findall(html)) == 1
    assert structured(html)[1] == []


def test_a_moderator_and_a_comments_own_author_get_what_readers_get(moderator):
    post = PostFactory()
    CommentFactory(post=post, guest_name="Shown Sue")
    CommentFactory(post=post, guest_name="Hidden Hal", hidden=True)
    writer = UserFactory(display_name="Waiting Wendy")
    CommentFactory(post=post, member=True, user=writer, pending=True)
    services.post_comments_bump(post.pk)
    readers = comments_of(post.get_absolute_url())
    as_moderator, as_writer = Client(), Client()
    as_moderator.force_login(moderator)
    as_writer.force_login(writer)

    moderator_html = page(as_moderator, post.get_absolute_url())
    writer_html = page(as_writer, post.get_absolute_url())

    assert "Hidden Hal" in moderator_html  # their thread shows it, the data does not
    assert "Waiting Wendy" in writer_html
    assert structured(moderator_html)[1] == readers
    assert structured(writer_html)[1] == readers
    assert [c["author"]["name"] for c in readers] == ["Shown Sue"]


def test_a_name_or_text_that_would_close_the_script_stays_inside_it():
    post = PostFactory()
    name = '</script><script>alert("x")</script>'
    CommentFactory(post=post, guest_name=name, body="<!-- not a comment --> & </SCRIPT>")
    services.post_comments_bump(post.pk)

    html = page(Client(), post.get_absolute_url())

    assert '<script>alert("x")</script>' not in html
    (said,) = structured(html)[1]
    assert said["author"]["name"] == name
    assert said["text"] == "<!-- not a comment --> & </SCRIPT>"


def test_a_long_comment_is_cut_at_a_word_with_an_ellipsis():
    text = "Word " * 40
    cut = excerpt(text)
    assert len(cut) <= EXCERPT_CHARS
    assert cut.endswith("Word…")
    assert excerpt("Short and\n\nsweet.") == "Short and sweet."
    assert excerpt("x" * 200) == "x" * (EXCERPT_CHARS - 1) + "…"  # one long word: cut in it
    assert excerpt("a" * EXCERPT_CHARS) == "a" * EXCERPT_CHARS


# --- Following each change on a warm cache ----------------------------------------------


def warm(post) -> list[dict]:
    """The page's comments, loaded twice so the second comes from the caches."""
    comments_of(post.get_absolute_url())
    return comments_of(post.get_absolute_url())


def test_a_new_comment_is_added_at_the_next_load():
    post = PostFactory()
    CommentFactory(post=post, guest_name="First Fay")
    services.post_comments_bump(post.pk)
    assert len(warm(post)) == 1

    services.comment_create(
        post=post, body="Me too.", guest_name="Second Sid", guest_email="sid@example.org"
    )

    names = [c["author"]["name"] for c in comments_of(post.get_absolute_url())]
    assert names == ["First Fay", "Second Sid"]


def test_a_hidden_comment_leaves_at_the_next_load(moderator_client, guideline):
    post = PostFactory()
    CommentFactory(post=post, guest_name="Stays Stan")
    rude = CommentFactory(post=post, guest_name="Rude Rita")
    services.post_comments_bump(post.pk)
    assert "Rude Rita" in by_author(warm(post))

    response = moderator_client.post(
        reverse("comments:moderate", args=[rude.pk]), {"action": "hide", "guideline": guideline.pk}
    )

    assert response.status_code == 302
    assert list(by_author(comments_of(post.get_absolute_url()))) == ["Stays Stan"]


def test_an_edited_comment_shows_its_new_text_and_when_it_changed():
    post = PostFactory()
    member = UserFactory(display_name="Edie Tor")
    comment = services.comment_create(post=post, body="Teh typo", user=member)
    assert warm(post)[0]["text"] == "Teh typo"
    author = Client()
    author.force_login(member)

    response = author.post(reverse("comments:edit", args=[comment.pk]), {"body": "The typo"})

    assert response.status_code == 302
    (said,) = comments_of(post.get_absolute_url())
    assert said["text"] == "The typo"
    comment.refresh_from_db()
    assert datetime.fromisoformat(said["dateModified"]) == comment.edited_at.replace(microsecond=0)


def test_a_renamed_member_is_named_anew_at_the_next_load():
    post = PostFactory()
    member = UserFactory(display_name="Sam Reader")
    CommentFactory(
        post=post, member=True, user=member, created_at=timezone.now() - timedelta(days=1)
    )
    services.post_comments_bump(post.pk)
    assert list(by_author(warm(post))) == ["Sam Reader"]
    client = Client()
    client.force_login(member)

    response = client.post(
        reverse("accounts:profile"), {"display_name": "Samira Q", "byline_title": "", "bio": ""}
    )

    assert response.status_code == 302
    assert list(by_author(comments_of(post.get_absolute_url()))) == ["Samira Q"]


def test_the_same_page_at_another_address_names_that_address(settings):
    settings.ALLOWED_HOSTS = ["testserver", "news.example.org"]
    post = PostFactory()
    CommentFactory(post=post)
    services.post_comments_bump(post.pk)
    warm(post)

    html = page(Client(HTTP_HOST="news.example.org"), post.get_absolute_url())

    (said,) = next(json.loads(s) for s in SCRIPT.findall(html) if '"comment"' in s)["comment"]
    assert said["url"].startswith("http://news.example.org/")


# --- One comment page at a time ---------------------------------------------------------


def test_each_comment_page_describes_its_own_comments(discussion_settings):
    discussion_settings.comments_per_page = 2
    discussion_settings.save()
    post = PostFactory()
    start = timezone.now() - timedelta(hours=5)
    roots = [
        CommentFactory(post=post, guest_name=f"Reader {n}", created_at=start + timedelta(hours=n))
        for n in range(3)
    ]
    services.post_comments_bump(post.pk)

    first = comments_of(post.get_absolute_url())
    second = comments_of(f"{post.get_absolute_url()}?cpage=2")

    assert [c["author"]["name"] for c in first] == ["Reader 0", "Reader 1"]
    (last,) = second
    assert last["author"]["name"] == "Reader 2"
    assert last["url"] == f"{SITE}{post.get_absolute_url()}?cpage=2#comment-{roots[2].pk}"


# --- The byte budget (issue 12) ---------------------------------------------------------


def test_the_page_with_500_comments_stays_within_its_byte_budget():
    """The bench's discussion (bench/page_bytes.py, same seed): the first comment page, its
    50 threads and 492 comments, stays under 400 KB raw and 90 KB gzipped, and the
    structured data's share of it is bounded."""
    from bench import discussion_data

    rng = random.Random(2024)
    editor, members = discussion_data.build_people(rng)
    discussion = discussion_data.build_discussion(500, rng=rng, editor=editor, members=members)

    html = Client().get(discussion.url).content
    text = html.decode()
    _article, comments = structured(text)

    assert len(comments) == 50  # every top-level comment on the page
    (added,) = [s for s in SCRIPT.findall(text) if '"comment"' in s]
    assert len(added.encode()) / len(comments) <= 320
    assert len(html) < 400 * 1024, len(html)
    assert len(gzip.compress(html, compresslevel=6)) < 90 * 1024

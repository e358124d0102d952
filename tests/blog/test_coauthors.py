"""Co-authors (issue 16): a post's bylines in order ("By A and B"), each linked to its author
page, on every page that writes bylines, in the feeds, the JSON-LD and the sitemap; the rule
of who may have one; the admin's inline and its autocomplete; every change showing on warm
pages at the next request; a bounded number of queries."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import EDITORS
from accounts.services.profile import profile_update
from blog.bylines import names_joined
from blog.models import MAX_COAUTHORS, Post, PostCoauthor
from blog.selectors import byline_candidates
from blog.services import post_coauthors_set
from tests.blog.test_admin import CHANGELIST_MAX_QUERIES, post_form_data
from tests.blog.test_navigation import anonymous, member
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

NS = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/elements/1.1/"}
LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def writer(username: str, name: str, **fields):
    return UserFactory(username=username, display_name=name, editor=True, **fields)


@pytest.fixture
def ada():
    return writer("ada", "Ada Lovelace", byline_title="Data Editor")


@pytest.fixture
def ben():
    return writer("ben", "Ben Okri", byline_title="Reporter")


@pytest.fixture
def cai():
    return writer("cai", "Cai Wen")


@pytest.fixture
def post(ada, ben):
    return PostFactory(
        title="Rivers in spate",
        slug="rivers",
        author=ada,
        coauthors=[ben],
        published_at=timezone.now() - timedelta(days=1),
    )


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def bylines(html: str) -> list[str]:
    """Each byline paragraph's words, tags and spaces squeezed out."""
    found = re.findall(r'<p class="byline[^"]*">(.*?)(?: ·|</p>)', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", text).split()) for text in found]


def author_links(html: str) -> list[tuple[str, str]]:
    """(address, name) of the byline links, in order."""
    return re.findall(r'<a href="([^"]+)" rel="author">([^<]+)</a>', html)


# --- How bylines read -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "reads"),
    [
        (["A"], "A"),
        (["A", "B"], "A and B"),
        (["A", "B", "C"], "A, B and C"),
        (["A", "B", "C", "D"], "A, B, C and D"),
    ],
)
def test_names_are_joined_as_a_sentence(names, reads):
    assert names_joined(names) == reads


def test_the_post_page_names_every_byline_in_order_each_linked_to_its_page(client, post, cai):
    post_coauthors_set(post=post, coauthors=[cai, post.coauthors.get().user])
    html = get(client, post.get_absolute_url())

    assert bylines(html) == ["By Ada Lovelace, Cai Wen and Ben Okri"]
    assert author_links(html) == [
        ("/author/ada/", "Ada Lovelace"),
        ("/author/cai/", "Cai Wen"),
        ("/author/ben/", "Ben Okri"),
    ]
    for address, _name in author_links(html):
        assert "Rivers in spate" in get(client, address)


def test_one_byline_keeps_its_title_and_several_leave_titles_to_the_author_pages(client, ada, post):
    alone = PostFactory(author=ada, title="Alone")
    html = get(client, "/")
    assert "By Ada Lovelace, Data Editor" in bylines(html)
    assert "By Ada Lovelace and Ben Okri" in bylines(html)
    assert "Data Editor" in get(client, "/author/ada/")
    assert alone.title in html


def test_names_are_escaped_and_a_byline_without_a_page_is_not_linked(client, ada):
    gone = writer("gone", "<b>Old</b> & Co", is_active=True)
    post = PostFactory(author=ada, coauthors=[gone])
    gone.is_active = False
    gone.save()

    html = get(client, post.get_absolute_url())

    assert bylines(html) == ["By Ada Lovelace and &lt;b&gt;Old&lt;/b&gt; &amp; Co"]
    assert author_links(html) == [("/author/ada/", "Ada Lovelace")]


def test_every_list_writes_the_same_bylines(client, post):
    PostFactory(title="Something newer", published_at=timezone.now())
    for url in ["/", "/author/ben/", "/search/?q=spate", f"/{post.published_at:%Y}/"]:
        assert "By Ada Lovelace and Ben Okri" in bylines(get(client, url)), url


def test_a_draft_s_preview_names_its_bylines_without_links(client, ada, ben):
    draft = PostFactory(author=ada, coauthors=[ben], draft=True)
    client.force_login(ada)

    html = get(client, reverse("admin:blog_post_preview", args=[draft.pk]))

    assert bylines(html) == ["By Ada Lovelace and Ben Okri"]
    assert "not published yet" in html
    assert author_links(html) == []


# --- Author pages -----------------------------------------------------------------------


def test_a_co_author_s_page_lists_the_posts_they_share_and_lead(client, post, ben):
    led = PostFactory(author=ben, title="Ben writes alone")
    PostFactory(title="Someone else's")

    html = get(client, "/author/ben/")

    assert "Rivers in spate" in html
    assert led.title in html
    assert "Someone else's" not in html


def test_someone_only_ever_a_co_author_has_a_page_in_the_sitemap(client, post, ben):
    urls = get(client, reverse("sitemap"))

    assert "http://testserver/author/ben/" in urls
    assert "http://testserver/author/ada/" in urls


def test_a_co_author_of_drafts_only_has_no_page(client, ada, ben):
    PostFactory(author=ada, coauthors=[ben], draft=True)

    assert client.get("/author/ben/").status_code == 404
    assert "/author/ben/" not in get(client, reverse("sitemap"))


@pytest.mark.parametrize("size", [3, 25])
def test_an_author_page_runs_the_same_queries_whatever_the_number_of_posts(
    client, django_assert_num_queries, ben, ada, cai, size
):
    for n in range(size):
        if n % 2:
            PostFactory(author=ada, coauthors=[ben, cai][: n % 3 + 1])
        else:
            PostFactory(author=ben, coauthors=[cai] if n % 3 else [])

    # Not kept by any cache yet: the shared pages' version, the next moment a post goes
    # live or leaves, the author, the posts counted and listed, their co-authors, their
    # categories, the site's navigation.
    with django_assert_num_queries(8):
        html = get(client, "/author/ben/")
    assert len(bylines(html)) == min(size, 10)


# --- Feeds and structured data ----------------------------------------------------------


def test_rss_names_each_byline_as_a_dc_creator_in_order(client, post, cai):
    post_coauthors_set(post=post, coauthors=[cai, post.coauthors.get().user])

    rss = ET.fromstring(client.get(reverse("blog:feed")).content)  # noqa: S314 (ours)

    (item,) = rss.findall("./channel/item")
    creators = [c.text for c in item.findall("dc:creator", NS)]
    assert creators == ["Ada Lovelace", "Cai Wen", "Ben Okri"]


def test_atom_has_one_author_per_byline_with_their_page(client, post):
    feed = ET.fromstring(client.get(reverse("blog:feed_atom")).content)  # noqa: S314 (ours)

    (entry,) = feed.findall("atom:entry", NS)
    authors = [
        (a.findtext("atom:name", namespaces=NS), a.findtext("atom:uri", namespaces=NS))
        for a in entry.findall("atom:author", NS)
    ]
    assert authors == [
        ("Ada Lovelace", "http://testserver/author/ada/"),
        ("Ben Okri", "http://testserver/author/ben/"),
    ]


def test_a_new_co_author_changes_the_feed_s_etag(client, post, cai):
    first = client.get(reverse("blog:feed"))

    post_coauthors_set(post=post, coauthors=[cai])

    again = client.get(reverse("blog:feed"), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert b"Cai Wen" in again.content


def test_the_json_ld_names_each_byline_as_a_person_in_order(client, post):
    html = get(client, post.get_absolute_url())

    (article,) = [d for d in map(json.loads, LD.findall(html)) if d["@type"] == "NewsArticle"]
    assert article["author"] == [
        {"@type": "Person", "name": "Ada Lovelace", "url": "http://testserver/author/ada/"},
        {"@type": "Person", "name": "Ben Okri", "url": "http://testserver/author/ben/"},
    ]


# --- Who may have a byline; the service ------------------------------------------------


def test_bylines_are_for_active_staff_who_write(ada):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    UserFactory(username="mod", moderator=True)
    UserFactory(username="member")
    writer("retired", "Retired", is_active=False)
    UserFactory(username="exstaff", roles=[EDITORS])  # in the group, no longer staff

    found = list(byline_candidates().values_list("username", flat=True))

    assert found == ["ada", "boss"]


def test_setting_co_authors_orders_them_and_marks_the_post_changed(post, ben, cai):
    before = Post.objects.get(pk=post.pk).updated_at

    post_coauthors_set(post=post, coauthors=[cai, ben])

    post.refresh_from_db()
    assert [(link.user.username, link.position) for link in post.coauthors.all()] == [
        ("cai", 1),
        ("ben", 2),
    ]
    assert post.updated_at > before
    assert [person.username for person in post.bylines] == ["ada", "cai", "ben"]

    post_coauthors_set(post=post, coauthors=[])
    assert not PostCoauthor.objects.exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("lead", "Ada Lovelace is already the lead author."),
        ("twice", "Ben Okri is listed more than once."),
        ("member", "Mo Member cannot have a byline: only active staff who write articles can."),
        ("moderator", "Mo Mod cannot have a byline: only active staff who write articles can."),
    ],
)
def test_a_wrong_list_is_refused_with_a_reason_and_nothing_changes(
    post, ada, ben, cai, who, message
):
    people = {
        "lead": [ada],
        "twice": [ben, ben],
        "member": [UserFactory(display_name="Mo Member")],
        "moderator": [UserFactory(display_name="Mo Mod", moderator=True)],
    }[who]
    updated = Post.objects.get(pk=post.pk).updated_at

    with pytest.raises(ValidationError) as refused:
        post_coauthors_set(post=post, coauthors=[cai, *people])

    assert message in refused.value.messages
    assert [link.user for link in post.coauthors.all()] == [ben]
    assert Post.objects.get(pk=post.pk).updated_at == updated


def test_there_is_a_limit_to_co_authors(post):
    many = [UserFactory(editor=True) for _ in range(MAX_COAUTHORS + 1)]

    with pytest.raises(ValidationError, match=f"at most {MAX_COAUTHORS} co-authors"):
        post_coauthors_set(post=post, coauthors=many)
    post_coauthors_set(post=post, coauthors=many[:MAX_COAUTHORS])
    assert post.coauthors.count() == MAX_COAUTHORS


# --- Every change shows on warm pages at the next request -------------------------------


# (who, where): the full-page cache (anonymous home card and lead, post page, archive), a
# member's post page (a page shell, the article cache) and a member's author page.
READERS = [
    pytest.param(anonymous, "/", id="anonymous-home"),
    pytest.param(anonymous, "post", id="anonymous-post"),
    pytest.param(member, "post", id="member-post-shell"),
    pytest.param(anonymous, "/author/ada/", id="anonymous-author-page"),
    pytest.param(member, "/author/ada/", id="member-author-page"),
]


def warm(who, where, post) -> tuple[Client, str]:
    """A reader and an address whose caches hold the page (loaded twice)."""
    client, url = who(), post.get_absolute_url() if where == "post" else where
    get(client, url)
    assert "By Ada Lovelace and Ben Okri" in bylines(get(client, url))
    return client, url


@pytest.mark.parametrize(("who", "where"), READERS)
def test_an_added_co_author_shows_at_once(who, where, post, ben, cai):
    client, url = warm(who, where, post)

    post_coauthors_set(post=post, coauthors=[ben, cai])

    assert "By Ada Lovelace, Ben Okri and Cai Wen" in bylines(get(client, url))


@pytest.mark.parametrize(("who", "where"), READERS)
def test_a_removed_co_author_goes_at_once(who, where, post):
    client, url = warm(who, where, post)

    post_coauthors_set(post=post, coauthors=[])

    assert "By Ada Lovelace, Data Editor" in bylines(get(client, url))


@pytest.mark.parametrize(("who", "where"), READERS)
def test_reordered_co_authors_show_at_once(who, where, post, ben, cai):
    post_coauthors_set(post=post, coauthors=[ben, cai])
    client, url = who(), post.get_absolute_url() if where == "post" else where
    get(client, url)
    assert "By Ada Lovelace, Ben Okri and Cai Wen" in bylines(get(client, url))

    post_coauthors_set(post=post, coauthors=[cai, ben])

    assert "By Ada Lovelace, Cai Wen and Ben Okri" in bylines(get(client, url))


@pytest.mark.parametrize(("who", "where"), READERS)
def test_a_renamed_co_author_shows_at_once(who, where, post, ben):
    client, url = warm(who, where, post)

    profile_update(
        user=ben,
        display_name="Ben O. Okri",
        byline_title="Reporter",
        bio="",
        notify_replies_default=True,
        notify_on_post_comments=True,
    )

    assert "By Ada Lovelace and Ben O. Okri" in bylines(get(client, url))


# --- The admin --------------------------------------------------------------------------


@pytest.fixture
def editor_client(ada):
    client = Client()
    client.force_login(ada)
    return client


def coauthor_rows(post: Post | None, rows: list[tuple[object, int]], **overrides) -> dict:
    """The post's change form as the browser sends it, with these co-author rows (person,
    number), replacing the stored ones (marked for deletion)."""
    stored = list(post.coauthors.all()) if post else []
    data = post_form_data(**overrides)
    if post is not None:
        local = timezone.localtime(post.published_at)
        data |= {
            "title": post.title,
            "slug": post.slug,
            "status": post.status,
            "published_at_0": local.strftime("%Y-%m-%d"),
            "published_at_1": local.strftime("%H:%M:%S"),
        }
    data |= {
        "coauthors-TOTAL_FORMS": str(len(stored) + len(rows)),
        "coauthors-INITIAL_FORMS": str(len(stored)),
    }
    for n, link in enumerate(stored):
        data |= {
            f"coauthors-{n}-id": str(link.pk),
            f"coauthors-{n}-post": str(post.pk),
            f"coauthors-{n}-user": str(link.user_id),
            f"coauthors-{n}-position": str(link.position),
            f"coauthors-{n}-DELETE": "on",
        }
    for n, (person, position) in enumerate(rows, start=len(stored)):
        data |= {
            f"coauthors-{n}-user": str(person.pk),
            f"coauthors-{n}-position": str(position),
        }
    return data | overrides


def test_an_editor_adds_co_authors_in_order_on_a_new_post(editor_client, ada, ben, cai):
    response = editor_client.post(
        reverse("admin:blog_post_add"), coauthor_rows(None, [(ben, 2), (cai, 1)])
    )

    assert response.status_code == 302
    post = Post.objects.get(slug="a-new-article")
    assert [person.username for person in post.bylines] == ["ada", "cai", "ben"]


def test_an_editor_reorders_and_removes_co_authors(editor_client, post, ben, cai):
    url = reverse("admin:blog_post_change", args=[post.pk])

    response = editor_client.post(url, coauthor_rows(post, [(cai, 1), (ben, 2)]))
    assert response.status_code == 302
    post = Post.objects.get(pk=post.pk)
    assert [person.username for person in post.bylines] == ["ada", "cai", "ben"]

    editor_client.post(url, coauthor_rows(post, [(ben, 0)]))
    assert [person.username for person in Post.objects.get(pk=post.pk).bylines] == ["ada", "ben"]


def test_an_editor_reorders_by_changing_the_numbers_of_the_rows(editor_client, post, ben, cai):
    post_coauthors_set(post=post, coauthors=[ben, cai])
    first, second = post.coauthors.all()
    data = coauthor_rows(post, [])
    data |= {"coauthors-0-DELETE": "", "coauthors-1-DELETE": ""}
    data |= {"coauthors-0-position": "2", "coauthors-1-position": "1"}
    del data["coauthors-0-DELETE"], data["coauthors-1-DELETE"]

    response = editor_client.post(reverse("admin:blog_post_change", args=[post.pk]), data)

    assert response.status_code == 302
    assert [person.username for person in Post.objects.get(pk=post.pk).bylines] == [
        "ada",
        "cai",
        "ben",
    ]
    assert (first.user, second.user) == (ben, cai)


def test_rows_without_a_number_come_after_the_numbered_ones(editor_client, post, ben, cai):
    url = reverse("admin:blog_post_change", args=[post.pk])

    editor_client.post(url, coauthor_rows(post, [(cai, 0), (ben, 1)]))

    assert [person.username for person in Post.objects.get(pk=post.pk).bylines] == [
        "ada",
        "ben",
        "cai",
    ]


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("lead", "Ada Lovelace is already the lead author."),
        ("twice", "Cai Wen is listed more than once."),
        ("member", "Mo Member cannot have a byline: only active staff who write articles can."),
    ],
)
def test_the_form_refuses_a_wrong_list_with_the_reason_and_stores_nothing(
    editor_client, post, ada, ben, cai, who, message
):
    rows = {
        "lead": [(ada, 1)],
        "twice": [(cai, 1), (cai, 2)],
        "member": [(UserFactory(display_name="Mo Member"), 1)],
    }[who]
    url = reverse("admin:blog_post_change", args=[post.pk])

    response = editor_client.post(url, coauthor_rows(post, rows, title="Changed title"))

    assert response.status_code == 200
    assert message in response.text
    post = Post.objects.get(pk=post.pk)
    assert post.title == "Rivers in spate"
    assert [person.username for person in post.bylines] == ["ada", "ben"]


def test_the_autocomplete_offers_only_who_may_have_a_byline(editor_client, ada, ben):
    UserFactory(username="benny-member", display_name="Benny Member")
    UserFactory(username="ben-mod", display_name="Ben Moderator", moderator=True)

    response = editor_client.get(
        reverse("admin:blog_post_bylines_autocomplete"),
        {"term": "ben", "app_label": "blog", "model_name": "postcoauthor", "field_name": "user"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(ben.pk), "text": "Ben Okri"}]


def test_the_change_form_offers_the_autocomplete(editor_client, post):
    html = get(editor_client, reverse("admin:blog_post_change", args=[post.pk]))

    assert reverse("admin:blog_post_bylines_autocomplete") in html
    assert 'name="coauthors-0-position"' in html


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_only_those_who_may_write_posts_may_ask_the_autocomplete(client, who):
    if who != "anonymous":
        client.force_login(UserFactory(moderator=who == "moderator"))

    response = client.get(reverse("admin:blog_post_bylines_autocomplete"), {"term": "a"})

    assert response.status_code in {302, 403}
    assert b"results" not in response.content


def test_a_moderator_sees_the_bylines_but_cannot_change_them(client, post, cai):
    client.force_login(UserFactory(moderator=True))
    url = reverse("admin:blog_post_change", args=[post.pk])

    assert "Ben Okri" in get(client, url)
    assert client.post(url, coauthor_rows(post, [(cai, 1)])).status_code == 403
    assert [link.user.username for link in post.coauthors.all()] == ["ben"]


def test_a_co_author_gains_no_right_over_the_post(post, ben):
    ben.groups.clear()
    client = Client()
    client.force_login(ben)

    response = client.get(reverse("admin:blog_post_change", args=[post.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_of_posts_names_bylines_in_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries, ada, ben, cai, count
):
    for n in range(count):
        PostFactory(author=ada, coauthors=[ben, cai][: n % 3])

    # tests/blog/test_admin.py's bound for lists, and one query for every post's co-authors.
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES + 1):
        html = get(editor_client, reverse("admin:blog_post_changelist"))

    assert "By Ada Lovelace, Ben Okri and Cai Wen" in html

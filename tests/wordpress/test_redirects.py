"""Old WordPress addresses after an import: a 301 to what the import made, through HTTP."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from comments.services import post_comments_bump
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    ImageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)
from wordpress.models import ImportedObject

pytestmark = pytest.mark.django_db

Kind = ImportedObject.Kind


def imported(kind: str, wp_id: str, target, old_path: str = "") -> None:
    """What an import records for ``target``, made from WordPress object ``wp_id``."""
    ImportedObject.objects.create(kind=kind, wp_id=wp_id, object_id=target.pk, old_path=old_path)


def assert_moved(response, url: str) -> None:
    assert response.status_code == 301, response.status_code
    assert response["Location"] == url


@pytest.fixture
def post():
    post = PostFactory(slug="hello-world")
    imported(Kind.POST, "5", post, "/2013/01/10/hello-world/")
    return post


def test_post_by_id(client, post):
    assert_moved(client.get("/?p=5"), post.get_absolute_url())
    assert_moved(client.get("/index.php?p=5"), post.get_absolute_url())
    assert_moved(client.head("/?p=5"), post.get_absolute_url())


def test_page_id_and_p_also_find_posts_and_images(client, post):
    image = ImageFactory()
    imported(Kind.ATTACHMENT, "77", image)

    assert_moved(client.get("/?page_id=5"), post.get_absolute_url())
    assert_moved(client.get("/?p=77"), default_storage.url(image.file.name))
    assert_moved(client.get("/?attachment_id=77"), default_storage.url(image.file.name))


def test_category_tag_author(client, post):
    category = CategoryFactory(slug="news")
    imported(Kind.CATEGORY, "3", category, "/category/world/news/")
    TagFactory(slug="science")
    imported(Kind.AUTHOR, "ada", post.author, "/?author=2")

    assert_moved(client.get("/?cat=3"), "/category/news/")
    assert_moved(client.get("/?tag=science"), "/tag/science/")
    assert_moved(client.get("/?author=2"), f"/author/{post.author.username}/")


def test_feeds_and_search(client):
    assert_moved(client.get("/?feed=rss2"), reverse("blog:feed"))
    assert_moved(client.get("/?feed=atom"), reverse("blog:feed_atom"))
    assert_moved(client.get("/?feed=comments-rss2"), reverse("comments:feed"))
    assert_moved(client.get("/?s=tea+%26+cake"), "/search/?q=tea+%26+cake")


def test_what_readers_may_not_see_is_not_found(client):
    imported(Kind.POST, "6", PostFactory(draft=True))
    imported(Kind.POST, "7", PostFactory(scheduled=True))
    member = UserFactory()  # no published article: no author page
    imported(Kind.AUTHOR, "bob", member, "/?author=9")

    for address in ("/?p=6", "/?p=7", "/?author=9"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert "We can’t find that page" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "p=404",
        "p=abc",
        "p=",
        "p=-5",
        "p=%D9%A3",  # an Arabic-Indic digit
        "p=99999999999999999999999999",
        "p=5&p=6",
        "page_id=1.5",
        "cat=0",
        "tag=nothing-here",
        "tag=",
        "author=ada",
        "author=12",
        "attachment_id=1e3",
        "feed=nonsense",
    ],
)
def test_unknown_and_bad_ids_are_not_found_never_an_error(client, post, query):
    response = client.get(f"/?{query}")

    assert response.status_code == 404


def test_the_home_page_and_its_other_parameters_are_untouched(client, post):
    assert client.get("/").status_code == 200
    assert client.get("/?page=1").status_code == 200


def test_a_form_sent_to_such_an_address_is_not_redirected(client, post):
    assert client.post("/?p=5").status_code != 301


class TestCommentAnchors:
    def test_an_imported_comment_goes_to_its_permalink_then_its_page(self, client, post):
        comment = CommentFactory(post=post)
        post_comments_bump(post.pk)
        imported(Kind.COMMENT, "900", comment)

        response = client.get("/comments/wp/900/")

        assert_moved(response, f"/comments/{comment.pk}/")
        assert client.get(response["Location"])["Location"].endswith(f"#comment-{comment.pk}")

    def test_held_unknown_or_bad_comments_are_not_found(self, client, post):
        imported(Kind.COMMENT, "901", CommentFactory(post=post, pending=True))

        assert client.get("/comments/wp/901/").status_code == 404
        assert client.get("/comments/wp/902/").status_code == 404
        assert client.get("/comments/wp/abc/").status_code == 404
        assert client.get(f"/comments/wp/{'9' * 40}/").status_code == 404


class TestOldPermalinks:
    def test_a_path_that_would_be_not_found_moves_to_the_object(self, client, post):
        category = CategoryFactory(slug="child")
        imported(Kind.CATEGORY, "8", category, "/category/parent/child/")

        assert_moved(client.get("/category/parent/child/"), "/category/child/")
        assert_moved(client.get("/?p=5"), post.get_absolute_url())

    def test_a_changed_slug_still_finds_the_post(self, client, post):
        post.slug = "hello-again"
        post.save()

        assert_moved(client.get("/2013/01/10/hello-world/"), post.get_absolute_url())

    def test_non_ascii_paths_as_wordpress_encodes_them(self, client):
        category = CategoryFactory(slug="nihongo")
        imported(Kind.CATEGORY, "9", category, "/category/%e6%97%a5%e6%9c%ac/")

        assert_moved(client.get("/category/日本/"), "/category/nihongo/")
        assert_moved(client.get("/category/%E6%97%A5%E6%9C%AC/"), "/category/nihongo/")

    def test_a_path_with_its_query(self, client):
        category = CategoryFactory(slug="old")
        imported(Kind.CATEGORY, "10", category, "/archives/old.php?x=1")

        assert_moved(client.get("/archives/old.php?x=1"), "/category/old/")
        assert client.get("/archives/old.php?x=2").status_code == 404

    def test_a_draft_stays_not_found(self, client):
        imported(Kind.POST, "11", PostFactory(draft=True), "/2014/02/02/secret/")

        assert client.get("/2014/02/02/secret/").status_code == 404

    def test_a_page_that_answers_is_never_redirected(self, client, post):
        category = CategoryFactory(slug="news")
        imported(Kind.CATEGORY, "12", category, post.get_absolute_url())

        assert client.get(post.get_absolute_url()).status_code == 200


class TestWithThePageCache:
    """The home page is in the anonymous full-page cache; an old address never is."""

    def test_an_old_address_is_redirected_even_with_the_home_page_cached(
        self, post, django_assert_num_queries
    ):
        assert Client().get("/").status_code == 200
        with django_assert_num_queries(1):  # the shared pages' version: from the cache
            assert Client().get("/").status_code == 200

        for _ in range(2):
            assert_moved(Client().get("/?p=5"), post.get_absolute_url())
        assert Client().get("/?p=abc").status_code == 404

    def test_an_old_address_asked_first_does_not_become_the_home_page(self, post):
        assert_moved(Client().get("/?p=5"), post.get_absolute_url())
        assert Client().get("/?p=404").status_code == 404
        home = Client().get("/")

        assert home.status_code == 200
        assert_moved(Client().get("/?p=5"), post.get_absolute_url())
        assert Client().get("/?p=404").status_code == 404

    def test_the_cached_home_page_costs_one_query_as_before(self, post, django_assert_num_queries):
        Client().get("/", headers={"accept-encoding": "gzip"})
        with django_assert_num_queries(1):
            response = Client().get("/", headers={"accept-encoding": "gzip"})

        assert response["Content-Encoding"] == "gzip"


class TestPages:
    def make_page(self, **fields):
        from blog.models import Page
        from blog.services import page_save

        return page_save(Page(**fields))

    def test_page_id_and_p_find_a_published_page(self, client):
        about = self.make_page(title="About", slug="about", body="<p>Us.</p>", status="published")
        imported(Kind.PAGE, "2", about, "/about-us/")

        assert_moved(client.get("/?page_id=2"), "/about/")
        assert_moved(client.get("/?p=2"), "/about/")
        assert_moved(client.get("/about-us/"), "/about/")

    def test_a_draft_page_is_not_found(self, client):
        draft = self.make_page(title="Soon", slug="soon", body="<p>Soon.</p>", status="draft")
        imported(Kind.PAGE, "3", draft, "/coming-soon/")

        assert client.get("/?page_id=3").status_code == 404
        assert client.get("/coming-soon/").status_code == 404

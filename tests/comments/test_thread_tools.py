"""The discussion tools readers expect (issue 15), through HTTP: the thread oldest or
newest first (``?order=``), with the caches keyed on it; a thread's replies folding.

Pages are read as anonymous readers: a new ``Client`` goes through the full-page cache
(core.pagecache); one with the "just sent a form" cookie goes past it to the thread cache
(comments.caching)."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment
from comments.selectors.modes import post_discussion_get
from comments.threads import Order
from tests.factories import CommentFactory, PostFactory, build_discussion, comment_form_data

pytestmark = pytest.mark.django_db


def page(url: str, *, past_page_cache: bool = False) -> str:
    """The page at ``url`` as a new anonymous reader gets it."""
    reader = Client()
    if past_page_cache:
        reader.cookies[django_settings.PAGE_CACHE_FRESH_COOKIE] = "1"
    response = reader.get(url)
    assert response.status_code == 200
    return response.content.decode()


def shown_ids(html: str) -> list[int]:
    """The comments on the page, in reading order."""
    return [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)]


def thread_ids(html: str) -> list[int]:
    """The top-level comments on the page, in reading order."""
    return [int(pk) for pk in re.findall(r'<li id="comment-(\d+)" class="thread"', html)]


def numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<span class="comment-number">(\d+)\.</span>', html)]


@pytest.fixture
def per_page_5(discussion_settings):
    discussion_settings.comments_per_page = 5
    services.discussion_settings_save(settings=discussion_settings)
    return discussion_settings


@pytest.fixture
def post_with_threads(per_page_5):
    """Eleven threads, each a top-level comment with one reply, five threads a page."""
    post = PostFactory()
    roots = build_discussion(post, [1] * 11)
    services.post_comments_bump(post.pk)
    post.refresh_from_db()
    replies = {root.pk: Comment.objects.get(parent=root).pk for root in roots}
    return post, roots, replies


class TestOrder:
    def test_oldest_first_is_the_default(self, post_with_threads):
        post, roots, replies = post_with_threads
        html = page(post.get_absolute_url())
        assert thread_ids(html) == [root.pk for root in roots[:5]]
        assert shown_ids(html)[:3] == [roots[0].pk, replies[roots[0].pk], roots[1].pk]
        assert numbers(html) == [1, 2, 3, 4, 5]

    def test_newest_first_shows_the_newest_threads_first_with_their_replies_in_order(
        self, post_with_threads
    ):
        post, roots, replies = post_with_threads
        html = page(post.get_absolute_url() + "?order=newest")
        assert thread_ids(html) == [root.pk for root in roots[:5:-1]]
        assert shown_ids(html)[:3] == [roots[10].pk, replies[roots[10].pk], roots[9].pk]
        # Numbers still count by first posting.
        assert numbers(html) == [11, 10, 9, 8, 7]
        last = page(post.get_absolute_url() + "?order=newest&cpage=3")
        assert shown_ids(last) == [roots[0].pk, replies[roots[0].pk]]
        assert numbers(last) == [1]

    def test_a_reply_keeps_its_thread_in_place(self, post_with_threads):
        """A new reply to the oldest thread does not move it to the front: threads are
        ordered by their first comment."""
        post, roots, _ = post_with_threads
        CommentFactory(parent=roots[0])
        services.post_comments_bump(post.pk)
        html = page(post.get_absolute_url() + "?order=newest")
        assert shown_ids(html)[0] == roots[10].pk
        assert roots[0].pk not in shown_ids(html)

    def test_links_on_a_newest_first_page_stay_newest_first(self, post_with_threads):
        post, roots, _ = post_with_threads
        html = page(post.get_absolute_url() + "?order=newest&cpage=2")
        assert 'href="?order=newest&amp;cpage=3#comments"' in html
        assert 'href="?order=newest&amp;cpage=1#comments"' in html
        assert f'href="?order=newest&amp;cpage=2&amp;replyto={roots[5].pk}#respond"' in html
        # The sort links: the current one marked, the other one a plain link.
        assert re.search(
            r'href="\?order=newest#comments"\s+rel="nofollow"\s+aria-current="true"', html
        )
        assert re.search(
            rf'href="{re.escape(post.get_absolute_url())}#comments"\s*>oldest first', html
        )

    def test_links_on_the_default_page_carry_no_order(self, post_with_threads):
        post, roots, _ = post_with_threads
        html = page(post.get_absolute_url())
        assert "order=newest&amp;" not in html
        assert 'href="?cpage=2#comments"' in html
        assert f'href="?replyto={roots[0].pk}#respond"' in html
        assert re.search(
            rf'href="{re.escape(post.get_absolute_url())}#comments"\s+aria-current="true"', html
        )

    def test_the_canonical_address_stays_the_posts(self, post_with_threads):
        post, _, _ = post_with_threads
        html = page(post.get_absolute_url() + "?order=newest&cpage=2")
        assert f'<link rel="canonical" href="http://testserver{post.get_absolute_url()}">' in html
        assert 'name="robots"' not in html

    @pytest.mark.parametrize(
        "value", ["xyz", "", "NEWEST", "newest ", "oldest", "newest\u200b", "%00", "1"]
    )
    def test_any_other_value_is_the_default_order(self, post_with_threads, value):
        post, _, _ = post_with_threads
        response = Client().get(post.get_absolute_url(), {"order": value})
        assert response.status_code == 200
        html = response.content.decode()
        assert shown_ids(html) == shown_ids(page(post.get_absolute_url()))

    def test_a_repeated_parameter_takes_the_last(self, post_with_threads):
        post, roots, _ = post_with_threads
        html = page(post.get_absolute_url() + "?order=xyz&order=newest")
        assert shown_ids(html)[0] == roots[10].pk

    def test_a_page_past_the_end_is_a_404_in_either_order(self, post_with_threads):
        post, _, _ = post_with_threads
        assert Client().get(post.get_absolute_url() + "?order=newest&cpage=4").status_code == 404
        assert Client().get(post.get_absolute_url() + "?cpage=4").status_code == 404

    def test_a_single_comment_gets_no_sort_links(self):
        post = PostFactory()
        build_discussion(post, [0])
        services.post_comments_bump(post.pk)
        assert "newest first" not in page(post.get_absolute_url())


class TestPermalinks:
    def test_a_permalink_goes_to_the_default_order_unless_asked(self, client, post_with_threads):
        post, roots, replies = post_with_threads
        url = reverse("comments:permalink", args=[replies[roots[0].pk]])
        anchor = f"#comment-{replies[roots[0].pk]}"
        assert client.get(url)["Location"] == post.get_absolute_url() + anchor
        newest = client.get(url + "?order=newest")["Location"]
        assert newest == f"{post.get_absolute_url()}?order=newest&cpage=3{anchor}"
        assert client.get(url + "?order=xyz")["Location"] == post.get_absolute_url() + anchor
        newest_root = reverse("comments:permalink", args=[roots[10].pk]) + "?order=newest"
        assert client.get(newest_root)["Location"] == (
            f"{post.get_absolute_url()}?order=newest#comment-{roots[10].pk}"
        )

    def test_the_page_a_permalink_names_shows_the_comment(self, client, post_with_threads):
        _, roots, _ = post_with_threads
        for root in roots:
            for order in ("", "?order=newest"):
                location = client.get(reverse("comments:permalink", args=[root.pk]) + order)
                html = page(location["Location"].split("#")[0])
                assert root.pk in shown_ids(html)


class TestCaches:
    def test_each_order_has_its_own_thread_in_the_cache(self, post_with_threads):
        from django.core.cache import cache

        from comments.caching import thread_cache_key

        post, roots, _ = post_with_threads
        oldest = page(post.get_absolute_url(), past_page_cache=True)
        newest = page(post.get_absolute_url() + "?order=newest", past_page_cache=True)
        settings, mode = post_discussion_get(post=post)
        for order in Order:
            key = thread_cache_key(
                post=post,
                settings=settings,
                page=1,
                mode=mode,
                origin="http://testserver",
                order=order,
            )
            assert cache.get(key) is not None
        # From the warm thread cache each order is still itself.
        assert shown_ids(page(post.get_absolute_url(), past_page_cache=True)) == shown_ids(oldest)
        again = page(post.get_absolute_url() + "?order=newest", past_page_cache=True)
        assert shown_ids(again) == shown_ids(newest)
        assert shown_ids(again)[0] == roots[10].pk
        assert shown_ids(oldest)[0] == roots[0].pk
        # A misspelt order shares the default's thread.
        assert shown_ids(page(post.get_absolute_url() + "?order=x", past_page_cache=True)) == (
            shown_ids(oldest)
        )

    @pytest.mark.parametrize("past_page_cache", [False, True], ids=["page cache", "thread cache"])
    def test_a_new_comment_shows_in_both_orders_from_a_warm_cache(
        self, post_with_threads, settings, past_page_cache, django_assert_num_queries
    ):
        settings.COMMENT_FORM_MIN_SECONDS = 0
        post, roots, replies = post_with_threads
        urls = {
            order: post.get_absolute_url() + q
            for order, q in [("oldest", ""), ("newest", "?order=newest")]
        }
        before = {order: page(url, past_page_cache=past_page_cache) for order, url in urls.items()}
        if not past_page_cache:
            # Both orders are now whole pages in the shared page cache: one query each.
            for url in urls.values():
                with django_assert_num_queries(1):
                    assert Client().get(url).status_code == 200
        assert shown_ids(before["newest"])[0] == roots[10].pk

        sent = Client().post(
            reverse("comments:post", args=[post.pk]),
            comment_form_data(body="A new thread, posted last."),
            HTTP_SEC_FETCH_SITE="same-origin",
        )
        assert sent.status_code == 302
        new = Comment.objects.get(body="A new thread, posted last.")
        reply_sent = Client().post(
            reverse("comments:post", args=[post.pk]),
            comment_form_data(
                body="A reply to the first thread.", parent=roots[0].pk, email="b@example.org"
            ),
            HTTP_SEC_FETCH_SITE="same-origin",
        )
        assert reply_sent.status_code == 302
        reply = Comment.objects.get(body="A reply to the first thread.")

        newest = page(urls["newest"], past_page_cache=past_page_cache)
        assert shown_ids(newest)[0] == new.pk
        assert numbers(newest) == [12, 11, 10, 9, 8]
        oldest = page(urls["oldest"], past_page_cache=past_page_cache)
        assert reply.pk in shown_ids(oldest)
        assert new.pk not in shown_ids(oldest)
        last_oldest = page(post.get_absolute_url() + "?cpage=3", past_page_cache=past_page_cache)
        assert shown_ids(last_oldest) == [roots[10].pk, replies[roots[10].pk], new.pk]

    @pytest.mark.parametrize("sizes", [[1] * 3, [9] * 500], ids=["5 comments", "5000 comments"])
    def test_newest_first_runs_the_same_queries_as_the_default(
        self, client, django_assert_num_queries, sizes
    ):
        post = PostFactory()
        build_discussion(post, sizes)
        services.post_comments_bump(post.pk)
        # As the default order (tests/comments/test_views.py::TestQueryBudgetAndCache: 13,
        # with the post's notes of corrections and updates and its co-authors).
        with django_assert_num_queries(13):
            assert client.get(post.get_absolute_url() + "?order=newest").status_code == 200
        client.cookies[django_settings.PAGE_CACHE_FRESH_COOKIE] = "1"
        with django_assert_num_queries(2):
            client.get(post.get_absolute_url() + "?order=newest")


class TestFolding:
    def test_each_thread_with_replies_folds_them_under_a_summary(self, post_with_threads):
        post, roots, replies = post_with_threads
        html = page(post.get_absolute_url())
        for root in roots[:5]:
            thread = html.split(f'<li id="comment-{root.pk}" class="thread">')[1]
            assert thread.split("<details open><summary>")[1].startswith(
                "<span>Hide</span><span>Show</span> 1 reply</summary><ol>\n"
                f'<li id="comment-{replies[root.pk]}">'
            )

    def test_a_lone_comment_has_nothing_to_fold(self):
        post = PostFactory()
        build_discussion(post, [0, 0, 2])
        services.post_comments_bump(post.pk)
        html = page(post.get_absolute_url())
        assert html.count("<details open>") == 1
        assert "<span>Show</span> 2 replies</summary>" in html


def newest_link(html: str) -> tuple[int, str] | None:
    """The "Go to the newest comment" link's comment id and address, or None."""
    found = re.search(r'id="comments-newest"\s+data-newest="(\d+)"\s+href="([^"]*)"', html)
    return (int(found[1]), found[2]) if found else None


class TestJumpToTheNewest:
    def test_the_link_leads_to_the_newest_published_comment_on_any_page(self, post_with_threads):
        post, roots, replies = post_with_threads
        newest = replies[roots[10].pk]
        permalink = reverse("comments:permalink", args=[newest])
        # Not on page 1 oldest first: its permalink, which finds the page.
        assert newest_link(page(post.get_absolute_url())) == (newest, permalink)
        # On the page that shows it: its anchor.
        last = page(post.get_absolute_url() + "?cpage=3")
        assert newest_link(last) == (newest, f"#comment-{newest}")
        assert newest_link(page(post.get_absolute_url() + "?order=newest")) == (
            newest,
            f"#comment-{newest}",
        )
        # A newest reply in an old thread, read newest first: the permalink in that order.
        late = CommentFactory(parent=roots[0])
        services.post_comments_bump(post.pk)
        assert newest_link(page(post.get_absolute_url() + "?order=newest")) == (
            late.pk,
            reverse("comments:permalink", args=[late.pk]) + "?order=newest",
        )

    def test_a_comment_readers_cannot_see_is_never_the_newest(self, post_with_threads):
        post, roots, replies = post_with_threads
        for status in ("pending", "hidden", "spam"):
            CommentFactory(parent=roots[3], status=status)
        services.post_comments_bump(post.pk)
        assert newest_link(page(post.get_absolute_url()))[0] == replies[roots[10].pk]

    def test_no_comment_no_link(self):
        post = PostFactory()
        assert newest_link(page(post.get_absolute_url())) is None

    @pytest.mark.parametrize("past_page_cache", [False, True], ids=["page cache", "thread cache"])
    @pytest.mark.parametrize("query", ["", "?order=newest", "?cpage=2"])
    def test_a_new_comment_moves_the_link_on_a_warm_cache(
        self, post_with_threads, past_page_cache, query, settings, moderator, guideline
    ):
        settings.COMMENT_FORM_MIN_SECONDS = 0
        post, roots, _ = post_with_threads
        url = post.get_absolute_url() + query
        page(url, past_page_cache=past_page_cache)
        reply = Client().post(
            reverse("comments:post", args=[post.pk]),
            comment_form_data(body="The newest word.", parent=roots[2].pk),
            HTTP_SEC_FETCH_SITE="same-origin",
        )
        assert reply.status_code == 302
        new = Comment.objects.get(body="The newest word.")
        assert newest_link(page(url, past_page_cache=past_page_cache))[0] == new.pk
        # Hiding it moves the link back.
        services.comment_hide(comment=new, moderator=moderator, guideline=guideline)
        assert newest_link(page(url, past_page_cache=past_page_cache))[0] != new.pk

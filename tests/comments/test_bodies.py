"""The stored HTML of comment bodies (``Comment.body_html``): written by the services that
store or change a body, filled for older rows by a migration, rewritten by
``manage.py rerender_comment_bodies``, and what the thread shows."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from blog.models import Post
from comments import services
from comments.models import Comment
from comments.rendering import comment_body_html
from tests.factories import CommentFactory, PostFactory, UserFactory

BODY = "Fish & chips <b>here</b>:\nsee www.example.org/menu.\n\n\nSecond paragraph"
BODY_HTML = (
    "<p>Fish &amp; chips &lt;b&gt;here&lt;/b&gt;:<br>see "
    '<a href="http://www.example.org/menu" rel="nofollow ugc noopener">www.example.org/menu</a>.'
    "</p>\n\n<p>Second paragraph</p>"
)


def stored(comment: Comment) -> str:
    return Comment.objects.values_list("body_html", flat=True).get(pk=comment.pk)


def version(post_id: int) -> int:
    return Post.objects.values_list("comment_version", flat=True).get(pk=post_id)


def thread_of(client, post) -> str:
    html = client.get(post.get_absolute_url()).content.decode()
    return html[html.index('<ol class="comment-list">') : html.rindex("</ol>")]


@pytest.mark.django_db
class TestWrittenByTheServices:
    def test_a_new_comment_is_stored_with_its_body_as_html(self):
        comment = services.comment_create(
            post=PostFactory(), body=BODY, guest_name="Jo", guest_email="jo@example.org"
        )
        assert comment.body_html == BODY_HTML
        assert stored(comment) == BODY_HTML

    def test_an_edit_rewrites_the_stored_html(self):
        member = UserFactory()
        comment = services.comment_create(post=PostFactory(), body="Frist!", user=member)
        services.comment_edit(comment=comment, user=member, body=BODY)
        assert stored(comment) == BODY_HTML

    def test_a_purge_erases_the_stored_html_with_the_text(self):
        comment = services.comment_create(
            post=PostFactory(), body=BODY, guest_name="Jo", guest_email="jo@example.org"
        )
        admin = UserFactory(is_staff=True, is_superuser=True)
        services.comment_purge(comment=comment, actor=admin)
        assert stored(comment) == comment_body_html("") == "<p></p>"
        assert comment.body_html == "<p></p>"

    def test_each_naughty_string_is_stored_as_the_html_it_renders_to(
        self, no_flood, naughty_strings
    ):
        post = PostFactory()
        for i, text in enumerate(naughty_strings):
            try:
                comment = services.comment_create(
                    post=post, body=text, guest_name=f"Guest {i}", guest_email=f"g{i}@example.org"
                )
            except services.CommentRefused:
                continue
            comment.refresh_from_db()
            assert comment.body_html == comment_body_html(comment.body), text
        assert Comment.objects.count() > len(naughty_strings) * 0.9


@pytest.mark.django_db
class TestTheThreadShowsTheStoredHtml:
    def test_the_thread_shows_the_stored_html_not_a_new_rendering(self, client):
        comment = CommentFactory(body="Plain words")
        Comment.objects.filter(pk=comment.pk).update(body_html="<p>Stored version</p>")
        html = thread_of(client, comment.post)
        assert "<p>Stored version</p>" in html
        assert "Plain words" not in html

    def test_a_row_without_stored_html_is_rendered_from_its_text(self, client):
        comment = CommentFactory(body=BODY)
        assert stored(comment) == ""
        assert BODY_HTML in thread_of(client, comment.post)

    def test_the_page_is_the_same_with_stored_html_as_without(self, client, naughty_strings):
        post = PostFactory()
        for text in naughty_strings[:120]:
            CommentFactory(post=post, body=text)
        services.post_comments_bump(post.pk)
        rendered_each_time = thread_of(client, post)
        Comment.objects.update(body_html="")  # nothing stored: each body rendered
        services.comment_bodies_rerender()
        assert Comment.objects.filter(body_html="").count() == 0
        assert thread_of(client, post) == rendered_each_time


@pytest.mark.django_db
class TestRerenderCommand:
    def test_stale_and_missing_html_is_rewritten_and_only_their_posts_move(self):
        stale = CommentFactory(body=BODY)
        missing = CommentFactory(body="Hello www.example.org")
        current = services.comment_create(
            post=PostFactory(), body="Up to date", guest_name="Jo", guest_email="jo@example.org"
        )
        Comment.objects.filter(pk=stale.pk).update(body_html="<p>written by older rules</p>")
        before = {c.post_id: version(c.post_id) for c in (stale, missing, current)}
        out = StringIO()
        call_command("rerender_comment_bodies", "--batch-size", "1", stdout=out)
        assert stored(stale) == BODY_HTML
        assert stored(missing) == comment_body_html("Hello www.example.org")
        assert stored(current) == "<p>Up to date</p>"
        assert version(stale.post_id) == before[stale.post_id] + 1
        assert version(missing.post_id) == before[missing.post_id] + 1
        assert version(current.post_id) == before[current.post_id]
        assert "2 comment bodies rewritten, on 2 posts" in out.getvalue()

    def test_a_second_run_changes_nothing(self):
        comment = CommentFactory(body=BODY)
        call_command("rerender_comment_bodies", stdout=StringIO())
        moved = version(comment.post_id)
        out = StringIO()
        call_command("rerender_comment_bodies", stdout=out)
        assert version(comment.post_id) == moved
        assert "0 comment bodies rewritten" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_html_of_comments_stored_before_it():
    older = [CommentFactory(body=BODY), CommentFactory(body=""), CommentFactory(body="a\r\nb")]
    already = CommentFactory(body="Kept")
    Comment.objects.filter(pk=already.pk).update(body_html="<p>Kept as it was</p>")
    executor = MigrationExecutor(connection)
    executor.migrate([("comments", "0004_comment_body_html")])
    executor.loader.build_graph()
    executor.migrate([("comments", "0005_fill_comment_body_html")])
    assert [stored(c) for c in older] == [BODY_HTML, "<p></p>", "<p>a<br>b</p>"]
    assert stored(already) == "<p>Kept as it was</p>"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

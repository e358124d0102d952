"""The import's mapping rules, and the cases the Theme Unit Test export does not have."""

from datetime import UTC, datetime

import pytest

from accounts.models import User
from blog.models import Page, Post
from comments.models import Comment
from comments.services import ip_hash
from tests.factories import PostFactory, UserFactory
from tests.wordpress.wxr_files import author, comment, item, write, wxr
from wordpress.importer import import_wordpress
from wordpress.mapping import (
    comment_status_for,
    comment_text,
    old_path_of,
    post_status_for,
    slug_for,
    wordpress_login,
)
from wordpress.models import ImportedObject
from wordpress.summary import Progress

# --- Plain rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wp_status", "has_password", "expected"),
    [
        ("publish", False, Post.Status.PUBLISHED),
        ("future", False, Post.Status.PUBLISHED),
        ("publish", True, Post.Status.DRAFT),
        ("future", True, Post.Status.DRAFT),
        ("draft", False, Post.Status.DRAFT),
        ("pending", False, Post.Status.DRAFT),
        ("private", False, Post.Status.DRAFT),
        ("trash", False, None),
        ("auto-draft", False, None),
        ("inherit", False, None),
    ],
)
def test_post_status_never_makes_public_what_was_not(wp_status, has_password, expected):
    assert post_status_for(wp_status, has_password=has_password) == expected


@pytest.mark.parametrize(
    ("approved", "expected"),
    [
        ("1", Comment.Status.PUBLISHED),
        ("0", Comment.Status.PENDING),
        ("spam", Comment.Status.SPAM),
        ("trash", Comment.Status.HIDDEN),
        ("post-trashed", Comment.Status.HIDDEN),
        ("something new", Comment.Status.PENDING),
    ],
)
def test_comment_status_follows_wordpress_approval(approved, expected):
    assert comment_status_for(approved) == expected


@pytest.mark.parametrize(
    ("wp_slug", "name", "expected"),
    [
        ("hello-world", "Hello", "hello-world"),
        ("%e6%bc%a2%e5%ad%97", "Caf\u00e9 au lait", "cafe-au-lait"),
        ("", "Untitled thoughts", "untitled-thoughts"),
        ("", "\u6f22\u5b57", "post-7"),
    ],
)
def test_slugs_are_ascii_from_the_slug_then_the_name(wp_slug, name, expected):
    assert slug_for(wp_slug, name=name, fallback="post-7", max_length=200) == expected


def test_comment_html_becomes_plain_text_with_its_paragraphs():
    raw = "<p>First &amp; <strong>best</strong>.</p><p>Second<br/>line</p><script>x()</script>"

    assert comment_text(raw) == "First & best.\n\nSecond\nline"


def test_old_paths_keep_the_query_of_an_unpretty_link():
    assert old_path_of("http://example.org/2013/01/10/hello/") == "/2013/01/10/hello/"
    assert old_path_of("http://example.org/?p=1164") == "/?p=1164"


def test_stray_characters_around_a_login_are_dropped():
    assert wordpress_login(">themereviewteam") == "themereviewteam"
    assert wordpress_login("jane doe") == "jane doe"


# --- Imports of small exports -----------------------------------------------------------

DB = pytest.mark.django_db


@DB
def test_an_author_with_an_existing_accounts_address_is_that_account(tmp_path):
    member = UserFactory(username="alice-here", email="ALICE@example.org")
    password = member.password

    import_wordpress(write(tmp_path, wxr(author(1, "alice"), item(10, author="alice"))))

    member.refresh_from_db()
    assert User.objects.count() == 1
    assert Post.objects.get().author == member
    assert member.password == password
    assert not member.is_staff


@DB
def test_a_slug_taken_on_the_same_day_gets_a_number(tmp_path):
    PostFactory(slug="post-10", published_at=datetime(2013, 1, 10, 9, 0, tzinfo=UTC))

    import_wordpress(write(tmp_path, wxr(author(1, "alice"), item(10))))

    imported = ImportedObject.objects.target("post", "10")
    assert imported.slug == "post-10-2"


@DB
def test_without_a_gmt_date_the_local_one_is_read_in_the_sites_time_zone(tmp_path, settings):
    settings.TIME_ZONE = "Europe/Paris"
    export = wxr(
        author(1, "alice"),
        item(10, date="2013-07-10 12:00:00", date_gmt="0000-00-00 00:00:00"),
    )

    import_wordpress(write(tmp_path, export))

    assert Post.objects.get().published_at == datetime(2013, 7, 10, 10, 0, tzinfo=UTC)


@DB
def test_a_comments_ip_is_kept_only_as_the_sites_hash(tmp_path):
    export = wxr(author(1, "alice"), item(10, comments=[comment(5, ip="203.0.113.9")]))

    import_wordpress(write(tmp_path, export))

    stored = Comment.objects.get()
    assert stored.ip_hash == ip_hash("203.0.113.9")
    assert "203.0.113.9" not in str(Comment.objects.values().get())


@DB
def test_a_member_comment_is_linked_through_the_authors_wordpress_id(tmp_path):
    export = wxr(
        author(7, "alice"),
        item(10, comments=[comment(5, user_id=7, email="other@example.net", author="Al")]),
    )

    import_wordpress(write(tmp_path, export))

    stored = Comment.objects.get()
    assert stored.user.username == "alice"
    assert (stored.guest_name, stored.guest_email) == ("", "")


@DB
def test_spam_and_binned_comments_are_kept_out_of_sight(tmp_path):
    export = wxr(
        author(1, "alice"),
        item(10, comments=[comment(5, approved="spam"), comment(6, approved="trash"), comment(7)]),
    )

    import_wordpress(write(tmp_path, export))

    assert dict(Comment.objects.values_list("body", "status")) == {
        "Comment 5.": Comment.Status.SPAM,
        "Comment 6.": Comment.Status.HIDDEN,
        "Comment 7.": Comment.Status.PUBLISHED,
    }
    assert Post.objects.get().comment_count == 1


@DB
def test_a_reply_listed_before_its_parent_still_hangs_under_it(tmp_path):
    export = wxr(author(1, "alice"), item(10, comments=[comment(6, parent=5), comment(5)]))

    import_wordpress(write(tmp_path, export))

    reply = Comment.objects.get(body="Comment 6.")
    assert reply.parent.body == "Comment 5."
    assert reply.thread_id == reply.parent_id
    assert reply.depth == 1


@DB
def test_a_channel_sticky_list_makes_posts_sticky(tmp_path):
    export = wxr(author(1, "alice"), item(10), item(11)).replace(
        "</wp:base_blog_url>", "</wp:base_blog_url>\n<wp:sticky_posts>11</wp:sticky_posts>"
    )

    import_wordpress(write(tmp_path, export))

    assert list(Post.objects.filter(is_sticky=True).values_list("title", flat=True)) == ["Post 11"]


@DB
def test_progress_reports_bytes_and_counts_up_to_the_whole_file(tmp_path):
    path = write(tmp_path, wxr(author(1, "alice"), *(item(n) for n in range(5))))
    seen: list[Progress] = []

    import_wordpress(path, progress=seen.append)

    assert seen[-1].done_bytes == seen[-1].total_bytes == path.stat().st_size
    assert seen[-1].counts["post"] == 5


@DB
def test_the_summary_is_plain_json(tmp_path):
    summary = import_wordpress(
        write(tmp_path, wxr(author(1, "alice"), item(10, post_type="wp_block")))
    )

    assert summary.as_dict() == {
        "created": {"author": 1},
        "updated": {},
        "unchanged": {},
        "skipped": [
            {
                "kind": "wp_block",
                "wp_id": "10",
                "title": "Post 10",
                "reason": "WordPress “wp_block” items have no counterpart in Tribune.",
            }
        ],
        "dry_run": False,
    }


@DB
def test_each_object_keeps_its_old_wordpress_address(tmp_path):
    export = wxr(author(7, "alice"), item(10, link="2013/01/10/hello/"), item(11, link="?p=11"))

    import_wordpress(write(tmp_path, export))

    old_paths = dict(ImportedObject.objects.values_list("wp_id", "old_path"))
    assert old_paths == {"alice": "/?author=7", "10": "/2013/01/10/hello/", "11": "/?p=11"}


@DB
def test_pages_keep_their_slugs_unless_the_site_uses_them_or_another_page_has_them(tmp_path):
    export = wxr(
        author(1, "alice"),
        item(20, post_type="page", slug="feed", title="Feed", link="feed-2/"),
        item(21, post_type="page", slug="team", title="Team", link="about/team/"),
        item(22, post_type="page", slug="team", title="Team", link="contact/team/"),
        item(23, post_type="page", slug="draft-page", status="draft", link="?page_id=23"),
    )

    import_wordpress(write(tmp_path, export))

    assert dict(Page.objects.values_list("slug", "status")) == {
        "feed-page": Page.Status.PUBLISHED,
        "team": Page.Status.PUBLISHED,
        "team-2": Page.Status.PUBLISHED,
        "draft-page": Page.Status.DRAFT,
    }
    assert ImportedObject.objects.target("page", "22").slug == "team-2"
    assert ImportedObject.objects.get(kind="page", wp_id="22").old_path == "/contact/team/"


@DB
def test_the_excerpt_is_wordpress_own_else_the_teaser_before_the_more_tag(tmp_path):
    export = wxr(
        author(1, "alice"),
        item(10, excerpt="<p>Hand-written &amp; short.</p>"),
        item(11, content="<p>The teaser.</p>\n<!--more-->\n<p>The rest.</p>"),
        item(12, content="<p>No teaser marked.</p>"),
    )

    import_wordpress(write(tmp_path, export))

    assert dict(Post.objects.values_list("title", "excerpt")) == {
        "Post 10": "Hand-written & short.",
        "Post 11": "The teaser.",
        "Post 12": "",
    }


@DB
def test_a_comment_deleted_since_the_import_comes_back_on_the_next(tmp_path):
    path = write(tmp_path, wxr(author(1, "alice"), item(10, comments=[comment(5), comment(6)])))
    import_wordpress(path)
    Comment.objects.get(body="Comment 5.").delete()

    summary = import_wordpress(path)

    assert sorted(Comment.objects.values_list("body", flat=True)) == ["Comment 5.", "Comment 6."]
    assert summary.created == {"comment": 1}
    assert ImportedObject.objects.filter(kind="comment").count() == 2


@DB
def test_comments_naming_each_other_as_parents_are_still_imported(tmp_path):
    export = wxr(
        author(1, "alice"), item(10, comments=[comment(5, parent=6), comment(6, parent=5)])
    )

    import_wordpress(write(tmp_path, export))

    assert Comment.objects.count() == 2
    assert Comment.objects.filter(parent__isnull=True).count() == 1


def test_an_attachments_credit_is_read_from_its_php_metadata():
    from wordpress.mapping import attachment_credit

    credit = "Seán Ó Briain"  # lengths in PHP's serialize are in bytes
    metadata = (
        'a:3:{s:5:"width";i:640;s:10:"image_meta";a:2:{s:7:"caption";s:0:"";'
        f's:6:"credit";s:{len(credit.encode())}:"{credit}";}}s:4:"file";s:9:"a/b/c.jpg";}}'
    )
    assert attachment_credit(metadata) == credit
    assert attachment_credit('a:1:{s:10:"image_meta";a:0:{}}') == ""
    assert attachment_credit("") == ""

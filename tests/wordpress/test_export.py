"""The WordPress export: `manage.py export_wordpress` writes a WXR 1.2 file WordPress reads."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from defusedxml import ElementTree
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.services import post_comments_bump
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    ImageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
    build_discussion,
)
from wordpress.export import export_wordpress

pytestmark = pytest.mark.django_db

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
TRICKY_BODY = "<p>Zoë’s café: x]]>y, 日本語 and ]]]]> and an emoji 🎉.</p>"


def exported(tmp_path, *args) -> tuple:
    """Run the command; the parsed file's channel and what the command printed."""
    path = tmp_path / "export.xml"
    out = io.StringIO()
    call_command("export_wordpress", str(path), *args, stdout=out)
    root = ElementTree.fromstring(path.read_bytes())
    return root.find("channel"), out.getvalue()


def items(channel, post_type: str) -> list:
    return [item for item in channel.iter("item") if item.findtext(f"{WP}post_type") == post_type]


def item_titled(channel, title: str):
    return next(item for item in channel.iter("item") if item.findtext("title") == title)


@pytest.fixture
def site():
    """A small site with one of everything the export writes."""
    author = UserFactory(editor=True, username="ada", display_name="Ada Lovelace")
    news = CategoryFactory(name="News", slug="news", description="What happened.")
    CategoryFactory(name="Unused", slug="unused")
    tag = TagFactory(name="Science & Art", slug="science-art")
    image = ImageFactory(alt_text="A loom", caption="The loom", credit="Jacquard")
    published = PostFactory(
        author=author,
        title="Engines",
        slug="engines",
        body=TRICKY_BODY,
        excerpt="On engines.",
        categories=[news],
        tags=[tag],
        featured_image=image,
        is_sticky=True,
        published_at=datetime(2024, 1, 10, 23, 30, tzinfo=UTC),
    )
    PostFactory(author=author, title="Closed", slug="closed", comments_enabled=False)
    PostFactory(author=author, title="Unfinished", slug="unfinished", draft=True)
    PostFactory(author=author, title="Tomorrow", slug="tomorrow", scheduled=True)
    member = UserFactory(username="babbage", display_name="Charles")
    first = CommentFactory(
        post=published, guest_name="Guest", guest_email="guest@example.org", body="First ]]> one"
    )
    CommentFactory(post=published, parent=first, member=True, user=member, body="A reply")
    held = CommentFactory(post=published, parent=first, pending=True, body="Held back")
    CommentFactory(
        post=published, parent=held, body="Under a held one", guest_email="third@example.org"
    )
    CommentFactory(post=published, spam=True, body="Buy now")
    post_comments_bump(published.pk)
    return published


def test_the_export_is_wxr_1_2_with_wordpress_namespaces(tmp_path, site):
    path = tmp_path / "export.xml"
    call_command("export_wordpress", str(path), stdout=io.StringIO())
    text = path.read_text()

    assert text.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    assert 'xmlns:wp="http://wordpress.org/export/1.2/"' in text
    assert 'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"' in text
    channel = ElementTree.fromstring(path.read_bytes()).find("channel")
    assert channel.findtext(f"{WP}wxr_version") == "1.2"


def test_counts_are_printed_and_match_the_file(tmp_path, site):
    channel, printed = exported(tmp_path)

    assert len(channel.findall(f"{WP}author")) == 1
    assert len(channel.findall(f"{WP}category")) == 2
    assert len(channel.findall(f"{WP}tag")) == 1
    assert len(items(channel, "post")) == 4
    assert len(items(channel, "attachment")) == 1
    assert len(list(channel.iter(f"{WP}comment"))) == 3
    assert "Authors: 1" in printed
    assert "Posts: 4" in printed
    assert "Comments: 3" in printed
    assert "Export written to" in printed


def test_a_post_keeps_its_fields(tmp_path, site):
    channel, _ = exported(tmp_path)
    item = item_titled(channel, "Engines")

    assert item.findtext(f"{WP}post_id") == str(site.pk)
    assert item.findtext(f"{WP}post_name") == "engines"
    assert item.findtext(f"{WP}status") == "publish"
    assert item.findtext(f"{WP}post_date_gmt") == "2024-01-10 23:30:00"
    local = timezone.localtime(site.published_at).strftime("%Y-%m-%d %H:%M:%S")
    assert item.findtext(f"{WP}post_date") == local
    assert item.findtext("pubDate") == "Wed, 10 Jan 2024 23:30:00 +0000"
    assert item.findtext(DC_CREATOR) == "ada"
    assert item.findtext(EXCERPT) == "On engines."
    assert item.findtext(f"{WP}is_sticky") == "1"
    assert item.findtext(f"{WP}comment_status") == "open"
    assert item.findtext("link").endswith(site.get_absolute_url())
    terms = {(c.get("domain"), c.get("nicename"), c.text) for c in item.findall("category")}
    # Names are HTML in WordPress: "&" is written "&amp;", as WordPress stores it.
    assert terms == {("category", "news", "News"), ("post_tag", "science-art", "Science &amp; Art")}


def test_body_with_cdata_end_and_non_ascii_survives(tmp_path, site):
    channel, _ = exported(tmp_path)

    body = item_titled(channel, "Engines").findtext(CONTENT)
    assert TRICKY_BODY in body
    comment = item_titled(channel, "Engines").find(f"{WP}comment")
    # A comment is plain text in Tribune and HTML in WordPress.
    assert comment.findtext(f"{WP}comment_content") == "First ]]&gt; one"


def test_characters_xml_forbids_are_dropped_not_written(tmp_path, site):
    site.title = "Bell\x07 and form\x0cfeed"
    site.save()

    channel, _ = exported(tmp_path)

    assert item_titled(channel, "Bell and formfeed") is not None


def test_statuses_are_wordpress_statuses(tmp_path, site):
    channel, _ = exported(tmp_path)

    assert item_titled(channel, "Unfinished").findtext(f"{WP}status") == "draft"
    assert item_titled(channel, "Unfinished").findtext(f"{WP}post_date_gmt") == (
        "0000-00-00 00:00:00"
    )
    assert item_titled(channel, "Tomorrow").findtext(f"{WP}status") == "future"
    assert item_titled(channel, "Closed").findtext(f"{WP}comment_status") == "closed"


def test_featured_image_is_an_attachment_named_by_thumbnail_id(tmp_path, site):
    channel, _ = exported(tmp_path)
    post = item_titled(channel, "Engines")
    meta = {
        m.findtext(f"{WP}meta_key"): m.findtext(f"{WP}meta_value")
        for m in post.iter(f"{WP}postmeta")
    }
    (attachment,) = items(channel, "attachment")
    attachment_meta = {
        m.findtext(f"{WP}meta_key"): m.findtext(f"{WP}meta_value")
        for m in attachment.iter(f"{WP}postmeta")
    }

    assert meta["_thumbnail_id"] == attachment.findtext(f"{WP}post_id")
    assert attachment.findtext(f"{WP}post_parent") == str(site.pk)
    assert attachment.findtext(f"{WP}attachment_url").endswith(site.featured_image.file.name)
    assert attachment_meta["_wp_attached_file"] == site.featured_image.file.name
    assert attachment_meta["_wp_attachment_image_alt"] == "A loom"
    assert attachment.findtext(EXCERPT) == "The loom"
    assert 's:6:"credit";s:8:"Jacquard";' in attachment_meta["_wp_attachment_metadata"]


def test_ids_are_unique_across_posts_and_attachments(tmp_path, site):
    channel, _ = exported(tmp_path)

    ids = [item.findtext(f"{WP}post_id") for item in channel.iter("item")]
    assert len(ids) == len(set(ids))
    term_ids = [
        term.findtext(f"{WP}term_id")
        for term in channel
        if term.tag in (f"{WP}category", f"{WP}tag")
    ]
    assert len(term_ids) == len(set(term_ids))


def test_only_published_comments_with_their_parents(tmp_path, site):
    channel, _ = exported(tmp_path)
    comments = {
        c.findtext(f"{WP}comment_content"): c
        for c in item_titled(channel, "Engines").iter(f"{WP}comment")
    }

    assert set(comments) == {"First ]]&gt; one", "A reply", "Under a held one"}
    first_id = comments["First ]]&gt; one"].findtext(f"{WP}comment_id")
    assert comments["First ]]&gt; one"].findtext(f"{WP}comment_parent") == "0"
    assert comments["A reply"].findtext(f"{WP}comment_parent") == first_id
    # Its parent is held back: it hangs from the nearest published comment above it.
    assert comments["Under a held one"].findtext(f"{WP}comment_parent") == first_id
    assert comments["A reply"].findtext(f"{WP}comment_author") == "Charles"
    assert all(c.findtext(f"{WP}comment_approved") == "1" for c in comments.values())


def test_no_email_or_address_of_commenters_without_the_flag(tmp_path, site):
    path = tmp_path / "export.xml"
    call_command("export_wordpress", str(path), stdout=io.StringIO())
    text = path.read_text()

    assert "guest@example.org" not in text
    assert "babbage@example.com" not in text
    channel = ElementTree.fromstring(text.encode()).find("channel")
    for comment in channel.iter(f"{WP}comment"):
        assert comment.findtext(f"{WP}comment_author_email") == ""
        assert comment.findtext(f"{WP}comment_author_IP") == ""
    # Authors are staff; WordPress and the importer match them on their address.
    assert channel.find(f"{WP}author").findtext(f"{WP}author_email") == "ada@example.com"


def test_emails_with_the_flag_and_never_an_ip_hash(tmp_path, site):
    site.comments.update(ip_hash="f" * 64)
    channel, _ = exported(tmp_path, "--with-emails")
    emails = {c.findtext(f"{WP}comment_author_email") for c in channel.iter(f"{WP}comment")}

    assert emails == {"guest@example.org", "babbage@example.com", "third@example.org"}
    assert all(c.findtext(f"{WP}comment_author_IP") == "" for c in channel.iter(f"{WP}comment"))
    assert "f" * 64 not in ElementTree.tostring(channel, encoding="unicode")


def test_standard_output_gets_the_file_and_standard_error_the_summary(site, capsysbinary):
    call_command("export_wordpress", "-")
    captured = capsysbinary.readouterr()

    channel = ElementTree.fromstring(captured.out).find("channel")
    assert len(items(channel, "post")) == 4
    assert b"Posts: 4" in captured.err


def test_a_folder_that_does_not_exist_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("export_wordpress", str(tmp_path / "missing" / "out.xml"))


def test_a_folder_in_the_way_is_a_clear_error_and_leaves_nothing(tmp_path, site):
    (tmp_path / "out").mkdir()
    folder = tmp_path / "out" / "export.xml"
    folder.mkdir()

    with pytest.raises(CommandError, match="is a folder"):
        call_command("export_wordpress", str(folder))
    assert list((tmp_path / "out").iterdir()) == [folder]


def test_an_empty_site_exports_a_valid_file(tmp_path):
    channel, printed = exported(tmp_path)

    assert list(channel.iter("item")) == []
    assert "Posts: 0" in printed


def export_queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        export_wordpress(io.BytesIO(), **kwargs)
    return len(queries)


def test_queries_do_not_grow_with_comments_or_posts_in_a_chunk():
    author = UserFactory(editor=True)
    post = PostFactory(author=author, featured_image=ImageFactory())
    build_discussion(post, [2])
    few = export_queries()

    make_page(title="About", slug="about", body="<p>Hi.</p>", status="published", author=author)
    few = export_queries()

    build_discussion(post, [40, 3, 3])
    for n in range(10):
        make_page(title=f"Page {n}", slug=f"page-{n}", body="<p>Hi.</p>", author=author)
    for _ in range(20):
        build_discussion(PostFactory(author=author, featured_image=ImageFactory()), [5, 2])
    assert export_queries() == few
    assert export_queries(with_emails=True) == few


def test_comments_are_written_under_their_own_post_across_chunks(settings, tmp_path):
    from wordpress import export

    author = UserFactory(editor=True)
    posts = [PostFactory(author=author, title=f"Post {n}") for n in range(5)]
    for n, post in enumerate(posts):
        for k in range(n):
            CommentFactory(
                post=post,
                body=f"On post {n}, comment {k}",
                created_at=timezone.now() - timedelta(minutes=k),
            )
    original = export.CHUNK
    export.CHUNK = 2
    try:
        channel, _ = exported(tmp_path)
    finally:
        export.CHUNK = original

    for n in range(5):
        bodies = [
            c.findtext(f"{WP}comment_content")
            for c in item_titled(channel, f"Post {n}").iter(f"{WP}comment")
        ]
        assert sorted(bodies) == sorted(f"On post {n}, comment {k}" for k in range(n))


def test_the_importers_reader_reads_the_export_back(tmp_path, site):
    from wordpress.wxr import Author, Item, Site, Term, read_wxr

    path = tmp_path / "export.xml"
    call_command("export_wordpress", str(path), "--with-emails", stdout=io.StringIO())
    records = list(read_wxr(path))

    assert isinstance(records[0], Site)
    assert records[0].wxr_version == "1.2"
    assert [a.login for a in records if isinstance(a, Author)] == ["ada"]
    terms = {(t.taxonomy, t.slug) for t in records if isinstance(t, Term)}
    assert terms == {("category", "news"), ("category", "unused"), ("post_tag", "science-art")}
    post = next(r for r in records if isinstance(r, Item) and r.title == "Engines")
    assert TRICKY_BODY in post.content
    assert post.post_date_gmt == datetime(2024, 1, 10, 23, 30, tzinfo=UTC)
    assert post.is_sticky
    attachment = next(r for r in records if isinstance(r, Item) and r.post_type == "attachment")
    assert post.postmeta["_thumbnail_id"] == attachment.post_id
    assert {c.content for c in post.comments} == {
        "First ]]&gt; one",
        "A reply",
        "Under a held one",
    }
    assert {c.author_email for c in post.comments} >= {"guest@example.org"}


def make_page(**fields):
    from blog.models import Page
    from blog.services import page_save

    return page_save(Page(**fields))


def test_pages_are_page_items_after_the_posts_ids(tmp_path, site):
    author = site.author
    about = make_page(
        title="About us & them",
        slug="about",
        body="<p>Who we are.</p>",
        status="published",
        published_at=datetime(2023, 5, 1, 9, 0, tzinfo=UTC),
        author=author,
    )
    make_page(title="Unfinished page", slug="soon", body="<p>Soon.</p>", status="draft")

    channel, printed = exported(tmp_path)
    pages = {item.findtext("title"): item for item in items(channel, "page")}

    assert set(pages) == {"About us &amp; them", "Unfinished page"}
    page = pages["About us &amp; them"]
    assert page.findtext(f"{WP}post_name") == "about"
    assert page.findtext(f"{WP}status") == "publish"
    assert page.findtext(f"{WP}post_date_gmt") == "2023-05-01 09:00:00"
    assert page.findtext(DC_CREATOR) == author.username
    assert "<p>Who we are.</p>" in page.findtext(CONTENT)
    assert page.findtext("link").endswith(about.get_absolute_url())
    assert pages["Unfinished page"].findtext(f"{WP}status") == "draft"
    ids = [item.findtext(f"{WP}post_id") for item in channel.iter("item")]
    assert len(ids) == len(set(ids))
    assert "Pages: 2" in printed


def test_an_author_of_pages_only_is_listed(tmp_path):
    writer = UserFactory(editor=True, username="pagewriter")
    make_page(title="About", slug="about", body="<p>Hi.</p>", status="draft", author=writer)

    channel, _ = exported(tmp_path)

    assert [a.findtext(f"{WP}author_login") for a in channel.findall(f"{WP}author")] == [
        "pagewriter"
    ]


def test_a_post_with_co_authors_is_exported_under_its_lead_author_alone(tmp_path, site):
    # WordPress has one author per post: the lead author (docs/decisions.md, "Co-authors").
    from blog.services import post_coauthors_set
    from wordpress.wxr import Author, Item, read_wxr

    grace = UserFactory(editor=True, username="grace", display_name="Grace Hopper")
    post_coauthors_set(post=site, coauthors=[grace])

    channel, _ = exported(tmp_path)

    item = item_titled(channel, "Engines")
    assert [creator.text for creator in item.findall(DC_CREATOR)] == ["ada"]
    records = list(read_wxr(tmp_path / "export.xml"))
    assert [a.login for a in records if isinstance(a, Author)] == ["ada"]
    engines = next(r for r in records if isinstance(r, Item) and r.title == "Engines")
    assert engines.creator == "ada"

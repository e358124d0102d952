"""Reading a WordPress export: what comes out of a good file, and the sentence a bad one gets."""

import io
import tracemalloc
from datetime import UTC, datetime

import pytest

from tests.wordpress.wxr_files import (
    THEME_UNIT_TEST,
    author,
    category,
    comment,
    item,
    tag,
    wxr,
)
from wordpress.wxr import Author, Item, Site, Term, WXRError, read_wxr


def records(text: str | bytes) -> list:
    data = text.encode() if isinstance(text, str) else text
    return list(read_wxr(io.BytesIO(data)))


def error_for(text: str | bytes) -> str:
    with pytest.raises(WXRError) as caught:
        records(text)
    return caught.value.message


def test_the_site_comes_first_then_each_record_in_the_file_order():
    found = records(
        wxr(author(3, "alice", "Alice A."), category(5, "news"), tag(6, "python"), item(10))
    )

    assert [type(record) for record in found] == [Site, Author, Term, Term, Item]
    site, alice, news, python, post = found
    assert (site.title, site.wxr_version, site.base_blog_url) == (
        "A Test Site",
        "1.2",
        "http://example.org",
    )
    assert (alice.login, alice.email, alice.display_name, alice.author_id) == (
        "alice",
        "alice@example.org",
        "Alice A.",
        "3",
    )
    assert (news.taxonomy, news.term_id, news.slug, news.name) == ("category", "5", "news", "News")
    assert (python.taxonomy, python.slug) == ("post_tag", "python")
    assert (post.post_id, post.title, post.status, post.post_type) == (
        "10",
        "Post 10",
        "publish",
        "post",
    )


def test_an_item_carries_its_dates_in_utc_terms_meta_and_comments():
    (_site, post) = records(
        wxr(
            item(
                10,
                date="2013-01-10 21:15:40",
                date_gmt="2013-01-10 20:15:40",
                categories=["news"],
                tags=["python"],
                meta={"_thumbnail_id": "77"},
                comments=[comment(5, parent=0), comment(6, parent=5, approved="0")],
                sticky=1,
                password="secret",
                excerpt="Short.",
            )
        )
    )

    assert post.post_date == datetime(2013, 1, 10, 21, 15, 40)
    assert post.post_date_gmt == datetime(2013, 1, 10, 20, 15, 40, tzinfo=UTC)
    assert [(t.taxonomy, t.slug) for t in post.terms] == [
        ("category", "news"),
        ("post_tag", "python"),
    ]
    assert post.postmeta == {"_thumbnail_id": "77"}
    assert post.is_sticky is True
    assert post.post_password == "secret"
    assert post.excerpt == "Short."
    assert [(c.comment_id, c.parent, c.approved) for c in post.comments] == [
        ("5", "0", "1"),
        ("6", "5", "0"),
    ]
    assert post.comments[0].author_ip == "192.0.2.1"
    assert post.comments[0].date_gmt == datetime(2013, 1, 11, 10, 0, tzinfo=UTC)


def test_wordpress_no_date_reads_as_none():
    (_site, draft) = records(wxr(item(10, status="draft", date_gmt="0000-00-00 00:00:00")))

    assert draft.post_date_gmt is None
    assert draft.post_date == datetime(2013, 1, 10, 20, 15, 40)


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_wxr_version_and_both_namespace_spellings_are_read(version, scheme):
    found = records(wxr(author(1, "alice"), item(10), version=version, scheme=scheme))

    assert found[0].wxr_version == version
    assert [type(record) for record in found] == [Site, Author, Item]
    assert found[2].title == "Post 10"


def test_an_export_with_nothing_in_it_still_gives_the_site():
    assert [type(record) for record in records(wxr())] == [Site]


def test_the_theme_unit_test_export_reads_whole():
    found = list(read_wxr(THEME_UNIT_TEST))
    items = [r for r in found if isinstance(r, Item)]
    terms = [r for r in found if isinstance(r, Term)]

    assert sum(isinstance(r, Author) for r in found) == 2
    assert sum(i.post_type == "post" for i in items) == 58
    assert sum(i.post_type == "page" for i in items) == 21
    assert sum(i.post_type == "attachment" for i in items) == 37
    assert len({t.term_id for t in terms if t.taxonomy == "category"}) == 68
    assert sum(t.taxonomy == "post_tag" for t in terms) == 110
    assert sum(len(i.comments) for i in items) == 33


def _peak_bytes_reading(count: int) -> int:
    big = wxr(*(item(n, content="<p>" + "words " * 400 + "</p>") for n in range(count)))
    data = io.BytesIO(big.encode())
    tracemalloc.start()
    try:
        seen = sum(1 for _ in read_wxr(data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count + 1
    return peak


def test_memory_does_not_grow_with_the_file():
    # The input lives in memory before tracing starts; only the parse is measured.
    small, large = _peak_bytes_reading(100), _peak_bytes_reading(2000)

    assert large < small * 1.5, (small, large)


# --- Bad input: each gets one sentence ------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\n "])
def test_an_empty_file_is_refused(content):
    assert error_for(content) == "The file is empty: there is nothing to import."


@pytest.mark.parametrize("content", [b'{"posts": []}', b"\x89PNG\r\n\x1a\n", b"hello, world"])
def test_a_file_that_is_not_xml_is_refused(content):
    assert error_for(content).startswith("This file is not XML, so it cannot be a WordPress export")


def test_xml_that_is_not_rss_is_refused():
    message = error_for('<?xml version="1.0"?><html><body>Hi</body></html>')

    assert message.startswith("This file is XML but not a WordPress export")
    assert "<html>" in message


def test_an_rss_feed_without_wordpress_elements_is_refused():
    message = error_for(
        '<rss version="2.0"><channel><title>Feed</title><item><title>A</title></item>'
        "</channel></rss>"
    )

    assert message.startswith("This file is an RSS feed but not a WordPress export")


def test_rss_without_a_channel_is_refused():
    message = error_for('<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"></rss>')

    assert "has no <channel>" in message


def test_an_export_without_a_version_is_refused():
    text = wxr(item(1)).replace("<wp:wxr_version>1.2</wp:wxr_version>", "")

    assert "has no WXR version" in error_for(text)


@pytest.mark.parametrize("version", ["1.3", "2.0"])
def test_a_newer_wxr_version_is_refused(version):
    text = wxr(item(1)).replace("<wp:wxr_version>1.2</", f"<wp:wxr_version>{version}</")

    assert error_for(text).startswith(f"This export uses WXR version {version}, newer than 1.2")


def test_a_newer_wxr_namespace_is_refused_before_anything_is_read():
    assert "newer than 1.2" in error_for(wxr(item(1), version="1.3"))


@pytest.mark.parametrize(
    "doctype",
    [
        # Entity expansion ("billion laughs").
        '<!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        # An external entity reading a local file.
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        # An external DTD.
        '<!DOCTYPE rss SYSTEM "http://example.org/evil.dtd">',
    ],
)
def test_a_document_type_declaration_is_refused(doctype):
    text = wxr(item(1, title="&b;")).replace("<rss", doctype + "\n<rss", 1)

    assert error_for(text).startswith("This file declares a document type (<!DOCTYPE …>)")


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.97])
def test_a_truncated_file_is_refused(cut):
    text = wxr(author(1, "alice"), *(item(n) for n in range(20)))

    message = error_for(text[: int(len(text) * cut)])

    assert message.startswith("The file stops part-way through")


def test_xml_broken_in_the_middle_is_refused_with_where():
    text = wxr(item(1), item(2)).replace("</title>", "</titel>", 3)

    message = error_for(text)

    assert message.startswith("This file is not valid XML (mismatched tag at line ")

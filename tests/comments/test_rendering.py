"""Comment text to HTML: escaping, paragraphs and links, without a database."""

import pytest

from comments.rendering import avatar_colour, comment_body_html, initials, linkify


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("plain words", "plain words"),
        ("<b>bold</b> & co", "&lt;b&gt;bold&lt;/b&gt; &amp; co"),
        (
            "see https://example.org/a?b=1&c=2.",
            'see <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
            "https://example.org/a?b=1&amp;c=2</a>.",
        ),
        (
            "(www.example.org)",
            '(<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>)',
        ),
        (
            "https://en.wikipedia.org/wiki/Weir_(river)",
            '<a href="https://en.wikipedia.org/wiki/Weir_(river)" rel="nofollow ugc noopener">'
            "https://en.wikipedia.org/wiki/Weir_(river)</a>",
        ),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("data:text/html,<script>", "data:text/html,&lt;script&gt;"),
        (
            'https://x.org/"onmouseover="alert(1)',
            '<a href="https://x.org/" rel="nofollow ugc noopener">https://x.org/</a>'
            "&quot;onmouseover=&quot;alert(1)",
        ),
        ("mail me: jane@example.org", "mail me: jane@example.org"),
    ],
)
def test_linkify_escapes_everything_and_links_only_web_addresses(text, html):
    assert linkify(text) == html


def test_long_addresses_are_shortened_on_screen_but_not_in_the_link():
    url = "https://example.org/" + "a" * 100
    html = linkify(url)
    assert f'href="{url}"' in html
    assert ">https://example.org/aaaa" in html
    assert "…</a>" in html


def test_body_keeps_paragraphs_and_line_breaks():
    assert comment_body_html("One\ntwo\n\n\nThree") == "<p>One<br>two</p>\n\n<p>Three</p>"


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Jane Doe", "JD"),
        ("ada", "A"),
        ("Ada <Lovelace>", "AL"),
        ("  ", "?"),
        ("Jean-Luc Picard Smith", "JP"),
        ("élodie brun", "ÉB"),
        ("<<>>", "<"),
    ],
)
def test_initials(name, letters):
    assert initials(name) == letters


def test_avatar_colour_is_stable_and_in_range():
    assert avatar_colour("Jane Doe") == avatar_colour("jane doe")
    assert {avatar_colour(f"Person {n}") for n in range(100)} <= set(range(8))
    assert len({avatar_colour(f"Person {n}") for n in range(100)}) > 4

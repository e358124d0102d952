"""WordPress post content made into Tribune's stored HTML (wordpress.content), with snippets
from WordPress's Theme Unit Test export and hostile input."""

from pathlib import Path

import pytest
from defusedxml import ElementTree

from wordpress.content import EXCERPT_MAX_LENGTH, wordpress_excerpt, wordpress_html

THEME_UNIT_TEST = Path(__file__).parent.parent / "data/wordpress/themeunittestdata.wordpress.xml"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def imported(old_url: str) -> str | None:
    """The importer's answer: the theme unit test's pictures were imported, others not."""
    if "wpthemetestdata" in old_url:
        return "/media/images/2026/11/" + old_url.rsplit("/", 1)[-1].split("?")[0]
    return None


# --- Captions ------------------------------------------------------------------------


def test_a_caption_becomes_a_figure_without_its_link():
    raw = (
        '[caption id="attachment_754" align="alignnone" width="604"]'
        '<a href="https://wpthemetestdata.files.wordpress.com/2008/06/100_5478.jpg">'
        '<img class="wp-image-754 size-large" '
        'src="https://wpthemetestdata.files.wordpress.com/2008/06/100_5478.jpg?w=604" '
        'alt="Bell on Wharf" width="604" height="453" /></a> '
        "Bell on wharf in San Francisco[/caption]"
    )

    assert wordpress_html(raw, image_src=imported) == (
        '<figure><img src="/media/images/2026/11/100_5478.jpg" alt="Bell on Wharf" '
        'width="604" height="453"><figcaption>Bell on wharf in San Francisco</figcaption>'
        "</figure>"
    )


def test_the_old_caption_attribute_is_the_figcaption():
    raw = (
        '[caption id="attachment_612" align="aligncenter" width="640" caption="Chunk of '
        'resinous blackboy husk, Clarkson, Western Australia."]<a href="https://wpthemetestdata'
        '.files.wordpress.com/2013/09/dsc20040724_152504_532.jpg"><img src="https://'
        'wpthemetestdata.files.wordpress.com/2013/09/dsc20040724_152504_532.jpg" alt="chunk of '
        'resinous blackboy husk" width="640" height="480" /></a>[/caption]'
    )

    result = wordpress_html(raw, image_src=imported)

    assert result.startswith('<figure><img src="/media/images/2026/11/dsc20040724_152504_532.jpg"')
    assert result.endswith(
        "<figcaption>Chunk of resinous blackboy husk, Clarkson, Western Australia."
        "</figcaption></figure>"
    )
    assert "<a" not in result


def test_a_picture_that_was_not_imported_goes_with_its_caption():
    raw = (
        '<p>Before.</p>[caption width="300"]<img src="https://elsewhere.example/a.jpg" '
        'alt="A"> A caption[/caption]<p>After.</p>'
    )

    assert wordpress_html(raw, image_src=imported) == "<p>Before.</p>\n<p>After.</p>"


def test_without_image_src_only_pictures_in_our_uploads_are_kept():
    raw = '<img src="/media/images/a.jpg" alt="Ours"><img src="https://tracker.example/p.gif">'

    assert wordpress_html(raw) == '<p><img src="/media/images/a.jpg" alt="Ours"></p>'


# --- Blocks, more and next page --------------------------------------------------------


def test_block_comments_go_and_their_html_stays_unwrapped():
    raw = (
        "\t<!-- wp:paragraph -->\n<p>This post tests various embed blocks:</p>\n"
        "<!-- /wp:paragraph -->\n\n"
        '<!-- wp:quote {"className":"is-style-large"} -->\n<blockquote class="wp-block-quote '
        'is-style-large"><p>Quote one</p>\nline two <cite>Someone</cite></blockquote>\n'
        "<!-- /wp:quote -->"
    )

    # No paragraphs or line breaks added: blocks carry their own.
    assert wordpress_html(raw) == (
        "<p>This post tests various embed blocks:</p>\n"
        "<blockquote><p>Quote one</p>\nline two Someone</blockquote>"
    )


def test_more_and_next_page_markers_go():
    raw = "Post Page 1\n\n<!--nextpage-->\n\nPost Page 2\n\n<!--more-->\n\nPost Page 3"

    assert wordpress_html(raw) == "<p>Post Page 1</p>\n<p>Post Page 2</p>\n<p>Post Page 3</p>"


# --- Classic content: wpautop ---------------------------------------------------------------


def test_classic_content_gets_paragraphs_and_line_breaks():
    raw = (
        "This content is before the more tag.\n\n"
        "Right after this sentence\nshould be a button.\n\n\n"
        "<h2>Title should not overflow the content area</h2>\n\n"
        "A few things to check for:\n<ul>\n\t<li>Non-breaking text</li>\n"
        "\t<li>Check the browser window / tab title.</li>\n</ul>"
    )

    assert wordpress_html(raw) == (
        "<p>This content is before the more tag.</p>\n"
        "<p>Right after this sentence<br>\nshould be a button.</p>\n"
        "<h2>Title should not overflow the content area</h2>\n"
        "<p>A few things to check for:</p>\n<ul>\n<li>Non-breaking text</li>\n"
        "<li>Check the browser window / tab title.</li>\n</ul>"
    )


def test_pre_blocks_keep_their_lines_and_brackets():
    raw = (
        "The following CSS properties will help.\n\n"
        "<pre>-ms-word-wrap: break-word;\n\nword-wrap: break-word; [gallery] [b]x[/b]</pre>\n"
        "&nbsp;"
    )

    assert wordpress_html(raw) == (
        "<p>The following CSS properties will help.</p>\n"
        "<pre>-ms-word-wrap: break-word;\n\nword-wrap: break-word; [gallery] [b]x[/b]</pre>\n"
        "<p>&nbsp;</p>"
    )


def test_tables_are_not_broken_into_paragraphs():
    raw = "<table>\n<tr>\n<th>Employee</th>\n<td>$1</td>\n</tr>\n</table>\nAfter"

    assert wordpress_html(raw) == (
        "<table>\n<tbody><tr>\n<th>Employee</th>\n<td>$1</td>\n</tr>\n</tbody></table>\n"
        "<p>After</p>"
    )


def test_elements_the_policy_lacks_are_said_with_ones_it_keeps():
    raw = "<h1>Header one</h1>\n<dl><dt>Startup</dt><dd>A company.</dd></dl>"

    assert wordpress_html(raw) == (
        "<h2>Header one</h2>\n<p><strong>Startup</strong></p>\n<p>A company.</p>"
    )


# --- Shortcodes and embeds --------------------------------------------------------------


def test_galleries_go():
    raw = '<h2>One Column</h2>\n[gallery columns="1"]\n<h2>Two</h2>\n[gallery ids="770,771"]'

    assert wordpress_html(raw) == "<h2>One Column</h2>\n<h2>Two</h2>"


@pytest.mark.parametrize(
    "raw",
    [
        "[embed]https://youtu.be/ex8fMxXJDJw[/embed]",
        "[embed width=640]https://youtu.be/ex8fMxXJDJw[/embed]",
        '[video src="https://youtu.be/ex8fMxXJDJw"]',
        "[audio https://youtu.be/ex8fMxXJDJw]",
        "https://youtu.be/ex8fMxXJDJw",
        '<iframe width="560" src="https://youtu.be/ex8fMxXJDJw" allowfullscreen></iframe>',
    ],
    ids=["embed", "embed with size", "video", "audio", "auto-embed line", "iframe"],
)
def test_embedded_media_become_a_plain_link(raw):
    assert wordpress_html(raw) == (
        '<p><a href="https://youtu.be/ex8fMxXJDJw" rel="noopener noreferrer">'
        "https://youtu.be/ex8fMxXJDJw</a></p>"
    )


def test_other_shortcodes_go_and_keep_their_inner_text():
    raw = (
        'Say [highlight color="yellow"]this[/highlight] and [contact-form-7 id="12"] that '
        "[sic], [citation needed] and [[gallery]]."
    )

    assert wordpress_html(raw) == (
        "<p>Say this and  that [sic], [citation needed] and [gallery].</p>"
    )


# --- Hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "<p>Hi</p><script>alert(1)</script>",
        '<p>Hi</p><img src="/media/a.jpg" onerror="alert(1)">',
        '<p>Hi</p><a href="javascript:alert(1)">x</a>',
        '<p>Hi</p><a href="JaVaScRiPt&#58;alert(1)">x</a>',
        "<p>Hi</p><pre><script>alert(1)</script></pre>",
        "<p>Hi</p>[embed]javascript:alert(1)[/embed]",
        '<p>Hi</p><iframe src="javascript:alert(1)"></iframe>',
        '<p>Hi</p>[caption]<img src="x" onerror="alert(1)"> <script>alert(1)</script>[/caption]',
        '<p>Hi</p><style>body{display:none}</style><div onclick="alert(1)">x</div>',
        '<p>Hi</p><svg onload="alert(1)"></svg><object data="evil.swf"></object>',
        "<!-- wp:html --><p>Hi</p><script>alert(1)</script><!-- /wp:html -->",
    ],
)
def test_nothing_that_runs_survives(raw):
    result = wordpress_html(raw, image_src=lambda url: "/media/" + url)

    assert result.startswith("<p>Hi</p>")
    for danger in ("<script", "alert(1)", "onerror", "onclick", "onload", "javascript",
                   "<style", "<svg", "<object", "<iframe"):  # fmt: skip
        assert danger not in result.lower()


def test_null_bytes_and_carriage_returns_are_dropped():
    assert wordpress_html("One\r\n\r\nTwo\x00") == "<p>One</p>\n<p>Two</p>"


def test_every_post_and_page_of_the_theme_unit_test_converts():
    bodies = [
        element.text or "" for element in ElementTree.parse(THEME_UNIT_TEST).getroot().iter(CONTENT)
    ]
    assert len(bodies) > 100

    for raw in bodies:
        result = wordpress_html(raw, image_src=imported)
        assert "<!-- wp:" not in result
        assert "[caption" not in result
        assert "[gallery" not in result
        assert "<script" not in result
        assert "<iframe" not in result


# --- Excerpts -----------------------------------------------------------------------------


def test_an_excerpt_is_plain_text():
    raw = (
        "<!-- wp:paragraph --><p>Fish &amp; chips &lt;b&gt; <strong>now</strong>"
        '[caption]<img src="x.jpg"> A bell[/caption]</p><!-- /wp:paragraph -->'
        "<script>alert(1)</script>\n\n\tDone"
    )

    assert wordpress_excerpt(raw) == "Fish & chips <b> now A bell Done"


def test_an_excerpt_of_a_body_stops_at_the_more_tag():
    raw = "This content is before the more tag.\n\n<!--more-->\n\nAnd this content is after."

    assert wordpress_excerpt(raw) == "This content is before the more tag."


def test_a_long_excerpt_is_cut_at_a_word():
    excerpt = wordpress_excerpt("word " * 200)

    assert len(excerpt) <= EXCERPT_MAX_LENGTH
    assert excerpt.endswith("word…")

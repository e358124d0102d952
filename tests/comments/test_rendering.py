"""Comment text to HTML: escaping, paragraphs and links, without a database."""

import pytest

from comments import rendering
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


class ReadCounter(str):
    """A string that counts the characters code reads from it: one per character indexed,
    sliced off or scanned by ``count``. Slices are counted strings too, so an address
    shortened one character at a time keeps counting."""

    def __new__(cls, value: str, reads: list[int] | None = None) -> "ReadCounter":
        counted = super().__new__(cls, value)
        counted.reads = reads if reads is not None else [0]
        return counted

    def __getitem__(self, key):
        piece = str.__getitem__(self, key)
        self.reads[0] += len(piece)
        return ReadCounter(piece, self.reads)

    def count(self, *args) -> int:
        self.reads[0] += len(self)
        return str.count(self, *args)


def characters_read(url: str) -> int:
    counted = ReadCounter(url)
    rendering._link(counted)
    return counted.reads[0]


# Addresses whose end is all punctuation or closing brackets: stripping them one at a
# time, recounting the brackets each time, was quadratic (http://x/ and 5,000 ")" took
# 16 ms; 30 such comments took the comment feed a second).
WORST_CASES = [
    lambda n: "http://x/" + ")" * n,
    lambda n: "http://x/" + "." * n,
    lambda n: "http://x/" + ").!" * (n // 3),
    lambda n: "http://x/" + "(" * (n // 2) + ")" * (n // 2),
]


@pytest.mark.parametrize(
    "worst_case", WORST_CASES, ids=["brackets", "full stops", "mixed", "balanced"]
)
def test_linkifying_reads_each_character_of_an_address_a_bounded_number_of_times(worst_case):
    for n in (5_000, 50_000):
        url = worst_case(n)
        assert characters_read(url) <= 5 * len(url)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "http://x/" + ")" * 5_000,
            '<a href="http://x/" rel="nofollow ugc noopener">http://x/</a>' + ")" * 5_000,
        ),
        (
            "(see http://x.org/a_(b)).",
            '(see <a href="http://x.org/a_(b)" rel="nofollow ugc noopener">http://x.org/a_(b)</a>).',
        ),
        (
            "http://x/((" + ")" * 5_000,
            '<a href="http://x/(())" rel="nofollow ugc noopener">http://x/(())</a>' + ")" * 4_998,
        ),
        (
            "www.x.org" + "!?" * 2_500,
            '<a href="http://www.x.org" rel="nofollow ugc noopener">www.x.org</a>' + "!?" * 2_500,
        ),
    ],
)
def test_worst_case_addresses_keep_their_brackets_and_lose_their_punctuation(text, html):
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


# --- The weight of the thread's markup --------------------------------------------------

# Bytes of markup each comment adds around its text, for the fixed discussion below: 915
# when each comment was an <article> with a header, a footer, long class names, a
# machine-readable <time> and hidden "Reply to <name>" / "Report comment by <name>" text;
# 274 after they were cut (bench/README.md, "Page weight"); 281 since the depth-4 replies
# say "In reply to <name>" (issue 15, a phone's thread); 284 since a thread's replies fold
# under a <details> (issue 15, discussion tools), paid for by nested lists losing their
# class. The bound leaves room for a
# small addition, not for the old markup to creep back: at this weight the bench's post
# page with 500 comments stays under 400 KB.
MARKUP_BYTES_PER_COMMENT = 290


def _fixed_discussion():
    """60 published comments with three-digit ids, guests, replies nested to depth 4."""
    from datetime import UTC, datetime, timedelta

    from comments.models import Comment
    from comments.selectors import ThreadComment

    start = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    rows, depth_of = [], {}
    for i in range(60):
        pk = 100 + i
        parent = None if i % 6 == 0 else pk - 1 if i % 6 < 5 else pk - 3
        depth = 0 if parent is None else depth_of[parent] + 1
        depth_of[pk] = depth
        rows.append(
            ThreadComment(
                pk=pk,
                parent_id=parent,
                thread_id=100 + i - i % 6,
                depth=depth,
                status=Comment.Status.PUBLISHED,
                created_at=start + timedelta(minutes=37 * i),
                edited_at=None,
                body=f"Comment {i} on the council's budget plan.\n\nA second paragraph.",
                guest_name=f"Reader Number{i}",
                user_id=None,
                username=None,
                first_name=None,
                last_name=None,
                display_name=None,
                avatar=None,
                deleted_at=None,
            )
        )
    return rows


def test_each_comment_adds_a_bounded_number_of_bytes_of_markup():
    from comments.rendering import ListOptions, comment_list_html
    from comments.threads import build_threads, flatten

    rows = _fixed_discussion()
    roots = {row.pk: n for n, row in enumerate((r for r in rows if r.parent_id is None), 1)}
    items = flatten(build_threads(rows, root_numbers=roots))
    html = comment_list_html(items, ListOptions(is_open=True, max_depth=5, page_number=1))

    assert html.count('<li id="comment-') == len(rows) == 60
    assert html.count("replyto=") == len([r for r in rows if r.depth < 4])  # nothing lost
    assert html.count('/report/">Report</a>') == len(rows)
    text = sum(len(comment_body_html(row.body)) for row in rows)
    per_comment = (len(html) - text) / len(rows)
    assert per_comment <= MARKUP_BYTES_PER_COMMENT, per_comment


def test_only_replies_where_a_phone_stops_indenting_name_whom_they_answer():
    from comments.rendering import REPLY_TO_FROM_DEPTH, ListOptions, comment_list_html
    from comments.threads import build_threads, flatten

    rows = _fixed_discussion()
    roots = {row.pk: n for n, row in enumerate((r for r in rows if r.parent_id is None), 1)}
    items = flatten(build_threads(rows, root_numbers=roots))
    html = comment_list_html(items, ListOptions(is_open=True, max_depth=5, page_number=1))

    deep = [row for row in rows if row.depth >= REPLY_TO_FROM_DEPTH]
    assert deep
    assert html.count('<p class="re">') == len(deep)
    by_pk = {row.pk: row for row in rows}
    for row in deep:
        parent = by_pk[row.parent_id]
        assert (
            f'<li id="comment-{row.pk}"><span class="av c{avatar_colour(row.guest_name)}"' in html
        )
        said = html.split(f'<li id="comment-{row.pk}">', 1)[1].split("</p>", 1)[0]
        assert said.endswith(f'<p class="re">In reply to {parent.guest_name}')


def test_a_reply_under_a_removed_comment_does_not_name_its_author():
    from comments.models import Comment
    from comments.rendering import REPLY_TO_FROM_DEPTH, ListOptions, comment_list_html
    from comments.threads import build_threads, flatten

    rows = _fixed_discussion()[:6]
    parent = next(row for row in rows if row.depth == REPLY_TO_FROM_DEPTH - 1)
    reply = next(row for row in rows if row.parent_id == parent.pk)
    parent.status = Comment.Status.HIDDEN
    items = flatten(build_threads(rows, root_numbers={rows[0].pk: 1}))
    html = comment_list_html(items, ListOptions(is_open=True, max_depth=5, page_number=1))

    assert f'<li id="comment-{parent.pk}"><p class="comment-removed">' in html
    assert f'<li id="comment-{reply.pk}">' in html
    assert parent.guest_name not in html
    assert '<p class="re">' not in html


def test_only_threads_with_replies_fold_and_each_says_how_many():
    from comments.rendering import ListOptions, comment_list_html
    from comments.threads import build_threads, flatten

    rows = _fixed_discussion()[:13]  # two threads of six, a third with no reply
    roots = {row.pk: n for n, row in enumerate((r for r in rows if r.parent_id is None), 1)}
    items = flatten(build_threads(rows, root_numbers=roots))
    html = comment_list_html(items, ListOptions(is_open=True, max_depth=5, page_number=1))

    summary = "<details open><summary><span>Hide</span><span>Show</span> 5 replies</summary><ol>"
    assert html.count(summary) == 2
    assert html.count("<details") == html.count("</details>") == 2
    # Each thread's replies, and only they, are in its <details>; the lone comment has none.
    first, _, third = html.split('class="thread"')[1:]
    folded = first.split("<details open>")[1].split("</details>")[0]
    assert folded.count("<li") == 5
    assert first.split("</details>")[1] == '</li>\n<li id="comment-106" '
    assert "<details" not in third
    assert html.count("<ol") == html.count("</ol>")


def test_one_reply_is_one_reply():
    from comments.rendering import ListOptions, comment_list_html
    from comments.threads import build_threads, flatten

    rows = _fixed_discussion()[:2]
    items = flatten(build_threads(rows, root_numbers={rows[0].pk: 1}))
    html = comment_list_html(items, ListOptions(is_open=True, max_depth=5, page_number=1))
    assert "<span>Show</span> 1 reply</summary>" in html

"""The moderation policy, ``comments.moderation``: pure functions, no database."""

import itertools
import re

import pytest

from comments import matching, moderation
from comments.matching import count_links, normalise, uses_any_word, word_list
from comments.models import Comment, DiscussionSettings, ModerationEvent
from comments.moderation import (
    BLOCK_WORD,
    FIRST_TIME,
    HOLD_ALL,
    HOLD_WORD,
    TOO_MANY_LINKS,
    Verdict,
    assess_comment,
)

PUBLISHED = Comment.Status.PUBLISHED
PENDING = Comment.Status.PENDING
SPAM = Comment.Status.SPAM
Mode = DiscussionSettings.ModerationMode

ZWSP = "\N{ZERO WIDTH SPACE}"
ZWJ = "\N{ZERO WIDTH JOINER}"
ZWNJ = "\N{ZERO WIDTH NON-JOINER}"
SOFT_HYPHEN = "\N{SOFT HYPHEN}"
# "spam" in Cyrillic letters: dze, er, a, em.
CYRILLIC_SPAM = "\N{CYRILLIC SMALL LETTER DZE}\N{CYRILLIC SMALL LETTER ER}\N{CYRILLIC SMALL LETTER A}\N{CYRILLIC SMALL LETTER EM}"  # noqa: E501


def fullwidth(text: str) -> str:
    """``text`` in the full-width forms Chinese and Japanese keyboards type (U+FF01 onwards)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def settings(**fields) -> DiscussionSettings:
    """Discussion settings in memory, defaults unless given."""
    return DiscussionSettings(**fields)


def assess(body: str, *, first_time: bool = False, trusted: bool = False, **fields) -> Verdict:
    return assess_comment(
        body=body, settings=settings(**fields), is_first_time=first_time, is_trusted=trusted
    )


# --- Normalising --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("SPAM", "spam"),
        (CYRILLIC_SPAM, "spam"),
        ("\N{CYRILLIC CAPITAL LETTER ES}\N{CYRILLIC CAPITAL LETTER A}SINO", "casino"),
        ("\N{GREEK CAPITAL LETTER ETA}ELLO", "hello"),  # a capital eta looks like H
        ("\N{GREEK SMALL LETTER ETA}ice", "nice"),  # a small eta looks like n
        (fullwidth("FREE MONEY"), "free money"),
        ("\N{MATHEMATICAL BOLD SMALL S}\N{MATHEMATICAL BOLD SMALL P}am", "spam"),
        (f"sp{ZWSP}a{ZWJ}m{ZWNJ}", "spam"),
        (f"vi{SOFT_HYPHEN}agra", "viagra"),
        (
            "v\N{LATIN SMALL LETTER I WITH DIAERESIS}agr\N{LATIN SMALL LETTER A WITH RING ABOVE}",
            "viagra",
        ),
        ("Stra\N{LATIN SMALL LETTER SHARP S}e", "strasse"),
        ("ﬁne", "fine"),  # a ligature
    ],
)
def test_normalise_folds_case_accents_lookalikes_and_invisible_characters(text, normal):
    assert normalise(text) == normal


# --- Words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        ("\n\n   \n", ()),
        ("spam", ("spam",)),
        ("  Spam  \n\nEGGS\n", ("spam", "eggs")),
        ("buy   cheap\twatches", ("buy cheap watches",)),
        ("spam\nSPAM\nspam ", ("spam",)),
        ("spam\r\neggs", ("spam", "eggs")),
        (f"{ZWSP}\n", ()),
    ],
)
def test_word_list_takes_one_word_or_phrase_a_line_and_ignores_blanks(text, expected):
    assert word_list(text) == expected


@pytest.mark.parametrize(
    ("body", "words", "uses"),
    [
        # whole words only
        ("What an ass.", "ass", True),
        ("A first-class passage about bass and assets.", "ass", False),
        ("Classic", "ass", False),
        ("ass-hat", "ass", True),  # a hyphen is not part of a word
        ("(ass)", "ass", True),
        ("spam_bot", "spam", False),  # an underscore is
        # case
        ("BUY VIAGRA NOW", "viagra", True),
        ("Buy Viagra now", "VIAGRA", True),
        # look-alikes and invisible characters
        (f"Cheap {CYRILLIC_SPAM} here", "spam", True),
        (f"Cheap vi{ZWSP}ag{ZWJ}ra here", "viagra", True),
        (f"Cheap vi{SOFT_HYPHEN}agra here", "viagra", True),
        (f"Cheap {fullwidth('viagra')} here", "viagra", True),
        ("Cheap vïágrà here", "viagra", True),
        # a look-alike in the settings matches plain letters, too
        ("cheap spam", CYRILLIC_SPAM, True),
        # phrases match across any run of whitespace, and only whole
        ("Buy cheap watches today", "buy cheap watches", True),
        ("Buy  cheap\n\twatches today", "buy cheap watches", True),
        ("Buy cheap watchestoday", "buy cheap watches", False),
        ("Buy cheap, watches", "buy cheap watches", False),
        ("rebuy cheap watches", "buy cheap watches", False),
        # several words; any one matches
        ("nothing to see", "spam\neggs\nham", False),
        ("green eggs", "spam\neggs\nham", True),
        # punctuation inside a listed word
        ("Make $$$ fast", "$$$", True),
        ("e-mail me at once", "e-mail me", True),
        ("e.mail me", "e-mail me", False),
        # what is deliberately not matched
        ("s.p.a.m", "spam", False),
        ("sp4m", "spam", False),
        # empty lists match nothing
        ("anything at all", "", False),
        ("anything at all", "\n  \n", False),
        ("", "spam", False),
    ],
)
def test_word_matching_is_word_aware_case_blind_and_lookalike_blind(body, words, uses):
    assert uses_any_word(body, words=words) is uses


# --- Links --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "links"),
    [
        ("No links here.", 0),
        ("", 0),
        ("See https://example.com/page?x=1 for more", 1),
        ("http://a.example and HTTPS://B.EXAMPLE.ORG", 2),
        ("ftp://files.example.net/x", 1),
        ("www.example.org", 1),
        ("Visit WWW.EXAMPLE.COM today", 1),
        ("One link, not three: http://www.example.com/path", 1),
        ("example.com", 1),
        ("example.com/path and shop.example.co.uk", 2),
        ("bit.ly/abc", 1),  # a path makes any domain a link
        ("home.it/page", 1),
        # obfuscated
        ("hxxp://evil.example", 1),
        ("hxxps://evil.example", 1),
        ("h**p://evil.example", 1),
        ("http[:]//evil.example", 1),
        ("http : //evil.example", 1),
        ("example[.]com", 1),
        ("example(.)com", 1),
        ("example (dot) com", 1),
        ("example{dot}com", 1),
        ("example dot com", 1),
        ("EXAMPLE DOT COM", 1),
        ("www dot example dot com", 1),
        ("example dot co dot uk", 1),
        (f"exa{ZWSP}mple.com", 1),
        (fullwidth("example.com"), 1),
        ("example\N{IDEOGRAPHIC FULL STOP}com", 1),
        # not links
        ("Write to jane@example.org", 0),
        ("I went home.It was late", 0),  # .it without a path: a missing space
        ("See setup.py and index.html, version 1.2.3, pi is 3.14", 0),
        ("e.g. this, i.e. that", 0),
        ("connect the dots to the picture", 0),
        # each occurrence counts
        ("example.com example.com example.com", 3),
        ("a.com b.net c.org d.info", 4),
    ],
)
def test_count_links_counts_plain_and_obfuscated_links(body, links):
    assert count_links(body) == links


@pytest.mark.parametrize(
    ("links", "limit", "status"),
    [(0, 0, PUBLISHED), (1, 0, PENDING), (2, 2, PUBLISHED), (3, 2, PENDING), (5, 10, PUBLISHED)],
)
def test_more_links_than_the_limit_hold_the_comment(links, limit, status):
    body = " ".join(f"https://site{n}.example/" for n in range(links))
    verdict = assess(f"Look: {body}", hold_link_count=limit)
    assert verdict.status == status
    assert verdict.reasons == ((TOO_MANY_LINKS,) if status == PENDING else ())


# --- Worst cases --------------------------------------------------------------


class Recording:
    """Stands in for a compiled pattern and keeps every text it is run over."""

    def __init__(self, pattern: re.Pattern[str], texts: list[str]) -> None:
        self.pattern = pattern
        self.texts = texts

    def __getattr__(self, name: str):
        method = getattr(self.pattern, name)

        def run(*args, **kwargs):
            # The text searched is the last string argument (sub takes the replacement first).
            self.texts.append(next(arg for arg in reversed(args) if isinstance(arg, str)))
            return method(*args, **kwargs)

        return run


RUN = " \t\n" * 1_700  # 5,100 characters of whitespace: a body's whole length

# A pattern that starts with a whitespace quantifier, tried at each position of a long run
# of whitespace, reads the rest of the run each time: quadratic (a 5,000-space body took
# half a second, 20,000 spaces 17 s). Python's re has no step counter to assert on, so the
# tests check what makes the work linear: no pattern is ever run over two whitespace
# characters in a row (each quantifier then matches at most one), and the answers stay.
WORST_BODIES = [
    ("[" + RUN + "x", 0, False),
    ("x" + RUN + "x", 0, False),
    ("http" + RUN, 0, False),
    ("example" + RUN + "[" + RUN + "." + RUN + "]" + RUN + "com", 1, False),
    ("example" + RUN + "dot" + RUN + "com", 1, False),
    ("hxxp" + RUN + ":" + RUN + "/" + RUN + "/x.example", 1, False),
    ("free" + RUN + "money", 0, True),
]


@pytest.mark.parametrize(("body", "links", "uses_phrase"), WORST_BODIES)
def test_link_and_word_patterns_never_scan_a_run_of_whitespace(
    monkeypatch, body, links, uses_phrase
):
    texts: list[str] = []
    recorded = tuple((Recording(p, texts), r) for p, r in matching._DEOBFUSCATE)
    monkeypatch.setattr(matching, "_DEOBFUSCATE", recorded)
    monkeypatch.setattr(matching, "_LINK", Recording(matching._LINK, texts))
    word_pattern = matching._word_pattern
    monkeypatch.setattr(matching, "_word_pattern", lambda w: Recording(word_pattern(w), texts))

    assert count_links(body) == links
    assert uses_any_word(body, words="free money") is uses_phrase
    assert len(texts) == len(recorded) + 2  # every pattern ran, each once
    assert not [text for text in texts if re.search(r"\s\s", text)]


# --- The verdict --------------------------------------------------------------


def test_an_ordinary_comment_is_published_with_no_reasons():
    assert assess("A perfectly ordinary comment.") == Verdict(PUBLISHED, ())


def test_a_block_word_sends_it_to_spam():
    assert assess(f"Buy {CYRILLIC_SPAM} now", block_words="spam") == Verdict(SPAM, (BLOCK_WORD,))


def test_a_hold_word_holds_it():
    assert assess("Buy CHEAP watches", hold_words="cheap") == Verdict(PENDING, (HOLD_WORD,))


def test_block_beats_every_hold_rule():
    verdict = assess(
        "cheap spam a.com b.com c.com",
        first_time=True,
        block_words="spam",
        hold_words="cheap",
        hold_link_count=0,
        moderation_mode=Mode.ALL,
    )
    assert verdict == Verdict(SPAM, (BLOCK_WORD,))


def test_every_hold_rule_that_fires_is_a_reason():
    verdict = assess(
        "cheap a.com b.com c.com", first_time=True, hold_words="cheap", moderation_mode=Mode.ALL
    )
    assert verdict == Verdict(PENDING, (TOO_MANY_LINKS, HOLD_WORD, HOLD_ALL))


def test_a_hold_word_inside_another_word_does_not_hold():
    assert assess("A classic passage.", hold_words="ass").status == PUBLISHED


@pytest.mark.parametrize(
    ("mode", "first_time", "verdict"),
    [
        (Mode.POST, False, Verdict(PUBLISHED, ())),
        (Mode.POST, True, Verdict(PUBLISHED, ())),
        (Mode.FIRST_TIME, False, Verdict(PUBLISHED, ())),
        (Mode.FIRST_TIME, True, Verdict(PENDING, (FIRST_TIME,))),
        (Mode.ALL, False, Verdict(PENDING, (HOLD_ALL,))),
        (Mode.ALL, True, Verdict(PENDING, (HOLD_ALL,))),
    ],
)
def test_moderation_mode_and_first_time(mode, first_time, verdict):
    assert assess("Hello.", first_time=first_time, moderation_mode=mode) == verdict


@pytest.mark.parametrize(
    "fields",
    [
        {"block_words": "spam"},
        {"hold_words": "spam"},
        {"hold_link_count": 0},
        {"moderation_mode": Mode.ALL},
        {"moderation_mode": Mode.FIRST_TIME},
    ],
)
def test_staff_are_never_held_or_blocked(fields):
    verdict = assess("spam at https://example.com", first_time=True, trusted=True, **fields)
    assert verdict == Verdict(PUBLISHED, ())


@pytest.mark.parametrize(
    ("body", "fields", "spam_score", "verdict"),
    [
        ("a.com b.com c.com", {}, None, Verdict(PUBLISHED, ())),
        ("Hello.", {"moderation_mode": Mode.FIRST_TIME}, None, Verdict(PUBLISHED, ())),
        ("Casino!", {"block_words": "casino"}, None, Verdict(SPAM, (BLOCK_WORD,))),
        ("Casino!", {"hold_words": "casino"}, None, Verdict(PENDING, (HOLD_WORD,))),
        ("Hello.", {"moderation_mode": Mode.ALL}, None, Verdict(PENDING, (HOLD_ALL,))),
        ("Hello.", {}, 0.95, Verdict(PENDING, (moderation.SPAM_FILTER,))),
    ],
)
def test_a_trusted_commenter_skips_only_the_link_and_first_time_holds(
    body, fields, spam_score, verdict
):
    assessed = assess_comment(
        body=body,
        settings=settings(**fields),
        is_first_time=True,
        spam_score=spam_score,
        is_trusted_commenter=True,
    )

    assert assessed == verdict


def test_the_verdict_is_frozen():
    verdict = assess("Hello.")
    with pytest.raises(AttributeError):
        verdict.status = SPAM


def test_every_combination_of_reasons_fits_the_event_log():
    longest = ModerationEvent._meta.get_field("rule").max_length
    holds = [TOO_MANY_LINKS, HOLD_WORD, FIRST_TIME]  # "hold all" and first-time exclude
    for n in range(1, len(holds) + 1):
        for reasons in itertools.combinations([*holds, HOLD_ALL], n):
            if HOLD_ALL in reasons and FIRST_TIME in reasons:
                continue
            assert len(", ".join(reasons)) <= longest, reasons
    assert len(BLOCK_WORD) <= longest

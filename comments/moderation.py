"""The moderation policy: what happens to a new comment before anyone has read it.

``assess_comment`` is a pure function (no database, no clock, no settings module): it takes
the comment's text, the discussion settings and facts about the sender, runs a table of
small rules and returns a ``Verdict``: publish, hold for a moderator (pending), or spam.
``comments.services.comment_create`` calls it and stores the verdict; the reasons go to the
moderation log only and are never shown to the sender, so a spammer learns nothing about
which word or rule caught them. Flood control and duplicates need the database and stay in
the service, where they refuse the comment with a message instead.

The rules, in order:

1. **Trusted senders** (staff: editors, moderators, administrators) are never held or
   blocked. They are accountable for what they post, and a moderator quoting a blocked
   phrase while explaining a removal must not end up in the spam folder.
2. **Block words** send the comment straight to spam (reason ``"block word"``). A block
   beats every hold rule.
   So does the spam filter (``comments.spamfilter``) when its score reaches the settings'
   spam score (reason ``"spam filter"``).
3. **Hold rules** put it in the queue; every one that fires is recorded:
   ``"links"`` (more than ``hold_link_count`` links), ``"hold word"``, ``"hold all"``
   (moderation mode *hold all*), ``"first-time commenter"`` (mode *first-time* and the
   sender has no earlier published comment), ``"spam filter"`` (its score reaches the
   hold score), ``"held discussion"`` (the post's discussion is in held mode,
   ``comments.modes``: every comment waits for a moderator; named first, so the log
   always shows it) and ``"akismet"`` (Akismet, when configured, says spam: it holds a
   comment for a moderator and never spams one on its own). A **trusted commenter**
   (``is_trusted_commenter``: a member with a good record) skips the link and first-time
   holds, WordPress's "previously approved" rule made explicit; every other rule, block
   words first, still applies to them.

Words and phrases come from the settings, one per line; blank lines and surrounding spaces
are ignored. Matching is done on a *normalised* copy of both sides (see ``normalise``):
case-insensitive, accent-insensitive, blind to zero-width characters, full-width letters
and the common Cyrillic and Greek look-alikes of Latin letters. It is word-aware: a word
matches only as a whole word (``ass`` does not match ``class`` or ``passage``), and the
words of a phrase match across any run of whitespace, line breaks included. Letters split
by punctuation or spaces (``s.p.a.m``) and digits standing in for letters (``sp4m``) are
not matched: chasing those catches more innocent comments than spam.

What counts as a link (see ``count_links``), after the same normalisation:

- anything starting with ``http://``, ``https://`` or ``ftp://``, also written
  ``hxxp://``, ``h**p://``, ``http[:]//`` or with spaces around the colon;
- anything starting with ``www.``;
- a bare domain whose last part is a common top-level domain (``example.com``,
  ``shop.example.co.uk``), or any bare domain followed by a path (``bit.ly/x``);
  top-level domains that are also English words (``.it``, ``.me``, ``.to``, ``.in`` …)
  count only with a path, so ``home.It was`` is not a link;
- the same with the dot written ``[.]``, ``(.)``, ``{dot}``, ``(dot)``, or ``dot`` between
  spaces before a listed top-level domain (``example dot com``).

E-mail addresses are not links. Each occurrence counts, so the same link three times is
three links.
"""

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from comments.models import Comment, DiscussionSettings

# --- The verdict --------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What to do with a new comment: its ``status`` (published, pending or spam) and the
    names of the rules that decided it (empty when it is published)."""

    status: str
    reasons: tuple[str, ...] = ()

    @property
    def is_published(self) -> bool:
        return self.status == Comment.Status.PUBLISHED


PUBLISH = Verdict(Comment.Status.PUBLISHED)

# Reasons are stored in ModerationEvent.rule (40 characters), joined by ", ": keep them
# short enough that every combination fits (tests check it).
BLOCK_WORD = "block word"
TOO_MANY_LINKS = "links"
HOLD_WORD = "hold word"
HOLD_ALL = "hold all"
FIRST_TIME = "first-time commenter"
SPAM_FILTER = "spam filter"
AKISMET = "akismet"
HELD_DISCUSSION = "held discussion"


# --- Normalising text ---------------------------------------------------------


def _lookalikes(table: dict[str, str]) -> dict[int, str]:
    """A ``str.translate`` table from {"A": "CYRILLIC CAPITAL LETTER A, ..."}: each named
    character becomes the key's text. Names, not the characters themselves, so a reader can
    tell the look-alikes apart."""
    return {
        ord(unicodedata.lookup(name.strip())): latin
        for latin, names in table.items()
        for name in names.split(",")
    }


# Look-alikes taken before case folding, where capitals and small letters differ in shape
# (a Greek capital eta looks like H, a small eta like n).
_CAPITAL_LOOKALIKES = _lookalikes(
    {
        "A": "CYRILLIC CAPITAL LETTER A, GREEK CAPITAL LETTER ALPHA",
        "B": "CYRILLIC CAPITAL LETTER VE, GREEK CAPITAL LETTER BETA",
        "C": "CYRILLIC CAPITAL LETTER ES",
        "E": "CYRILLIC CAPITAL LETTER IE, GREEK CAPITAL LETTER EPSILON",
        "H": "CYRILLIC CAPITAL LETTER EN, GREEK CAPITAL LETTER ETA",
        "I": "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I, CYRILLIC LETTER PALOCHKA,"
        " GREEK CAPITAL LETTER IOTA",
        "J": "CYRILLIC CAPITAL LETTER JE",
        "K": "CYRILLIC CAPITAL LETTER KA, GREEK CAPITAL LETTER KAPPA",
        "M": "CYRILLIC CAPITAL LETTER EM, GREEK CAPITAL LETTER MU",
        "N": "GREEK CAPITAL LETTER NU",
        "O": "CYRILLIC CAPITAL LETTER O, GREEK CAPITAL LETTER OMICRON",
        "P": "CYRILLIC CAPITAL LETTER ER, GREEK CAPITAL LETTER RHO",
        "Q": "CYRILLIC CAPITAL LETTER QA",
        "S": "CYRILLIC CAPITAL LETTER DZE",
        "T": "CYRILLIC CAPITAL LETTER TE, GREEK CAPITAL LETTER TAU",
        "W": "CYRILLIC CAPITAL LETTER WE",
        "X": "CYRILLIC CAPITAL LETTER HA, GREEK CAPITAL LETTER CHI",
        "Y": "CYRILLIC CAPITAL LETTER U, CYRILLIC CAPITAL LETTER STRAIGHT U,"
        " GREEK CAPITAL LETTER UPSILON",
        "Z": "GREEK CAPITAL LETTER ZETA",
        # Full stops of other scripts, so they cannot hide a domain.
        ".": "IDEOGRAPHIC FULL STOP",
    }
)

# Look-alikes taken after case folding.
_SMALL_LOOKALIKES = _lookalikes(
    {
        "a": "CYRILLIC SMALL LETTER A, GREEK SMALL LETTER ALPHA, LATIN SMALL LETTER ALPHA",
        "b": "CYRILLIC SMALL LETTER VE, GREEK SMALL LETTER BETA",
        "c": "CYRILLIC SMALL LETTER ES",
        "d": "CYRILLIC SMALL LETTER KOMI DE",
        "e": "CYRILLIC SMALL LETTER IE, GREEK SMALL LETTER EPSILON",
        "g": "LATIN SMALL LETTER SCRIPT G",
        "h": "CYRILLIC SMALL LETTER EN, CYRILLIC SMALL LETTER SHHA, ARMENIAN SMALL LETTER HO",
        "i": "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I, GREEK SMALL LETTER IOTA,"
        " LATIN SMALL LETTER DOTLESS I",
        "j": "CYRILLIC SMALL LETTER JE",
        "k": "CYRILLIC SMALL LETTER KA, GREEK SMALL LETTER KAPPA",
        "l": "CYRILLIC SMALL LETTER PALOCHKA",
        "m": "CYRILLIC SMALL LETTER EM",
        "n": "CYRILLIC SMALL LETTER PE, GREEK SMALL LETTER ETA, ARMENIAN SMALL LETTER VO",
        "o": "CYRILLIC SMALL LETTER O, GREEK SMALL LETTER OMICRON, ARMENIAN SMALL LETTER OH",
        "p": "CYRILLIC SMALL LETTER ER, GREEK SMALL LETTER RHO",
        "q": "CYRILLIC SMALL LETTER QA",
        "s": "CYRILLIC SMALL LETTER DZE",
        "t": "CYRILLIC SMALL LETTER TE, GREEK SMALL LETTER TAU",
        "u": "GREEK SMALL LETTER UPSILON, ARMENIAN SMALL LETTER SEH",
        "v": "GREEK SMALL LETTER NU",
        "w": "CYRILLIC SMALL LETTER WE, GREEK SMALL LETTER OMEGA",
        "x": "CYRILLIC SMALL LETTER HA, GREEK SMALL LETTER CHI",
        "y": "CYRILLIC SMALL LETTER U, CYRILLIC SMALL LETTER STRAIGHT U, GREEK SMALL LETTER GAMMA",
    }
)

# Format characters (zero-width space and joiners, soft hyphen, direction marks) and
# combining marks (accents) are dropped.
_DROPPED_CATEGORIES = frozenset({"Cf", "Mn", "Me"})


def normalise(text: str) -> str:
    """``text`` reduced to the form the rules compare: zero-width and other invisible
    format characters removed, accents removed, compatibility forms folded (NFKC: full-width
    and mathematical letters become plain ones), look-alike Cyrillic and Greek letters
    replaced by the Latin letters they imitate, and case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    folded = unicodedata.normalize("NFKC", kept).translate(_CAPITAL_LOOKALIKES).casefold()
    return folded.translate(_SMALL_LOOKALIKES)


def _comparable(text: str) -> str:
    """``normalise``d ``text`` with every run of whitespace made one space: what the word
    and link patterns run over. They match across any run of whitespace, so nothing is
    lost; and since a run is then one character, no whitespace quantifier tried at each
    position of a run can read the rest of it again (that was quadratic: a body of 5,000
    spaces took half a second, 20,000 took 17 s)."""
    return " ".join(normalise(text).split())


# --- Words --------------------------------------------------------------------


def word_list(text: str) -> tuple[str, ...]:
    """The words and phrases of a settings field, one per line, normalised, without blanks
    or repeats, in their order."""
    words = (_comparable(line) for line in text.splitlines())
    return tuple(dict.fromkeys(word for word in words if word))


@functools.lru_cache(maxsize=32)
def _word_pattern(text: str) -> re.Pattern[str] | None:
    """One compiled pattern for all the words of a settings field (cached: the settings
    change rarely and every new comment is checked)."""
    words = word_list(text)
    if not words:
        return None
    phrases = (r"\s+".join(re.escape(part) for part in word.split()) for word in words)
    # Longest first, so a phrase wins over a word it starts with.
    alternatives = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def uses_any_word(text: str, *, words: str) -> bool:
    """Whether normalised ``text`` contains one of the words or phrases listed in ``words``
    (a settings field, one per line) as a whole word."""
    pattern = _word_pattern(words)
    return pattern is not None and pattern.search(_comparable(text)) is not None


# --- Links --------------------------------------------------------------------

# Top-level domains that make a bare ``name.tld`` a link without a path: common generic and
# country ones, leaving out those that are English words.
_TLDS = (
    "com", "net", "org", "info", "biz", "io", "co", "xyz", "top", "site", "online", "club",
    "shop", "store", "app", "dev", "tech", "space", "website", "live", "pro", "mobi",
    "icu", "cyou", "buzz", "click", "link", "loan", "win", "bid", "vip", "tk", "ml", "ga",
    "cf", "gq", "pw", "ru", "su", "ua", "kz", "uk", "de", "fr", "nl", "eu", "ca", "au",
    "cn", "jp", "br", "es", "pl", "ch", "ly", "tv", "cc", "ws", "gg", "gl", "ir", "edu",
    "gov",
)  # fmt: skip
_TLD = "(?:" + "|".join(sorted(_TLDS, key=len, reverse=True)) + ")"

_DEOBFUSCATE: tuple[tuple[re.Pattern[str], str], ...] = (
    # hxxp://, h**p://, http[:]//, http : //
    (
        re.compile(r"\bh(?:tt|xx|tx|xt|\*\*)p(s?)\s*(?:\[:\]|\(:\)|\{:\}|:)\s*/\s*/"),
        r"http\1://",
    ),
    # example[.]com, example (dot) com, example{.}com
    (re.compile(r"\s*[\[({]\s*(?:\.|dot)\s*[\])}]\s*"), "."),
    # www dot example, example dot com
    (re.compile(r"\bwww\s+dot\s+"), "www."),
    (re.compile(rf"(?<=[a-z0-9])\s+dot\s+(?={_TLD}\b)"), "."),
)

_LINK = re.compile(
    rf"""
    (?:https?|ftp)://[^\s<>"']+                     # with a scheme
    | \bwww\.[^\s<>"']+                             # www.
    | (?<![\w@./-])                                 # a bare domain, not part of an address
      (?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+
      (?:{_TLD}(?![\w-])|[a-z]{{2,63}}/)
    """,
    re.VERBOSE,
)


def find_links(text: str) -> list[str]:
    """The links ``text`` holds, obfuscated ones included (see the module docstring for
    what counts), each as normalised and de-obfuscated (``example[.]com`` gives
    ``example.com``), in their order."""
    text = _comparable(text)
    for pattern, replacement in _DEOBFUSCATE:
        text = pattern.sub(replacement, text)
    return [match.group() for match in _LINK.finditer(text)]


def count_links(text: str) -> int:
    """How many links ``text`` holds, obfuscated ones included."""
    return len(find_links(text))


# --- The rules ----------------------------------------------------------------


@dataclass(frozen=True)
class _Comment:
    """What the rules look at."""

    body: str
    settings: DiscussionSettings
    is_first_time: bool
    spam_score: float | None
    is_trusted_commenter: bool
    akismet_says_spam: bool
    is_held_discussion: bool = False


Rule = Callable[[_Comment], str | None]


def spam_filter_status(*, score: float | None, settings: DiscussionSettings) -> str:
    """The status the spam filter's ``score`` (0 to 1) asks for: spam from the settings'
    spam score, pending (held) from their hold score, published below them or when there is
    no score (the filter has not learnt enough yet). A blank score in the settings never
    applies."""
    spam_at = settings.spam_filter_spam_score
    hold_at = settings.spam_filter_hold_score
    if score is None:
        return Comment.Status.PUBLISHED
    if spam_at is not None and score >= spam_at:
        return Comment.Status.SPAM
    if hold_at is not None and score >= hold_at:
        return Comment.Status.PENDING
    return Comment.Status.PUBLISHED


def _spam_filter_blocks(c: _Comment) -> str | None:
    status = spam_filter_status(score=c.spam_score, settings=c.settings)
    return SPAM_FILTER if status == Comment.Status.SPAM else None


def _spam_filter_holds(c: _Comment) -> str | None:
    status = spam_filter_status(score=c.spam_score, settings=c.settings)
    return SPAM_FILTER if status == Comment.Status.PENDING else None


def _akismet(c: _Comment) -> str | None:
    return AKISMET if c.akismet_says_spam else None


def _block_words(c: _Comment) -> str | None:
    return BLOCK_WORD if uses_any_word(c.body, words=c.settings.block_words) else None


def _too_many_links(c: _Comment) -> str | None:
    if c.is_trusted_commenter:
        return None
    return TOO_MANY_LINKS if count_links(c.body) > c.settings.hold_link_count else None


def _hold_words(c: _Comment) -> str | None:
    return HOLD_WORD if uses_any_word(c.body, words=c.settings.hold_words) else None


def _hold_all(c: _Comment) -> str | None:
    mode = c.settings.moderation_mode
    return HOLD_ALL if mode == DiscussionSettings.ModerationMode.ALL else None


def _first_time(c: _Comment) -> str | None:
    mode = c.settings.moderation_mode
    is_held = mode == DiscussionSettings.ModerationMode.FIRST_TIME and c.is_first_time
    return FIRST_TIME if is_held and not c.is_trusted_commenter else None


def is_trusted_commenter(
    *, published: int, upheld_removals: int, settings: DiscussionSettings
) -> bool:
    """Whether a member with ``published`` published comments and ``upheld_removals``
    comments removed by a moderator within the settings' ``trusted_clean_days`` (and still
    removed) is a trusted commenter: the settings trust members, the member has at least
    ``trusted_after_comments`` published comments, and no removal stands against them."""
    return (
        settings.trust_members
        and published >= settings.trusted_after_comments
        and upheld_removals == 0
    )


def _held_discussion(c: _Comment) -> str | None:
    return HELD_DISCUSSION if c.is_held_discussion else None


# Each status with the rules that lead to it, strongest first; the first status with a rule
# that fires wins, and every rule of that status that fires is a reason.
RULES: tuple[tuple[str, tuple[Rule, ...]], ...] = (
    (Comment.Status.SPAM, (_block_words, _spam_filter_blocks)),
    (
        Comment.Status.PENDING,
        (
            _held_discussion,
            _too_many_links,
            _hold_words,
            _hold_all,
            _first_time,
            _spam_filter_holds,
            _akismet,
        ),
    ),
)


def assess_comment(
    *,
    body: str,
    settings: DiscussionSettings,
    is_first_time: bool,
    is_trusted: bool = False,
    spam_score: float | None = None,
    is_trusted_commenter: bool = False,
    akismet_says_spam: bool = False,
    is_held_discussion: bool = False,
) -> Verdict:
    """Decide what happens to a new comment with text ``body``: published, held (pending)
    or spam, with the reasons.

    ``is_first_time``: the sender has no earlier published comment (only the first-time
    moderation mode uses it). ``is_trusted``: the sender is staff, whose comments are always
    published. ``spam_score``: the spam filter's score, None when it gave none.
    ``is_trusted_commenter``: a member with a good record (``is_trusted_commenter``), who
    skips the link and first-time holds. ``akismet_says_spam``: Akismet's verdict, which
    holds. ``is_held_discussion``: the post's discussion holds every comment (held mode).
    Block words beat every hold rule. Reads only its arguments.
    """
    if is_trusted:
        return PUBLISH
    comment = _Comment(
        body=body,
        settings=settings,
        is_first_time=is_first_time,
        spam_score=spam_score,
        is_trusted_commenter=is_trusted_commenter,
        akismet_says_spam=akismet_says_spam,
        is_held_discussion=is_held_discussion,
    )
    for status, rules in RULES:
        reasons = tuple(reason for rule in rules if (reason := rule(comment)) is not None)
        if reasons:
            return Verdict(status, reasons)
    return PUBLISH

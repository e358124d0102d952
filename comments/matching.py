"""How comment text is compared with the moderation settings' word lists and scanned for
links: the part of the moderation policy (``comments.moderation``) that reads text.

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

"""What the spam filter looks at in a comment: its features, each a token with a label.

A token is what the counts are kept under (``casino``, ``buy cheap``, ``domain:pills.example``,
``links:3+``); its label is how a moderator reads it in an explanation (``'casino'``,
``'buy cheap'``, ``link to pills.example``, ``3 links``). The text is read the way the hold
and block words are (``comments.matching.normalise``: case, accents, invisible characters,
full-width letters and Cyrillic or Greek look-alikes folded), so ``CASINO`` with a Cyrillic
ES and ``casino`` are one token, and the links are the ones the link rule counts
(``find_links``).

The features:

- the words of the text outside its links (two letters or more, numbers of up to four
  digits) and each pair of neighbouring words;
- the words of a guest's name (spammers sign with keywords);
- each link's domain, its ending (``.xyz``, ``.gov.uk``) and the words of its name, and
  how many links there are (0, 1, 2, 3 or more);
- an e-mail address or a phone number in the text, and the currency of a price;
- guest or member; for a member, how old the account was (a day, a month, older);
- whether it is the sender's first comment;
- look-alike letters: a word spelt with letters of another script or full-width forms that
  stand in for Latin ones (``casino`` with a Cyrillic ``a`` and ``o``).

Each comment gives a set (a token counts once however often it appears), at most
``MAX_FEATURES`` of them: the facts first, then words and pairs in the order they come.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from comments.matching import find_links, normalise

MAX_FEATURES = 400
MAX_TOKEN_LENGTH = 100  # SpamToken.token
MAX_WORD_LENGTH = 30
MAX_NUMBER_DIGITS = 4

MIN_SITE_WORD = 3

_WORD = re.compile(r"[^\W_]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"\+?\d[\d ().-]{6,}\d")
_CURRENCY = re.compile(r"[$€£]")
_SCHEME = re.compile(r"^(?:https?|ftp)://")


@dataclass(frozen=True)
class Sender:
    """What the filter knows about who sent a comment. ``account_age`` and
    ``is_first_comment`` are None when unknown (they are left out of the features)."""

    is_member: bool
    guest_name: str = ""
    account_age: timedelta | None = None
    is_first_comment: bool | None = None


def words(text: str) -> list[str]:
    """The words of ``text`` as the filter counts them, normalised, in order: two letters
    or more, numbers of at most four digits, nothing longer than thirty characters."""
    found = []
    for word in _WORD.findall(normalise(text)):
        if len(word) < 2 or len(word) > MAX_WORD_LENGTH:
            continue
        if word.isdigit() and len(word) > MAX_NUMBER_DIGITS:
            continue
        found.append(word)
    return found


def link_domain(link: str) -> str:
    """The site a link (as ``find_links`` gives it) points at, without ``www.`` and kept to
    the name one registers: ``shop.example.com`` gives ``example.com``, ``news.bbc.co.uk``
    gives ``bbc.co.uk``."""
    host = _SCHEME.sub("", link)
    host = re.split(r"[/?#]", host, maxsplit=1)[0].rpartition("@")[2].partition(":")[0]
    labels = [label for label in host.strip(".").split(".") if label]
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        labels = labels[-3:]  # a country's second level: co.uk, com.au
    else:
        labels = labels[-2:]
    return ".".join(labels)


@functools.lru_cache(maxsize=4096)
def _stands_in(ch: str) -> bool:
    """Whether ``ch`` is a letter that stands in for a plain Latin one: a look-alike from
    another script or a full-width or mathematical form. Accented Latin letters do not."""
    if ch.isascii() or not ch.isalpha():
        return False
    if unicodedata.normalize("NFD", ch)[0].isascii():
        return False
    plain = normalise(ch)
    return plain.isascii() and plain.isalpha()


def uses_lookalikes(text: str) -> bool:
    """Whether a word of ``text`` is spelt with stand-in letters: look-alikes mixed with
    plain Latin letters (``casino`` with a Cyrillic ``a``), or full-width or mathematical
    letters (``Buy`` in full-width). A word in Russian or Greek is not: it mixes in no
    Latin letter, even when all its letters happen to look Latin."""
    for word in re.findall(r"\w+", unicodedata.normalize("NFC", text)):
        letters = [ch for ch in word if ch.isalpha()]
        stand_ins = [ch for ch in letters if _stands_in(ch)]
        if not stand_ins or not all(ch.isascii() or _stands_in(ch) for ch in letters):
            continue
        has_latin = any(ch.isascii() for ch in letters)
        if has_latin or any(unicodedata.normalize("NFKC", ch) != ch for ch in stand_ins):
            return True
    return False


def _links_feature(count: int) -> tuple[str, str]:
    if count == 0:
        return "links:0", "no links"
    if count == 1:
        return "links:1", "1 link"
    bucket = "2" if count == 2 else "3+"
    return f"links:{bucket}", f"{count} links"


def _link_features(link: str) -> dict[str, str]:
    """What a link says: its domain, the domain's ending (``.xyz``, ``.gov.uk``) and the
    words of the domain's name and of the path (``cheap-pills.example/buy-now`` gives
    ``cheap``, ``pills``, ``buy``, ``now``), each worth learning on its own since spam
    sites are new every day."""
    domain = link_domain(link)
    if not domain:
        return {}
    name, _, ending = domain.partition(".")
    features = {
        f"domain:{domain}"[:MAX_TOKEN_LENGTH]: f"link to {domain}",
        f"ending:{ending}"[:MAX_TOKEN_LENGTH]: f"a .{ending} link",
    }
    path = _SCHEME.sub("", link).partition("/")[2]
    for word in re.split(r"[^a-z]+", f"{name} {path}"):
        if MIN_SITE_WORD <= len(word) <= MAX_WORD_LENGTH:
            features[f"site:{word}"] = f"'{word}' in a link"
    return features


def _contact_features(prose: str) -> dict[str, str]:
    """Ways to reach the sender away from the site, which spam offers and readers rarely
    do: an e-mail address, a phone number; and the currency a price is written in."""
    features = {}
    if _EMAIL.search(prose):
        features["contact:email"] = "an e-mail address"
    if _PHONE.search(prose):
        features["contact:phone"] = "a phone number"
    for symbol in sorted(set(_CURRENCY.findall(prose))):
        features[f"currency:{symbol}"] = f"'{symbol}'"
    return features


def _sender_features(sender: Sender) -> dict[str, str]:
    features = {}
    if sender.is_member:
        features["sender:member"] = "member"
        if sender.account_age is not None:
            if sender.account_age < timedelta(days=1):
                features["account:day"] = "new account"
            elif sender.account_age < timedelta(days=30):
                features["account:month"] = "account under a month old"
            else:
                features["account:older"] = "account over a month old"
    else:
        features["sender:guest"] = "guest"
        for word in words(sender.guest_name):
            features[f"name:{word}"] = f"name '{word}'"
    if sender.is_first_comment is not None:
        if sender.is_first_comment:
            features["first:yes"] = "first comment"
        else:
            features["first:no"] = "has commented before"
    return features


def comment_features(body: str, sender: Sender) -> dict[str, str]:
    """The features of a comment with text ``body`` from ``sender``: token → label, at most
    ``MAX_FEATURES``, the facts about links and sender first."""
    links = find_links(body)
    features = dict([_links_feature(len(links))])
    for link in links:
        features.update(_link_features(link))
    if uses_lookalikes(body):
        features["style:lookalikes"] = "look-alike letters"
    features.update(_sender_features(sender))
    # The words around the links: a link's own parts (https, www, com) say less than
    # its domain, which has features of its own.
    prose = " ".join(normalise(body).split())
    for link in links:
        prose = prose.replace(link, " ")
    features.update(_contact_features(prose))
    text_words = words(prose)
    for index, word in enumerate(text_words):
        if len(features) >= MAX_FEATURES:
            break
        features.setdefault(word, f"'{word}'")
        if index:
            pair = f"{text_words[index - 1]} {word}"
            features.setdefault(pair, f"'{pair}'")
    return dict(list(features.items())[:MAX_FEATURES])

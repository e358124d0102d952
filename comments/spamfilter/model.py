"""The spam filter's sums: naive Bayes over a comment's features, as SpamBayes does it.

Pure functions over counts, no database: the site's learnt model keeps its counts in the
database (``comments.spamfilter.service``), ``manage.py spamfilter_eval`` in a
``MemoryModel``, and both score with ``spam_score``.

For each feature of a comment, how spammy it is on its own:

    p = (spam rate) / (spam rate + legitimate rate)

where a rate is the share of learnt comments of that kind that had the feature, so it does
not matter that a site learns far more legitimate comments than spam. Smoothed towards an
even 0.5 for rarely seen features (Robinson's smoothing, strength ``UNKNOWN_STRENGTH``):
a word seen once in one spam is a hint, not proof. Features near 0.5 say nothing and are
left out; of the rest the ``MAX_CLUES`` strongest are combined with Fisher's method (a
chi-squared test of "these are all spammy" against "these are all legitimate"), which
gives a score from 0 (legitimate) to 1 (spam) that stays near 0.5 when the evidence is
mixed, instead of the near-certain 0 or 1 that multiplying probabilities gives. The
strongest clues the other way are what the moderator is shown.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

UNKNOWN_STRENGTH = 0.45
UNKNOWN_PROBABILITY = 0.5
MIN_STRENGTH = 0.1
MAX_CLUES = 150
CLUES_SHOWN = 3


@dataclass(frozen=True)
class Clue:
    """One feature that moved the score: its token, its label for people, and how spammy
    it is on its own (0 to 1)."""

    token: str
    label: str
    probability: float


@dataclass(frozen=True)
class Score:
    """A comment's score from 0 (legitimate) to 1 (spam), with the clues that gave it,
    strongest first."""

    value: float
    clues: tuple[Clue, ...] = ()

    def pushed_by(self, count: int = CLUES_SHOWN) -> list[Clue]:
        """The strongest clues on the side the score came down on."""
        spammy = self.value >= UNKNOWN_PROBABILITY
        same_way = [clue for clue in self.clues if (clue.probability > 0.5) == spammy]
        return same_way[:count]

    def explain(self, verdict: str) -> str:
        """One line for a moderator: ``held: 0.94 — 'casino', 3 links, new account``."""
        # Two decimals, never rounded up: 0.996 is not yet 1.00.
        shown = f"{math.floor(self.value * 100) / 100:.2f}"
        labels = ", ".join(clue.label for clue in self.pushed_by())
        return f"{verdict}: {shown} — {labels}" if labels else f"{verdict}: {shown}"


def feature_probability(*, spam: int, ham: int, spam_total: int, ham_total: int) -> float:
    """How spammy one feature is on its own, seen in ``spam`` of ``spam_total`` learnt spam
    and ``ham`` of ``ham_total`` learnt legitimate comments, smoothed towards 0.5."""
    spam_rate = spam / spam_total if spam_total else 0.0
    ham_rate = ham / ham_total if ham_total else 0.0
    if spam_rate + ham_rate == 0:
        return UNKNOWN_PROBABILITY
    raw = spam_rate / (spam_rate + ham_rate)
    seen = spam + ham
    return (UNKNOWN_STRENGTH * UNKNOWN_PROBABILITY + seen * raw) / (UNKNOWN_STRENGTH + seen)


def _chi2_survival(chi2: float, degrees: int) -> float:
    """P(X >= chi2) for X chi-squared with an even number of ``degrees``, summed in logs
    so a long comment's large statistic does not underflow to nothing."""
    half = chi2 / 2.0
    if half <= 0:
        return 1.0
    terms = [-half + i * math.log(half) - math.lgamma(i + 1) for i in range(degrees // 2)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(term - top) for term in terms))


def spam_score(
    features: Mapping[str, str],
    counts: Mapping[str, tuple[int, int]],
    *,
    spam_total: int,
    ham_total: int,
) -> Score:
    """Score a comment from its ``features`` (token → label) and the learnt ``counts``
    (token → (spam, ham)) of those of its tokens that were ever learnt."""
    clues = []
    for token, label in features.items():
        spam, ham = counts.get(token, (0, 0))
        if not spam and not ham:
            continue
        probability = feature_probability(
            spam=spam, ham=ham, spam_total=spam_total, ham_total=ham_total
        )
        if abs(probability - 0.5) >= MIN_STRENGTH:
            clues.append(Clue(token, label, probability))
    clues.sort(key=lambda clue: abs(clue.probability - 0.5), reverse=True)
    clues = clues[:MAX_CLUES]
    if not clues:
        return Score(UNKNOWN_PROBABILITY)
    degrees = 2 * len(clues)
    spammy = 1.0 - _chi2_survival(-2.0 * sum(math.log1p(-c.probability) for c in clues), degrees)
    hammy = 1.0 - _chi2_survival(-2.0 * sum(math.log(c.probability) for c in clues), degrees)
    return Score((spammy - hammy + 1.0) / 2.0, tuple(clues))


@dataclass
class MemoryModel:
    """A learnt model held in memory: what ``spamfilter_eval`` trains and tests, leaving
    the site's own untouched."""

    spam_total: int = 0
    ham_total: int = 0
    tokens: dict[str, list[int]] = field(default_factory=dict)

    def learn(self, tokens: Iterable[str], *, is_spam: bool) -> None:
        column = 0 if is_spam else 1
        for token in set(tokens):
            self.tokens.setdefault(token, [0, 0])[column] += 1
        if is_spam:
            self.spam_total += 1
        else:
            self.ham_total += 1

    def score(self, features: Mapping[str, str]) -> Score:
        counts = {t: (c[0], c[1]) for t in features if (c := self.tokens.get(t)) is not None}
        return spam_score(features, counts, spam_total=self.spam_total, ham_total=self.ham_total)

"""Measuring the spam filter on a labelled corpus, away from the site's own learnt model.

A corpus is a JSON Lines file: one object a line, ``{"text": "...", "spam": true}``, with
an optional ``"name"`` (a guest's name), ``"email"`` (read but not used: the filter does not
look at addresses) and ``"member": true``. Blank lines are skipped.

``cross_validate`` splits it into ``folds`` parts by line (line *i* goes to part *i* mod
``folds``, after an optional shuffle by ``seed``), and for each part trains a fresh
``MemoryModel`` on the other parts and scores the comments of this one. Every comment is
scored once, by a model that never saw it; nothing is written to the database.
"""

import json
import random
from dataclasses import dataclass
from pathlib import Path

from comments.spamfilter.model import MemoryModel
from comments.spamfilter.tokens import Sender, comment_features


class CorpusError(ValueError):
    """A corpus that cannot be read; the message names the line."""


@dataclass(frozen=True)
class CorpusItem:
    text: str
    is_spam: bool
    name: str = ""
    is_member: bool = False

    def features(self) -> dict[str, str]:
        sender = Sender(is_member=self.is_member, guest_name="" if self.is_member else self.name)
        return comment_features(self.text, sender)


@dataclass(frozen=True)
class Scored:
    item: CorpusItem
    score: float
    explanation: str


@dataclass(frozen=True)
class Figures:
    """How the filter did at one hold score."""

    spam: int
    ham: int
    spam_held: int
    ham_held: int

    @property
    def recall(self) -> float:
        """The share of spam held."""
        return self.spam_held / self.spam if self.spam else 0.0

    @property
    def precision(self) -> float:
        """The share of held comments that were spam."""
        held = self.spam_held + self.ham_held
        return self.spam_held / held if held else 1.0

    @property
    def false_positive_rate(self) -> float:
        """The share of legitimate comments held."""
        return self.ham_held / self.ham if self.ham else 0.0


def _item(line: str, number: int) -> CorpusItem:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise CorpusError(f"Line {number} is not JSON ({error.msg}).") from None
    if not isinstance(data, dict):
        raise CorpusError(f"Line {number} is not a JSON object.")
    text, spam = data.get("text"), data.get("spam")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f'Line {number} has no "text".')
    if not isinstance(spam, bool):
        raise CorpusError(f'Line {number} needs "spam": true or false.')
    name, member = data.get("name", ""), data.get("member", False)
    if not isinstance(name, str) or not isinstance(member, bool):
        raise CorpusError(f'Line {number}: "name" must be text and "member" true or false.')
    return CorpusItem(text=text, is_spam=spam, name=name, is_member=member)


def read_corpus(path: Path) -> list[CorpusItem]:
    """The comments of the corpus at ``path``, in order. Refuses (``CorpusError``) a file
    that cannot be read, a line that is not a comment, and a corpus without both kinds."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusError(f"Cannot read {path}: {error}.") from None
    items = [_item(line, n) for n, line in enumerate(lines, start=1) if line.strip()]
    if not any(item.is_spam for item in items) or all(item.is_spam for item in items):
        raise CorpusError("The corpus needs both spam and legitimate comments.")
    return items


def cross_validate(items: list[CorpusItem], *, folds: int, seed: int | None = None) -> list[Scored]:
    """Score every item with a model trained on the other folds (see the module docstring)."""
    order = list(items)
    if seed is not None:
        random.Random(seed).shuffle(order)  # noqa: S311 (a repeatable split, not a secret)
    features = [item.features() for item in order]
    scored = []
    for fold in range(folds):
        model = MemoryModel()
        for index, item in enumerate(order):
            if index % folds != fold:
                model.learn(features[index], is_spam=item.is_spam)
        for index, item in enumerate(order):
            if index % folds == fold:
                score = model.score(features[index])
                scored.append(Scored(item, score.value, score.explain("score")))
    return scored


def figures(scored: list[Scored], *, threshold: float) -> Figures:
    """Counts of spam and legitimate comments, and of each held at ``threshold``."""
    spam = [s for s in scored if s.item.is_spam]
    ham = [s for s in scored if not s.item.is_spam]
    return Figures(
        spam=len(spam),
        ham=len(ham),
        spam_held=sum(s.score >= threshold for s in spam),
        ham_held=sum(s.score >= threshold for s in ham),
    )

"""``manage.py spamfilter_eval``: the filter measured on the corpus in tests/data meets the
goal (at least 90% of spam held at no more than 1% of legitimate comments held), without
touching the site's own learnt model, and a bad corpus or option gets a clear message."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comments.models import SpamFilterCounts, SpamLabel, SpamToken

CORPUS = Path(__file__).resolve().parents[2] / "data" / "spam_corpus.jsonl"


def run(*args: str) -> str:
    out = StringIO()
    call_command("spamfilter_eval", *args, stdout=out)
    return out.getvalue()


def test_the_corpus_has_hundreds_of_comments_of_both_kinds():
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]

    assert len(rows) >= 300
    assert sum(row["spam"] for row in rows) >= 100
    assert sum(not row["spam"] for row in rows) >= 200
    assert len({row["text"] for row in rows}) == len(rows)


@pytest.mark.django_db
@pytest.mark.parametrize("split", [[], ["--seed", "1"], ["--seed", "2"]])
def test_the_filter_meets_the_goal_on_the_corpus_and_leaves_the_site_s_model_alone(split):
    figures = json.loads(run(str(CORPUS), "--json", *split))

    assert figures["comments"] >= 300
    assert figures["hold"] == 0.7  # the settings' default
    assert figures["recall"] >= 0.90
    assert figures["false_positive_rate"] <= 0.01
    assert not SpamToken.objects.exists()
    assert not SpamFilterCounts.objects.exists()
    assert not SpamLabel.objects.exists()


def test_the_report_reads_as_sentences_and_lists_the_mistakes_when_asked():
    report = run(str(CORPUS), "--hold", "0.7", "-v", "2")

    assert "each scored by a model trained on the other 3" in report
    assert "Held from a score of 0.7:" in report
    assert "spam caught (recall):" in report
    assert "legitimate held (false-positive rate):" in report
    assert "missed spam: score: 0." in report


def test_a_higher_hold_score_catches_less_spam():
    at = {hold: json.loads(run(str(CORPUS), "--json", "--hold", hold)) for hold in ("0.7", "0.95")}

    assert at["0.95"]["recall"] < at["0.7"]["recall"]
    assert at["0.95"]["false_positive_rate"] <= at["0.7"]["false_positive_rate"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"text": "Fine.", "spam": false}', "{oops"], "Line 2 is not JSON"),
        (['["a list"]'], "Line 1 is not a JSON object."),
        (['{"text": "", "spam": true}'], 'Line 1 has no "text".'),
        (['{"text": "Buy now", "spam": "yes"}'], 'Line 1 needs "spam": true or false.'),
        (
            ['{"text": "Buy now", "spam": true, "member": "no"}'],
            'Line 1: "name" must be text and "member" true or false.',
        ),
        (['{"text": "Buy now", "spam": true}'] * 3, "needs both spam and legitimate comments"),
    ],
)
def test_a_corpus_that_cannot_be_read_is_refused_with_the_line(tmp_path, lines, message):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(CommandError, match=re.escape(message)):
        run(str(corpus))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--folds", "1"], "--folds must be 2 or more"),
        (["--hold", "0"], "--hold must be a score above 0 and at most 1."),
        (["--hold", "1.5"], "--hold must be a score above 0 and at most 1."),
    ],
)
def test_options_that_make_no_sense_are_refused(args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run(str(CORPUS), *args)


def test_a_missing_corpus_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nowhere.jsonl"))


def test_a_corpus_smaller_than_the_folds_is_refused(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "Buy", "spam": true}\n{"text": "Fine", "spam": false}\n')

    with pytest.raises(
        CommandError, match=re.escape("The corpus has 2 comments, fewer than --folds.")
    ):
        run(str(corpus))

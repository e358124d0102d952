import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comments.models import DiscussionSettings
from comments.spamfilter.evaluation import CorpusError, cross_validate, figures, read_corpus


class Command(BaseCommand):
    help = (
        "Measure the spam filter on a labelled corpus (JSON Lines: "
        '{"text": "...", "spam": true}, optional "name", "email", "member"): each comment is '
        "scored by a model trained on the rest of the corpus, in memory, and the command "
        "reports the spam caught (recall), precision and the legitimate comments held "
        "(false-positive rate). The site's own learnt model is not touched."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("corpus", type=Path, help="The corpus, one JSON object a line.")
        parser.add_argument(
            "--folds",
            type=int,
            default=4,
            help="Parts the corpus is split into by line (default 4: every 4th line is held "
            "out of training in turn).",
        )
        parser.add_argument(
            "--seed", type=int, help="Shuffle the lines with this seed before splitting."
        )
        parser.add_argument(
            "--hold",
            type=float,
            help="The score from which a comment is held (default: the settings' default).",
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, **options) -> None:
        folds = options["folds"]
        if folds < 2:
            raise CommandError(
                "--folds must be 2 or more: a model is never tested on what it learnt."
            )
        hold = options["hold"]
        if hold is None:
            hold = DiscussionSettings._meta.get_field("spam_filter_hold_score").default
        if not 0 < hold <= 1:
            raise CommandError("--hold must be a score above 0 and at most 1.")
        try:
            items = read_corpus(options["corpus"])
        except CorpusError as error:
            raise CommandError(str(error)) from None
        if len(items) < folds:
            raise CommandError(f"The corpus has {len(items)} comments, fewer than --folds.")

        scored = cross_validate(items, folds=folds, seed=options["seed"])
        result = figures(scored, threshold=hold)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "comments": len(scored),
                        "spam": result.spam,
                        "legitimate": result.ham,
                        "hold": hold,
                        "spam_held": result.spam_held,
                        "legitimate_held": result.ham_held,
                        "recall": result.recall,
                        "precision": result.precision,
                        "false_positive_rate": result.false_positive_rate,
                    }
                )
            )
            return
        self.stdout.write(
            f"{len(scored)} comments ({result.spam} spam, {result.ham} legitimate), "
            f"{folds} folds: each scored by a model trained on the other {folds - 1}."
        )
        self.stdout.write(f"Held from a score of {hold}:")
        self.stdout.write(
            f"  spam caught (recall): {result.spam_held} of {result.spam} = {result.recall:.1%}"
        )
        held = result.spam_held + result.ham_held
        self.stdout.write(
            f"  precision: {result.spam_held} of {held} held = {result.precision:.1%}"
        )
        self.stdout.write(
            f"  legitimate held (false-positive rate): {result.ham_held} of {result.ham} = "
            f"{result.false_positive_rate:.1%}"
        )
        if options["verbosity"] > 1:
            for each in sorted(scored, key=lambda s: s.score, reverse=True):
                wrong = each.item.is_spam != (each.score >= hold)
                if wrong:
                    kind = "missed spam" if each.item.is_spam else "legitimate held"
                    self.stdout.write(f"  {kind}: {each.explanation} | {each.item.text[:100]}")

from django.core.management.base import BaseCommand

from comments.services.bodies import BATCH_SIZE, comment_bodies_rerender


class Command(BaseCommand):
    help = (
        "Write the stored HTML of every comment body again from its text, after a change "
        "to how bodies are shown (escaping, paragraphs, links). Posts whose comments changed "
        "get a new comment version, so cached threads are replaced."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Comments read and written per transaction (default: {BATCH_SIZE}).",
        )

    def handle(self, *args, **options) -> None:
        verbose = options["verbosity"] > 1
        changed, posts = comment_bodies_rerender(
            batch_size=max(1, options["batch_size"]),
            progress=(lambda n: self.stdout.write(f"{n:,} comments read")) if verbose else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{changed:,} comment bodies rewritten, on {posts:,} posts; the rest were "
                "already up to date."
            )
        )

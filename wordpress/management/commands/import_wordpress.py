from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as ProgressBar

from wordpress.importer import import_wordpress
from wordpress.summary import ImportSummary, Progress, kind_name
from wordpress.wxr import WXRError

# The kinds the progress line counts, in the order it shows them.
COUNTED = ("author", "category", "tag", "post", "attachment", "comment", "skipped")


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export in WordPress): authors, categories, tags, "
        "posts with their comment threads and, from the uploads folder, their pictures. "
        "Running it again with the same file changes nothing; a newer export updates what "
        "changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("export", help="The WordPress export file (WXR, .xml).")
        parser.add_argument(
            "--media-dir",
            help="The site's wp-content/uploads folder, to import the pictures posts use.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read the whole export and report what would happen, storing nothing.",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["export"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            path.open("rb").close()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        media_dir = Path(options["media_dir"]) if options["media_dir"] else None
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"There is no folder at {media_dir} (--media-dir).")
        console = Console(file=self.stdout._out, highlight=False)
        try:
            summary = self._import(
                path, media_dir=media_dir, dry_run=options["dry_run"], console=console
            )
        except WXRError as error:
            raise CommandError(f"{error.message} Nothing was imported.") from None
        for line in summary.lines():
            self.stdout.write(line)
        done = "Dry run finished" if options["dry_run"] else "Import finished"
        self.stdout.write(self.style.SUCCESS(f"{done}: {path.name}."))

    def _import(
        self, path: Path, *, media_dir: Path | None, dry_run: bool, console: Console
    ) -> ImportSummary:
        if not console.is_terminal:
            return import_wordpress(
                path, media_dir=media_dir, dry_run=dry_run, progress=PlainProgress(self.stdout)
            )
        bar = ProgressBar(
            TextColumn("[bold]Importing"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=console,
            transient=False,
        )
        with bar:
            task = bar.add_task("import", total=path.stat().st_size, counts="")
            return import_wordpress(
                path, media_dir=media_dir, dry_run=dry_run, progress=RichProgress(bar, task)
            )


def counts_text(counts: dict[str, int]) -> str:
    """ "58 posts · 24 comments …": what the import has dealt with so far."""
    return " · ".join(
        f"{counts[kind]} {kind if kind == 'skipped' else kind_name(kind, counts[kind])}"
        for kind in COUNTED
        if counts.get(kind)
    )


class RichProgress:
    """Moves the bar: bytes of the file read, counts, and rich's estimate of time left."""

    def __init__(self, bar: ProgressBar, task: TaskID) -> None:
        self.bar, self.task = bar, task

    def __call__(self, progress: Progress) -> None:
        self.bar.update(
            self.task, completed=progress.done_bytes, counts=counts_text(progress.counts)
        )


class PlainProgress:
    """One line at each tenth of the file, for logs and pipes (no terminal to draw on)."""

    def __init__(self, out) -> None:
        self.out = out
        self.shown = -1

    def __call__(self, progress: Progress) -> None:
        tenth = progress.done_bytes * 10 // max(progress.total_bytes, 1)
        if tenth > self.shown:
            self.shown = tenth
            self.out.write(f"{tenth * 10}% read: {counts_text(progress.counts) or 'nothing yet'}")

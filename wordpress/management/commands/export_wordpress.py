import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.export import ExportCounts, export_wordpress


class Command(BaseCommand):
    help = (
        "Write the site's posts, pages, categories, tags, authors and published comments "
        "as a WordPress export file (WXR 1.2), which WordPress's Tools → Import → WordPress "
        "and `manage.py import_wordpress` read."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("output", help="The file to write, or - for standard output.")
        parser.add_argument(
            "--with-emails",
            action="store_true",
            help="Include commenters' e-mail addresses (left out unless you ask).",
        )

    def handle(self, *args, **options) -> None:
        with_emails = options["with_emails"]
        if options["output"] == "-":
            counts = export_wordpress(sys.stdout.buffer, with_emails=with_emails)
            sys.stdout.buffer.flush()
            # The summary goes to standard error: standard output is the file.
            self._summary(counts, self.stderr)
            return
        counts = _export_to_file(Path(options["output"]), with_emails=with_emails)
        self._summary(counts, self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Export written to {options['output']}"))

    def _summary(self, counts: ExportCounts, stream) -> None:
        for line in counts.lines():
            stream.write(line)


def _export_to_file(path: Path, *, with_emails: bool) -> ExportCounts:
    """Write the export next to ``path`` and move it there once complete, so a failure
    never leaves half a file where a whole one is expected."""
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(f"There is no folder {folder} to write {path.name} into.")
    if path.is_dir():
        raise CommandError(f"{path} is a folder; give the name of the file to write.")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise CommandError(f"Cannot write into {folder}: {error.strerror}.") from None
    try:
        with os.fdopen(handle, "wb") as out:
            counts = export_wordpress(out, with_emails=with_emails)
        os.replace(temporary, path)
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return counts

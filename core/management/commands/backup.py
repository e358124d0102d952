from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and every uploaded file (local or in the bucket) into one "
        "tar file; `manage.py restore FILE` puts them back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output-dir",
            default="backups",
            type=Path,
            help="Where to write tribune-<UTC time>.tar (default: ./backups).",
        )

    def handle(self, *args, **options) -> None:
        try:
            path = backup_create(directory=options["output_dir"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
        self.stdout.write(str(path))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Put back the database and the uploaded files of a backup made by `manage.py "
        "backup`. Stop the app servers and the worker first: the database is replaced."
    )

    # The checks would open the database, which on a new machine is not there yet.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The backup's .tar file.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, **options) -> None:
        path = options["path"]
        if options["interactive"]:
            answer = input(
                f"This replaces the whole database with the one in {path} and writes its "
                "files over the stored ones. Type 'yes' to go on: "
            )
            if answer.strip() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            restored = backup_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {restored.database} database and {restored.files} files from {path}."
            )
        )
        if not restored.cache_cleared:
            self.stderr.write(
                "The cache could not be emptied (Redis did not answer): empty it before the "
                "site serves again, or pages drawn before the restore may be shown."
            )

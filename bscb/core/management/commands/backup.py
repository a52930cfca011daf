from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bscb.core.backups import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write one dated backup folder: the database (pg_dump's custom format, or SQLite's "
        "online backup), MEDIA_ROOT and PRIVATE_MEDIA_ROOT as tar files, and their SHA-256 "
        "checksums. Safe while the site runs. Restore with restore_backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Where the dated folder is made.")
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, directory, database, **options):
        try:
            folder = make_backup(directory, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))

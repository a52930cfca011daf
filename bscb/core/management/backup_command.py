"""What the backup and restore_backup commands share: the database they work on, and a
refusal (BackupError) said as the command's error."""

from django.core.management.base import BaseCommand, CommandError

from bscb.core.backups import BackupError


class BackupCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, database, **options):
        try:
            said = self.run(alias=database, **options)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(said)

    def run(self, *, alias: str, **options) -> str:
        """Do the work on the database `alias`; return what to print."""
        raise NotImplementedError

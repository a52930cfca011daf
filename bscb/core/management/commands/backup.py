from pathlib import Path

from bscb.core.backups import make_backup
from bscb.core.management.backup_command import BackupCommand


class Command(BackupCommand):
    help = (
        "Write one dated backup folder: the database (pg_dump's custom format, or SQLite's "
        "online backup), MEDIA_ROOT and PRIVATE_MEDIA_ROOT as tar files, and their SHA-256 "
        "checksums. Safe while the site runs. Restore with restore_backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Where the dated folder is made.")
        super().add_arguments(parser)

    def run(self, *, alias, directory, **options):
        return str(make_backup(directory, alias=alias))

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bscb.core.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a folder written by `backup` into an EMPTY database (DATABASE_URL: create it "
        "first, do not migrate it) and empty or new MEDIA_ROOT and PRIVATE_MEDIA_ROOT folders. "
        "Checks every checksum first; refuses a database with any table or a media folder "
        "with anything in it."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="A bscb-backup-... folder.")
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument("--media-root", type=Path, default=None)
        parser.add_argument("--private-media-root", type=Path, default=None)

    def handle(self, *args, backup, database, media_root, private_media_root, **options):
        media = {
            "media": media_root or Path(settings.MEDIA_ROOT),
            "private": private_media_root or Path(settings.PRIVATE_MEDIA_ROOT),
        }
        try:
            restored = restore_backup(backup, alias=database, media=media)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the database {restored.database} and {restored.files} media files."
        )

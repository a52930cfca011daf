from pathlib import Path

from bscb.core.backups import media_roots, restore_backup
from bscb.core.management.backup_command import BackupCommand


class Command(BackupCommand):
    help = (
        "Restore a folder written by `backup` into an EMPTY database (DATABASE_URL: create it "
        "first, do not migrate it) and empty or new MEDIA_ROOT and PRIVATE_MEDIA_ROOT folders. "
        "Checks every checksum first; refuses a database with any table or a media folder "
        "with anything in it."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="A bscb-backup-... folder.")
        super().add_arguments(parser)
        parser.add_argument("--media-root", type=Path, default=None)
        parser.add_argument("--private-media-root", type=Path, default=None)

    def run(self, *, alias, backup, media_root, private_media_root, **options):
        media = media_roots(media=media_root, private=private_media_root)
        restored = restore_backup(backup, alias=alias, media=media)
        return f"Restored the database {restored.database} and {restored.files} media files."

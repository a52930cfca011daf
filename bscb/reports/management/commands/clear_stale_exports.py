from django.core.management.base import BaseCommand

from bscb.reports.export_runs import clear_stale_exports


class Command(BaseCommand):
    help = (
        "Delete the zips of exported editions that are no longer current (a later edition, "
        "or withdrawn): their download is refused already. run_daily runs it."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {clear_stale_exports()} zips of editions no longer current.")

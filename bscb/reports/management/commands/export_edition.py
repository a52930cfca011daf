from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bscb.core.models import ReportingPeriod
from bscb.reports.export import export_edition
from bscb.reports.models import Edition


class Command(BaseCommand):
    help = "Write a published edition as plain files with relative links (pages, assets, PDF, figures)."

    def add_arguments(self, parser):
        parser.add_argument("period", help="the period's slug or name, e.g. 2018-19 or 2018/19")
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--base-url",
            default="",
            help="the live site's address, for links the export does not hold (search, sign-in)",
        )

    def handle(self, *args, period, folder, base_url, **options):
        found = ReportingPeriod.objects.published().filter(slug=period).first() or (
            ReportingPeriod.objects.published().filter(name=period).first()
        )
        if found is None or not Edition.objects.current().filter(period=found).exists():
            raise CommandError(f"No published edition of {period!r}.")
        files = export_edition(found, folder, base_url)
        self.stdout.write(f"Exported {found.name} to {folder}: {len(files)} files.")

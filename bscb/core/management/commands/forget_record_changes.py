from django.core.management.base import BaseCommand

from bscb.core import changes


class Command(BaseCommand):
    help = (
        "Empty the table of record changes (bscb.core.changes), which every staff page drawn "
        "from the records counts; the next generation is new. run_daily runs it."
    )

    def handle(self, *args, **options):
        changes.forget()
        self.stdout.write("Record changes forgotten.")

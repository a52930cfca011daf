from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bscb.core import changes
from bscb.core.roles import ensure_roles
from meetings.models import Meeting


class Command(BaseCommand):
    help = (
        "Load a portable export (dumpdata --natural-foreign) into an empty, migrated database. "
        "Migrating made the sign-in roles afresh; they are replaced by the export's own."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the file dumpdata wrote")

    @transaction.atomic
    def handle(self, *args, export, **options):
        # One transaction: a restore that stops half-way leaves the database as it was.
        if Meeting.objects.exists():
            raise CommandError("This database holds records already: restore into an empty one.")
        Group.objects.all().delete()  # the roles migrate made; the export brings them back
        call_command("loaddata", export, verbosity=options["verbosity"])
        ensure_roles()
        # Loaded rows start no generation of their own worth trusting: begin a new one.
        changes.forget()
        self.stdout.write(f"Restored {export}.")

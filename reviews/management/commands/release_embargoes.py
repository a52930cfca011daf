from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from reviews.services import release_due_embargoes


class Command(BaseCommand):
    help = "Release the case reviews whose embargo ends today or earlier, and republish their reports. Run daily."

    def handle(self, *args, **options):
        released = release_due_embargoes()
        self.stdout.write(
            ngettext("%d review released.", "%d reviews released.", len(released)) % len(released)
        )

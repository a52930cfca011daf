from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from subgroups.escalation import escalate


class Command(BaseCommand):
    help = (
        "Email the chairs and the support team about actions that became overdue and risks "
        "whose review is late. Run daily; an item is never emailed twice."
    )

    def handle(self, *args, **options):
        sent = escalate()
        self.stdout.write(
            ngettext("%d escalation email sent.", "%d escalation emails sent.", len(sent))
            % len(sent)
        )

from django.core.management.base import BaseCommand

from subgroups.escalation import escalate


class Command(BaseCommand):
    help = (
        "Email the chairs and the support team about actions that became overdue and risks "
        "whose review is late. Run daily; an item is never emailed twice."
    )

    def handle(self, *args, **options):
        sent = escalate()
        self.stdout.write(f"{len(sent)} escalation email(s) sent.")

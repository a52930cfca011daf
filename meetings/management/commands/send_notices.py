from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from bscb.notices.send import send_digests, send_pending
from meetings.notices import remind_papers_due
from subgroups.escalation import escalate, remind_due


def counted(n: int, one: str, many: str) -> str:
    return ngettext(f"%d {one}", f"%d {many}", n) % n


class Command(BaseCommand):
    help = (
        "Send the emails members expect. --daily (run each morning): reminders of papers, "
        "actions and risk reviews falling due, the escalation of what is overdue, and another "
        "try at any email that failed. --weekly (run once a week): the digests. Nothing is "
        "ever sent twice, however often it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--daily", action="store_true", help="Reminders and retries.")
        parser.add_argument("--weekly", action="store_true", help="The weekly digests.")

    def handle(self, *args, daily=False, weekly=False, **options):
        if not (daily or weekly):
            raise CommandError("Say --daily, --weekly or both.")
        if daily:
            reminders = len(remind_papers_due()) + len(remind_due())
            escalated = len(escalate())
            sent = send_pending()
            self.stdout.write(
                f"{counted(reminders, 'reminder', 'reminders')} recorded, "
                f"{counted(escalated, 'escalation email', 'escalation emails')} sent, "
                f"{counted(sent, 'email', 'emails')} sent."
            )
        if weekly:
            self.stdout.write(f"{counted(send_digests(), 'digest', 'digests')} sent.")

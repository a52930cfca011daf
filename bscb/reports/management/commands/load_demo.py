from django.core.management.base import BaseCommand

from bscb.reports.demo import DEMO_FILE, ensure_demo_accounts, load_demo


class Command(BaseCommand):
    help = "Load the demo year (the 2018/19 report) from its data file. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Also create the demo sign-in accounts and print their details (DEBUG only).",
        )

    def handle(self, *args, with_accounts=False, **options):
        report = load_demo()
        if report.changed:
            made = ", ".join(f"{n} {m}" for m, n in sorted(report.created.items())) or "nothing"
            changed = ", ".join(f"{n} {m}" for m, n in sorted(report.updated.items())) or "nothing"
            self.stdout.write(
                f"Demo year loaded from {DEMO_FILE.name}: created {made}; updated {changed}."
            )
        else:
            self.stdout.write("Demo year already loaded: nothing changed.")
        if with_accounts:
            self.stdout.write(
                "\nDemo sign-in at http://127.0.0.1:8000/accounts/login/ "
                "(back office: /admin/, chairs' workspace: /workspace/):"
            )
            for account in ensure_demo_accounts():
                self.stdout.write(
                    f"  {account['username']} / {account['password']}  ({account['description']})"
                )

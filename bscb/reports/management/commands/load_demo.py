from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bscb.reports.demo import (
    DEFAULT_BOARD,
    DemoRefused,
    demo_boards,
    ensure_demo_accounts,
    load_demo,
)


def counted(n: int, name: str) -> str:
    """ "1 entry", "139 entries": a model's own verbose names, else the name with an s."""
    model = next((m for m in apps.get_models() if m.__name__ == name.replace(" ", "")), None)
    if model is not None:
        one, many = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
    else:
        one, many = name.lower(), f"{name.lower()}s"
    return f"{n} {one if n == 1 else many}"


class Command(BaseCommand):
    help = (
        "Load a demo board from its data file: by default the 2018/19 report. Safe to run "
        "again; another board loads only on an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--board",
            default=DEFAULT_BOARD,
            choices=sorted(demo_boards()),
            help=f"Which demo board to load (default: {DEFAULT_BOARD}, the 2018/19 report).",
        )
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Also create the demo sign-in accounts and print their details (DEBUG only).",
        )

    def handle(self, *args, board=DEFAULT_BOARD, with_accounts=False, **options):
        path = demo_boards()[board]
        try:
            report = load_demo(path)
        except DemoRefused as refused:
            raise CommandError(str(refused)) from refused
        years = "year" if len(report.periods) == 1 else "years"
        if report.changed:
            made = ", ".join(counted(n, m) for m, n in sorted(report.created.items())) or "nothing"
            changed = (
                ", ".join(counted(n, m) for m, n in sorted(report.updated.items())) or "nothing"
            )
            self.stdout.write(
                f"Demo {years} loaded from {path.name}: created {made}; updated {changed}."
            )
        else:
            self.stdout.write(f"Demo {years} already loaded: nothing changed.")
        if with_accounts:
            self.stdout.write(
                f"\nDemo sign-in at {settings.SITE_URL.rstrip('/')}/accounts/login/ "
                "(back office: /admin/, chairs' workspace: /workspace/):"
            )
            for account in ensure_demo_accounts():
                self.stdout.write(
                    f"  {account['username']} / {account['password']}  ({account['description']})"
                )
            if report.cycle_group:
                self.stdout.write(
                    "\nThe meeting cycle (illustrative meetings dated from today): the back "
                    "office's /admin/meetings/meeting/cycle/, the chair's "
                    f"/workspace/groups/{report.cycle_group}/ and the public /meetings/."
                )

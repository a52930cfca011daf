import io
import logging
import shlex
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger("bscb.daily")


class Command(BaseCommand):
    help = (
        "Run the daily commands in order (settings.DAILY_COMMANDS: embargo releases, then "
        "reminders, escalations and retries of emails). Each is logged with its outcome; "
        "one that fails does not stop the others, and the exit status is 1 if any failed."
    )

    def handle(self, *args, **options):
        failed = []
        for command in settings.DAILY_COMMANDS:
            line = shlex.join(command)
            output = io.StringIO()
            started = time.perf_counter()
            try:
                call_command(*command, stdout=output, stderr=output)
            except Exception as error:  # each command's failure is its own: the rest still run
                failed.append(line)
                logger.exception(
                    "Daily command %s failed",
                    line,
                    extra={"command": line, "outcome": "failed"},
                )
                self.stderr.write(f"{line}: failed: {error}")
                continue
            said = " ".join(output.getvalue().split())
            logger.info(
                "Daily command %s done: %s",
                line,
                said,
                extra={
                    "command": line,
                    "outcome": "done",
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            self.stdout.write(f"{line}: {said}")
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(settings.DAILY_COMMANDS)} daily commands failed: "
                + ", ".join(failed)
            )

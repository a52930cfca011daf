"""`manage.py worker`: the background worker, django-tasks-db's `db_worker` with a heartbeat.

The library's worker records nothing while it waits for tasks, so nothing could tell
an idle worker from a dead one. This command runs it unchanged and, beside it, a
thread that records the worker's id and the time (WorkerHeartbeat) every
WORKER_HEARTBEAT_SECONDS. /healthz reports the newest heartbeat. The thread dies
with the process, so a killed worker stops beating at once.
"""

import os
import threading

from django.conf import settings
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from bscb.core.models import WorkerHeartbeat


def beat_forever(worker_id: str, every: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            WorkerHeartbeat.beat(worker_id)
        except Exception:  # the database away for a moment: beat again next time
            connection.close()
        stop.wait(every)
    connection.close()


class Command(DBWorkerCommand):
    help = "Run the background worker (django-tasks-db's db_worker) and record its heartbeat"

    def handle(self, *args, **options):
        # With --reload the outer process only watches files: the child runs tasks and beats.
        if not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            threading.Thread(
                target=beat_forever,
                args=(options["worker_id"], settings.WORKER_HEARTBEAT_SECONDS, threading.Event()),
                daemon=True,
                name="worker-heartbeat",
            ).start()
        super().handle(*args, **options)

"""What every background job's progress page reads: how far a run (a BackgroundRun) got.

Each job (publishing, the meeting pack, an export) records a run when a button is pressed
and queues a task with the run's id; the task reports its steps on the run. The job says
what its own success looks like (an edition, a pack, a file); this module says the rest,
the same way for all: waiting for the worker, running, failed, or stopped (its worker died
half-way). The progress page polls `progress_response`, and shows
templates/admin/includes/progress.html, moved by bscb/progress.js.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import TaskResultStatus

from bscb.core.models import BackgroundRun, WorkerHeartbeat

logger = logging.getLogger(__name__)

UNDER_WAY = ("waiting", "running")
WHEN = "j F Y, H:i:s"


@dataclass
class Progress:
    state: str  # waiting, running, failed, stopped, or the job's own success ("published")
    step: str
    done: int | None
    total: int | None
    message: str
    result_url: str = ""
    unit: str = ""  # what the count counts: "pages", "papers"

    @property
    def finished(self) -> bool:
        return self.state not in UNDER_WAY

    @property
    def succeeded(self) -> bool:
        return self.finished and self.state not in ("failed", "stopped")

    @property
    def count(self) -> str:
        """ "12 of 40 pages", when the step counts."""
        if self.total is None or self.done is None:
            return ""
        return f"{self.done} of {self.total} {self.unit}".rstrip()

    @property
    def label(self) -> str:
        """The step as the page shows it: "Rendering pages: 12 of 40"."""
        if self.total is None or self.done is None or self.finished:
            return self.step
        return f"{self.step}: {self.done} of {self.total}"

    def as_json(self) -> dict:
        return {
            "state": self.state,
            "step": self.step,
            "label": self.label,
            "done": self.done,
            "total": self.total,
            "count": self.count,
            "message": self.message,
            "result_url": self.result_url,
            "finished": self.finished,
            "succeeded": self.succeeded,
        }


def progress_response(progress: Progress, **extra) -> JsonResponse:
    """The progress page's poll answer (the admin says private, no-store)."""
    return JsonResponse({**progress.as_json(), **extra})


def stalled_after() -> datetime.timedelta:
    """How long a run's progress may stand still, its worker silent, before it is "stopped".
    One setting for every job; it kept the name it had when publishing was the only one."""
    return datetime.timedelta(seconds=settings.PUBLISHING_STALLED_AFTER)


def when(at: datetime.datetime) -> str:
    return date_format(timezone.localtime(at), WHEN)


@dataclass
class TaskState:
    """Where the run's task is, as far as the job's own records do not already say it."""

    state: str  # waiting, running, failed, stopped
    at: datetime.datetime | None = None  # failed: when the task failed
    worker_seen: datetime.datetime | None = None  # waiting: the newest heartbeat, if recent
    worker_late: bool = False  # waiting: no worker seen for stalled_after()

    def waiting_message(self, what: str) -> str:
        """ "Waiting for the background worker ...: publishing starts when it runs"."""
        if not self.worker_late:
            return "Waiting for the background worker."
        since = f"since {when(self.worker_seen)}" if self.worker_seen else "yet"
        return (
            f"Waiting for the background worker, which has not been seen {since}: "
            f"{what} starts when it runs (manage.py worker)."
        )


def _task_result(run: BackgroundRun, task):
    """The task's result (status, finished_at), and the id of the worker that took it; the
    result's error stays unread here: it names server paths (the log has it)."""
    if not run.task_id:
        return None, ""
    try:
        result = task.get_result(run.task_id)
    except Exception:  # the immediate backend keeps no results; a result may be pruned
        return None, ""
    return result, (result.worker_ids or [""])[-1]


def _alive(worker_id: str, now: datetime.datetime) -> bool:
    """Whether the worker that took the task still beats: busy with a long step, not dead."""
    seen = WorkerHeartbeat.objects.filter(worker_id=worker_id).values_list("seen_at", flat=True)
    return any(now - at <= stalled_after() for at in seen)


def task_state(run: BackgroundRun, task, now: datetime.datetime) -> TaskState:
    """For a run neither finished nor refused by its job: where its task is.

    Stopped: the task's worker died half-way (killed, the machine restarted), which leaves
    the task RUNNING for ever; its progress not moving, and its worker's heartbeat not
    beating, for stalled_after() say so (a worker that still beats is busy with a long
    step). Stopped too: a run with no task result (never queued, or its result pruned) that
    has not moved for stalled_after(): nothing will ever run it. Failed: the task raised
    before the job could record why.
    """
    result, worker_id = _task_result(run, task)
    status = result.status if result is not None else None
    if result is None and now - run.updated_at > stalled_after():
        return TaskState("stopped")
    if status == TaskResultStatus.FAILED:
        return TaskState("failed", at=result.finished_at or run.updated_at)
    if (
        status == TaskResultStatus.RUNNING
        and now - run.updated_at > stalled_after()
        and not _alive(worker_id, now)
    ):
        return TaskState("stopped")
    if status in (TaskResultStatus.READY, None) and run.step == BackgroundRun.WAITING:
        seen = WorkerHeartbeat.last_seen()
        late = seen is None or now - seen > stalled_after()
        return TaskState("waiting", worker_seen=seen, worker_late=late)
    return TaskState("running")


def unfinished_progress(
    run: BackgroundRun, task, now: datetime.datetime, *, unit: str, what: str, failed, stopped: str
) -> Progress:
    """The progress of a run its job has not finished (neither done nor refused): its recorded
    error, or where its task is (task_state). `failed(at)` words a task that raised before
    the job could record why; `stopped` a run whose worker died; `what` names the work in
    the waiting message."""
    step, done, total = run.step, run.done, run.total
    if run.error:
        return Progress("failed", step, done, total, run.error, unit=unit)
    state = task_state(run, task, now)
    if state.state == "failed":
        return Progress("failed", step, done, total, failed(state.at), unit=unit)
    if state.state == "stopped":
        return Progress("stopped", step, done, total, stopped, unit=unit)
    if state.state == "waiting":
        return Progress("waiting", step, None, None, state.waiting_message(what))
    return Progress("running", step, done, total, "", unit=unit)


def queue(run: BackgroundRun, task, *args) -> bool:
    """Queue the run's task with the run's id (after the run's row is committed: the worker
    must find it), and keep the task's result id on the run. A task that could not be queued
    (the database locked, say) is recorded on its run, whose page says to try again: False."""
    try:
        result = task.enqueue(run.pk, *args)
    except Exception:
        logger.exception("%s could not be queued", run)
        run.record_error(
            f"The task could not be queued (error recorded in the log at "
            f"{when(timezone.now())}): nothing was done. Try again."
        )
        return False
    type(run).objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.task_id = str(result.id)
    return True

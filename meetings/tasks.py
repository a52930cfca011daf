"""Circulating the papers as a background task: the meeting pack takes seconds a pack.

The admin's "Circulate the papers" button records a PackRun and queues `circulate` with the
run's id; the task runs meetings.cycle.circulate_papers (the rule stays there) for the officer
who asked, reporting each paper it adds to the packs.

Retrying: circulating is safe to do again (the packs are made afresh, the papers keep the
first time they went out, each person is emailed once a meeting), so a run that failed or
stopped is retried by pressing the button again; it is never retried by itself, since what
fails here (a broken disk, WeasyPrint missing its libraries) fails again a minute later.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django_tasks import task

from bscb.core.roles import may
from bscb.core.runs import UNDER_WAY, Progress, queue, unfinished_progress, when
from meetings.cycle import circulate_papers
from meetings.models import Meeting, PackRun

logger = logging.getLogger(__name__)


def may_circulate(user) -> bool:
    """The admin's rule for the button (the meeting's publish permission), asked again by the
    task: someone taken out of the back office meanwhile circulates nothing."""
    return may(user, "meetings.publish_meeting")


@task()
def circulate(run_id: int) -> bool | None:
    """Make the run's meeting packs and circulate its papers: whether the pack was made, or
    None when the run was refused."""
    run = PackRun.objects.select_related("meeting", "requested_by").get(pk=run_id)
    if run.circulated_at or run.error:
        return run.made  # this run is over: a task queued twice circulates once
    if not may_circulate(run.requested_by):
        _refuse(run, "The officer who asked may no longer circulate papers: nothing was sent.")
        return None

    def circulated(packs):
        # In the transaction that circulates: a worker killed after it commits leaves a run
        # that says what happened.
        PackRun.objects.filter(pk=run.pk).update(
            circulated_at=timezone.now(),
            made=packs.made,
            left_out=packs.left_out,
            step="Circulated",
            done=None,
            total=None,
            updated_at=timezone.now(),
        )

    try:
        packs = circulate_papers(
            run.meeting, run.requested_by, progress=run.report, circulated=circulated
        )
    except Exception:
        # The detail (a server path, a library's words) goes to the log, never to the page
        # that read-only staff read; raised again so the task's own result keeps it too.
        logger.exception("%s failed", run)
        _refuse(run, _failed_message(timezone.now()))
        raise
    return packs.made


def _refuse(run: PackRun, error: str) -> None:
    logger.warning("%s: %s", run, error)
    run.record_error(error)


def _failed_message(at: datetime.datetime) -> str:
    return (
        f"Circulating failed: the server could not finish (error recorded in the log at "
        f"{when(at)}). Members still get the papers and pack as they were; nothing was "
        "sent. Circulate the papers again, or ask whoever looks after the server."
    )


def ask_to_circulate(meeting: Meeting, user) -> tuple[PackRun, bool]:
    """Circulate in the background: (the run, True) when this press queued one, or (the
    meeting's run already under way, False). The meeting's row is locked from looking for a
    run under way to recording the new one, so two presses at once queue one run."""
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        run = running_for(meeting)
        if run is not None:
            return run, False
        run = PackRun.objects.create(meeting=meeting, requested_by=user)
    queue(run, circulate)  # once the run's row is committed: the worker must find it
    return run, True


def running_for(meeting: Meeting) -> PackRun | None:
    """The meeting's circulation still under way (not finished, not stopped), if any."""
    for run in meeting.pack_runs.filter(circulated_at=None, error="")[:3]:
        if progress_of(run).state in UNDER_WAY:
            return run
    return None


def _circulated_message(run: PackRun) -> str:
    meeting = run.meeting
    if not run.made:
        return (
            f"The papers of {meeting} are marked as circulated, but this server "
            "could not make the meeting pack: tell whoever runs it."
        )
    left_out = (
        ngettext(" %d paper is not a PDF file", " %d papers are not PDF files", run.left_out)
        % run.left_out
        + " the pack can hold: members download them separately."
        if run.left_out
        else ""
    )
    return f"The papers of {meeting} are circulated: the meeting pack is made.{left_out}"


def progress_of(run: PackRun, now: datetime.datetime | None = None) -> Progress:
    """How far the run got, as the officer should read it."""
    now = now or timezone.now()
    if run.circulated_at:
        return Progress(
            "circulated",
            "Circulated",
            None,
            None,
            _circulated_message(run),
            reverse("admin:meetings_meeting_change", args=[run.meeting_id]),
        )
    return unfinished_progress(
        run,
        circulate,
        now,
        unit="papers",
        what="circulating",
        failed=_failed_message,
        stopped="Circulating stopped before it finished: members still get the papers and pack "
        "as they were; nothing was sent. Circulate the papers again.",
    )


def progress_url(run: PackRun) -> str:
    return reverse("admin:meetings_meeting_circulating_progress", args=[run.meeting_id, run.pk])

"""The report's background work: publishing a period as a task, and what its progress page reads.

The admin's publish button records a PublishingRun (what the officer asked) and
queues `publish` with nothing but the run's id: the task publishes that run's period
for the officer who asked, and only while they may still publish. A worker process
(`manage.py worker`) runs it; with TASK_BACKEND=immediate it runs in the request.

Retrying: publishing is never retried by itself. A run that failed or stopped (the
worker killed half-way) stored nothing, so the officer publishes again from the
check page; that is always safe, since storing is one transaction that refuses an
edition whose number was taken meanwhile.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import task

from bscb.core.models import ReportingPeriod
from bscb.core.roles import may_publish
from bscb.core.runs import UNDER_WAY, Progress, queue, unfinished_progress, when
from bscb.reports.editions import (
    DISK_COPY_FAILED,
    HeldBackNamesFound,
    PublishedMeanwhile,
    ReportIncomplete,
    period_publish,
)
from bscb.reports.models import Edition, PublishingRun

logger = logging.getLogger(__name__)


@task()
def publish(run_id: int) -> int | None:
    """Publish the run's period: the edition's id, or None when publishing was refused."""
    run = PublishingRun.objects.select_related("period", "requested_by").get(pk=run_id)
    if run.edition_id or run.error:
        return run.edition_id  # this run is over: a task queued twice publishes once
    user = run.requested_by
    if not may_publish(user):
        _refuse(run, "The officer who asked may no longer publish: nothing was published.")
        return None
    if _published_since(run):
        _refuse(run, _published_since_message(run))
        return None

    try:
        edition = period_publish(
            period=run.period,
            user=user,
            note=run.note,
            accept_missing=run.accept_missing,
            accept_names=run.accept_names,
            progress=run.report,
            after_edition=run.newest_when_asked,
        )
    except ReportIncomplete:
        _refuse(
            run,
            "The check found items missing: tick this box to publish anyway.",
            field="accept_missing",
        )
        return None
    except HeldBackNamesFound as found:
        places = "; ".join(f"{where} names {name}" for where, name in found.found)
        _refuse(
            run,
            f"Held-back reviews are named in plain text: {places}. Remove the names (or link "
            "the record to its review, which keeps it off public pages), or tick this box "
            "to publish anyway.",
            field="accept_names",
        )
        return None
    except PublishedMeanwhile as meanwhile:
        _refuse(run, _published_since_message(run) if _published_since(run) else str(meanwhile))
        return None
    except Exception:
        # The detail (a server path, a library's words) goes to the log, never to the page
        # that read-only staff read; raised again so the task's own result keeps it too.
        logger.exception("%s failed", run)
        _refuse(run, _failed_message(run, timezone.now()))
        raise
    PublishingRun.objects.filter(pk=run.pk).update(
        edition=edition, step="Published", done=None, total=None, updated_at=timezone.now()
    )
    return edition.pk


def _published_since(run: PublishingRun) -> bool:
    """Whether another edition was stored after the officer pressed Publish (two presses, two
    officers): theirs would replace one they have not seen, so it is not stored."""
    asked = run.newest_when_asked
    return asked is not None and Edition.newest_number(run.period_id) != asked


def _published_since_message(run: PublishingRun) -> str:
    return (
        "Another edition was published after you pressed Publish: see edition "
        f"{Edition.newest_number(run.period_id)}. Nothing was published from this press; publish "
        "again from the check page if the report still needs it."
    )


def _failed_message(run: PublishingRun, at: datetime.datetime) -> str:
    """Why publishing stopped, as the progress page tells it: where to find the error, and what
    readers get meanwhile; the error itself is in the log."""
    logged = when(at)
    readers = _readers_get(run)
    return (
        f"Publishing failed: the server could not finish (error recorded in the log at "
        f"{logged}). {readers[0].upper()}{readers[1:]}. Publish again from the check page, "
        "or ask whoever looks after the server."
    )


def _refuse(run: PublishingRun, error: str, field: str = "") -> None:
    logger.warning("%s: %s", run, error)
    run.record_error(error, error_field=field)


def ask_to_publish(
    period: ReportingPeriod, user, *, note: str, accept_missing: bool, accept_names: bool
) -> tuple[PublishingRun, bool]:
    """Publish the period in the background: (the run, True) when this press queued one, or
    (the period's run already under way, False).

    One run at a time per period: the period's row is locked from looking for a run under
    way to recording the new one, so two presses at once (a double click, two officers)
    queue one run; the second is shown the first. The run records the newest edition's
    number (PublishingRun.save), so a run asked for before another edition was stored stores nothing.
    """
    with transaction.atomic():
        ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        run = running_for(period)
        if run is not None:
            return run, False
        run = PublishingRun.objects.create(
            period=period,
            requested_by=user,
            note=note,
            accept_missing=accept_missing,
            accept_names=accept_names,
        )
    # Queued once the run's row is committed: the worker must find it.
    start_publishing(run)
    return run, True


def start_publishing(run: PublishingRun) -> None:
    """Queue the run's task (after the run's row is committed: the worker must find it)."""
    queue(run, publish)


def running_for(period) -> PublishingRun | None:
    """The period's publishing still under way (not finished, not stopped), if any."""
    for run in period.publishing_runs.filter(edition=None, error="")[:3]:
        if progress_of(run).state in UNDER_WAY:
            return run
    return None


def _readers_get(run: PublishingRun) -> str:
    current = Edition.objects.current().filter(period=run.period_id).first()
    if current is None:
        return "the report is not published yet"
    return f"readers still get edition {current.number}"


def _unit(step: str) -> str:
    return "sections" if step.startswith("Rendering sections") else "pages"


def progress_of(run: PublishingRun, now: datetime.datetime | None = None) -> Progress:
    """How far the run got, as the officer should read it (bscb.core.runs says when a run
    whose worker died is "stopped"). Nothing was stored by a run that stopped or failed,
    since storing is one transaction."""
    now = now or timezone.now()
    if run.edition_id:
        edition = run.edition
        return Progress(
            "published",
            "Published",
            None,
            None,
            f"Published edition {edition.number} of {run.period.name}. Send a copy to "
            f"{edition.copy_to}"
            + (f" by {date_format(edition.panel_due_on)}." if edition.panel_due_on else ".")
            + (f" {DISK_COPY_FAILED}" if DISK_COPY_FAILED in edition.warnings else ""),
            edition.get_absolute_url(),
        )
    return unfinished_progress(
        run,
        publish,
        now,
        unit=_unit(run.step),
        what="publishing",
        failed=lambda at: _failed_message(run, at),
        stopped=f"Publishing stopped before it finished: {_readers_get(run)}. "
        "Publish again from the check page.",
    )


def progress_url(run: PublishingRun) -> str:
    return reverse("admin:bscb_reportingperiod_publishing_progress", args=[run.period_id, run.pk])

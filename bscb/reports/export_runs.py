"""Exporting an edition as a background task: what `manage.py export_edition` writes (the
pages as plain files with relative links, the PDF, the figures), zipped for staff to download.

The edition's "Export this edition" page records an ExportRun and queues `export` with the
run's id. Only the current edition is exported, as the command does: an edition replaced
since may show a review held back after it was published (it is then withdrawn), so the
task checks again when it runs. The zip is written in full to a temporary file, then stored
privately (PRIVATE_MEDIA_ROOT, in a folder no one can guess) and handed out only by the
admin's download view to staff who may view editions.

Retrying: an export writes nothing anyone reads until its zip is whole, so a run that failed
or stopped is retried by pressing the button again; it is never retried by itself.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import tempfile
import zipfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from bscb.core.roles import may
from bscb.core.runs import UNDER_WAY, Progress, queue, unfinished_progress, when
from bscb.reports.export import export_edition
from bscb.reports.models import Edition, ExportRun

logger = logging.getLogger(__name__)

NOT_CURRENT = (
    "Only the current edition is exported (as `manage.py export_edition` does): this one "
    "is not the current one. Export the current edition instead."
)


def may_export(user, edition: Edition) -> bool:
    """Whoever may change editions (the support team): asked by the page and by the task."""
    return may(user, "reports.change_edition")


@task()
def export(run_id: int) -> int | None:
    """Write the run's edition as plain files and zip them: the number of files, or None when
    the export was refused."""
    run = ExportRun.objects.select_related("edition__period", "requested_by").get(pk=run_id)
    if run.file or run.error:
        return run.files  # this run is over: a task queued twice exports once
    if not may_export(run.requested_by, run.edition):
        run.record_error("The officer who asked may no longer export editions: nothing was made.")
        return None
    if not run.edition.still_current():
        run.record_error(NOT_CURRENT)
        return None
    try:
        with tempfile.TemporaryDirectory(prefix="bscb-export-") as folder:
            root = Path(folder) / "site"
            run.report("Writing the pages")
            export_edition(run.edition.period, root, edition=run.edition)
            names = sorted(p for p in root.rglob("*") if p.is_file())
            zipped = Path(folder) / "export.zip"
            with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
                for done, path in enumerate(names, start=1):
                    if done == 1 or done % 10 == 0 or done == len(names):
                        run.report("Zipping the files", done, len(names))
                    archive.write(path, path.relative_to(root).as_posix())
            run.report("Storing the zip")
            with zipped.open("rb") as handle:
                run.file.save(run.download_name, File(handle), save=False)
        with transaction.atomic():
            # The embargo may have withdrawn the edition while its pages were written (it
            # locks its row, as this does): nothing held back may reach a download.
            Edition.objects.select_for_update().get(pk=run.edition_id)
            if not run.edition.still_current():
                run.file.delete(save=False)
                run.record_error(NOT_CURRENT)
                return None
            ExportRun.objects.filter(pk=run.pk).update(
                file=run.file.name,
                files=len(names),
                step="Exported",
                done=None,
                total=None,
                updated_at=timezone.now(),
            )
    except Exception:
        # The detail (a server path) goes to the log, never to the page staff read.
        logger.exception("%s failed", run)
        if run.file.name:  # stored, but named by no run: nothing would ever delete it
            with contextlib.suppress(OSError):
                run.file.delete(save=False)
        run.record_error(_failed_message(timezone.now()))
        raise
    return len(names)


def _failed_message(at: datetime.datetime) -> str:
    return (
        f"The export failed: the server could not finish (error recorded in the log at "
        f"{when(at)}). Export the edition again, or ask whoever looks after the server."
    )


def ask_to_export(edition: Edition, user) -> tuple[ExportRun, bool]:
    """Export in the background: (the run, True) when this press queued one, or (the
    edition's export already under way, False). The edition's row is locked from looking for
    a run under way to recording the new one, so two presses at once queue one export."""
    with transaction.atomic():
        Edition.objects.select_for_update().get(pk=edition.pk)
        for run in edition.export_runs.filter(file="", error="")[:3]:
            if progress_of(run).state in UNDER_WAY:
                return run, False
        run = ExportRun.objects.create(edition=edition, requested_by=user)
    queue(run, export)  # once the run's row is committed: the worker must find it
    return run, True


def progress_of(run: ExportRun, now: datetime.datetime | None = None) -> Progress:
    """How far the export got, as the officer should read it."""
    now = now or timezone.now()
    if run.files is not None and not run.edition.still_current():
        return Progress(
            "exported",
            "Exported",
            None,
            None,
            f"{run.edition} is no longer the current edition: its export is no longer "
            "downloaded (the daily run deletes its zip). Export the current edition instead.",
        )
    if run.file:
        return Progress(
            "exported",
            "Exported",
            None,
            None,
            f"{run.edition} is exported: {run.files} files in one zip.",
            run.download_url(),
        )
    return unfinished_progress(
        run,
        export,
        now,
        unit="files",
        what="the export",
        failed=_failed_message,
        stopped="The export stopped before it finished: nothing was made. Export the edition "
        "again.",
    )


EXPORTS = "edition-exports"
# A zip stored by a worker killed before its run named it is deleted after this long (an
# export under way names its zip within seconds of storing it).
ORPHANS_AFTER = datetime.timedelta(days=1)


def clear_stale_exports(now: datetime.datetime | None = None) -> int:
    """Delete the zips of editions no longer current (a later edition published, or this one
    withdrawn by the embargo or by hand): the download refuses them already, and a withdrawn
    edition's zip may name what the embargo holds back. Zips no run names (a worker killed
    between storing one and naming it) go too, after a day. `manage.py run_daily` runs it;
    the number of zips deleted. A zip being stored now is not among them: its run names no
    file until its edition's row is locked and found current."""
    now = now or timezone.now()
    storage = ExportRun._meta.get_field("file").storage
    cleared = 0
    failed = []
    stale = ExportRun.objects.exclude(file="").exclude(edition__in=Edition.objects.current())
    for run in stale:
        try:
            _delete_zip(storage, run.file.name)
        except Exception:  # one zip that cannot go stops none of the others
            logger.exception("Could not delete the zip of %s", run)
            failed.append(run.file.name)
            continue
        ExportRun.objects.filter(pk=run.pk).update(file="")
        cleared += 1
    named = set(ExportRun.objects.exclude(file="").values_list("file", flat=True))
    for name in _stored_zips(storage):
        if name not in named and storage.get_modified_time(name) < now - ORPHANS_AFTER:
            _delete_zip(storage, name)
            cleared += 1
    if failed:
        raise OSError(f"Could not delete {len(failed)} zips (see the log): {failed}")
    return cleared


def _stored_zips(storage):
    try:
        folders, _ = storage.listdir(EXPORTS)
    except (FileNotFoundError, NotImplementedError):
        return
    for folder in folders:
        for name in storage.listdir(f"{EXPORTS}/{folder}")[1]:
            yield f"{EXPORTS}/{folder}/{name}"


def _delete_zip(storage, name: str) -> None:
    storage.delete(name)
    folder = name.split("/")
    # Its folder, named for this zip alone (an object store keeps no folders).
    if len(folder) == 3 and folder[0] == EXPORTS:
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(storage.path(f"{EXPORTS}/{folder[1]}"))


def progress_url(run: ExportRun) -> str:
    return reverse("admin:reports_edition_export_progress", args=[run.edition_id, run.pk])

"""A confirmed spreadsheet import as a background task (django-import-export).

The upload and its dry-run preview stay in the request: they are the validation, and say
row by row what is wrong, importing nothing. The confirmation records an ImportRun, keeps
the file privately (the worker may run on another machine than the app server whose
temporary folder had it) and queues `import_rows`; the run's page shows the result: rows
new, updated, skipped, and any row refused. The import is one transaction (the resource's
use_transactions), recorded in the history as one revision by the officer who confirmed.

Retrying: an import that failed imported nothing (one transaction), so it is retried by
uploading the file again, which previews it again; it is never retried by itself, since rows
imported twice would be counted twice where the resource creates rather than updates.
"""

from __future__ import annotations

import datetime
import logging

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_permission_codename
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from import_export.results import RowResult

from bscb.core.models import ImportRun
from bscb.core.roles import may
from bscb.core.runs import Progress, queue, task_state, when

logger = logging.getLogger(__name__)

LOGGED = {
    RowResult.IMPORT_TYPE_NEW: ADDITION,
    RowResult.IMPORT_TYPE_UPDATE: CHANGE,
    RowResult.IMPORT_TYPE_DELETE: DELETION,
}
COUNTED = [
    (RowResult.IMPORT_TYPE_NEW, "new"),
    (RowResult.IMPORT_TYPE_UPDATE, "updated"),
    (RowResult.IMPORT_TYPE_SKIP, "skipped"),
    (RowResult.IMPORT_TYPE_DELETE, "deleted"),
]


def may_import(user, model) -> bool:
    """The import permission of the model (IMPORT_EXPORT_IMPORT_PERMISSION_CODE), asked by the
    confirmation and again by the task."""
    opts = model._meta
    code = get_permission_codename(settings.IMPORT_EXPORT_IMPORT_PERMISSION_CODE, opts)
    return may(user, f"{opts.app_label}.{code}")


def ask_to_import(
    model, user, *, data: bytes, format_index: int, resource_index: int, file_name: str
) -> ImportRun:
    """Record the confirmed import with its file, and queue it."""
    run = ImportRun(
        model=model._meta.label_lower,
        requested_by=user,
        resource=resource_index,
        format=format_index,
        original_file_name=file_name[:255],
    )
    run.file.save(file_name or "import", ContentFile(data), save=False)
    run.save()
    if not queue(run, import_rows):
        run.file.delete(save=False)  # nothing will read it
        ImportRun.objects.filter(pk=run.pk).update(file="")
    return run


def _model_admin(run: ImportRun):
    model = apps.get_model(run.model)
    return model, admin.site._registry[model]


@task()
def import_rows(run_id: int) -> dict | None:
    """Import the run's file: the totals, or None when the import was refused."""
    run = ImportRun.objects.select_related("requested_by").get(pk=run_id)
    if run.finished_at or run.error:
        return run.totals  # this run is over: a task queued twice imports once
    model, model_admin = _model_admin(run)
    user = run.requested_by
    try:
        with run.file.open("rb") as handle:
            raw = handle.read()
    finally:
        # Read, or unreadable: no copy of the staff's spreadsheet is kept, whatever comes next.
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")
    if not may_import(user, model):
        run.record_error("The officer who asked may no longer import these rows: nothing was.")
        return None
    try:
        input_format = model_admin.get_import_formats()[run.format](
            encoding=model_admin.from_encoding
        )
        data = raw if input_format.is_binary() else raw.decode(model_admin.from_encoding)
        dataset = input_format.create_dataset(data)
        run.report(f"Importing {len(dataset)} rows")
        resource = model_admin.resource_classes[run.resource]()
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Imported from {run.original_file_name}.")
            result = resource.import_data(
                dataset,
                dry_run=False,
                raise_errors=False,
                use_transactions=True,
                # A row refused by validation rolls back every row (4.x imports the
                # valid ones by default), as the page and the preview say.
                rollback_on_validation_errors=True,
                collect_failed_rows=True,
                retain_instance_in_row_result=True,
                user=user,
                file_name=run.original_file_name,
            )
    except Exception:
        logger.exception("%s failed", run)
        run.record_error(_failed_message(timezone.now()))
        raise
    totals = {name: result.totals.get(kind, 0) for kind, name in COUNTED}
    refused = _refused_rows(result)
    if refused:
        # The resource's transaction imported nothing: say which rows, as the preview would.
        ImportRun.objects.filter(pk=run.pk).update(
            row_errors=refused,
            error="Nothing was imported: rows were refused since the preview (below). Correct "
            "the file and upload it again.",
            step="Stopped",
            file="",
            updated_at=timezone.now(),
        )
    else:
        _log(user, model, result)
        ImportRun.objects.filter(pk=run.pk).update(
            totals=totals,
            finished_at=timezone.now(),
            step="Imported",
            done=None,
            total=None,
            file="",
            updated_at=timezone.now(),
        )
    return totals


def _refused_rows(result) -> list[dict]:
    """Each refused row's number and messages (never a traceback: the log has those)."""
    refused = [
        {"row": row.number, "messages": [f"{field}: {' '.join(errors)}"]}
        for row in result.invalid_rows
        for field, errors in row.error_dict.items()
    ]
    for number, errors in result.row_errors():
        refused.append({"row": number, "messages": [str(error.error) for error in errors]})
    if result.has_errors() and not refused:
        refused.append({"row": None, "messages": ["The import could not finish."]})
    return refused


def _log(user, model, result) -> None:
    """The admin's own log (Recent actions), as django-import-export writes it in the request."""
    by_kind: dict[str, list] = {}
    for row in result:
        if row.import_type in LOGGED and row.instance is not None:
            by_kind.setdefault(row.import_type, []).append(row.instance)
    for kind, instances in by_kind.items():
        LogEntry.objects.log_actions(
            user.pk,
            instances,
            LOGGED[kind],
            change_message=f"{kind} through import_export",
            single_object=len(instances) == 1,
        )


def _failed_message(at: datetime.datetime) -> str:
    return (
        f"The import failed: the server could not finish (error recorded in the log at "
        f"{when(at)}). Nothing was imported. Upload the file again, or ask whoever looks "
        "after the server."
    )


def totals_text(run: ImportRun) -> str:
    parts = [f"{run.totals.get(name, 0)} {name}" for _kind, name in COUNTED]
    return "Imported: " + ", ".join(parts) + "."


def progress_of(run: ImportRun, now: datetime.datetime | None = None) -> Progress:
    now = now or timezone.now()
    if run.finished_at:
        model, _ = _model_admin(run)
        opts = model._meta
        return Progress(
            "imported",
            "Imported",
            None,
            None,
            totals_text(run),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        )
    if run.error:
        return Progress("failed", run.step, None, None, run.error)
    state = task_state(run, import_rows, now)
    if state.state == "failed":
        return Progress("failed", run.step, None, None, _failed_message(state.at))
    if state.state == "stopped":
        return Progress(
            "stopped",
            run.step,
            None,
            None,
            "The import stopped before it finished: nothing was imported (it is one "
            "transaction). Upload the file again.",
        )
    if state.state == "waiting":
        return Progress("waiting", run.step, None, None, state.waiting_message("the import"))
    return Progress("running", run.step, None, None, "")

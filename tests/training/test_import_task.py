"""The import's confirmation as a background task: the preview stays in the request (it is
the validation); the confirmed rows are imported by a task whose page counts them.

Tasks run with django-tasks' ImmediateBackend (the test settings' default): these tests need
only the result."""

import datetime
import json
import os
import tempfile
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage
from reversion.models import Version

from bscb.core.admin_base import claim_confirmed_file
from bscb.core.models import ImportRun
from tests.pages import page_text
from tests.training import test_training
from tests.training.test_training import IMPORT, PROCESS, upload
from tests.worker import DATABASE_BACKEND, start_worker, stop, wait_for
from training.models import Session, SessionAttendance

course = test_training.course
council = test_training.council
sessions = test_training.sessions

ROWS = (
    "course,date,organisation,booked,attended\n"
    "Working Together to Safeguard Children,12/06/2018,Buckinghamshire County Council,14,12\n"
)


def progress_url(run):
    return reverse("admin:training_sessionattendance_importing_progress", args=[run.pk])


def test_the_confirmed_import_is_kept_in_the_history_by_the_officer(
    client, support_officer, sessions, council
):
    client.force_login(support_officer)
    confirm = upload(client, ROWS).context["confirm_form"]
    client.post(PROCESS, {**confirm.initial})
    run = ImportRun.objects.get()
    body = json.loads(client.get(progress_url(run)).content)
    assert body["state"] == "imported" and body["succeeded"]
    assert body["message"] == "Imported: 1 new, 0 updated, 0 skipped, 0 deleted."
    row = SessionAttendance.objects.get()
    version = Version.objects.get_for_object(row).get()
    assert version.revision.user == support_officer
    assert version.revision.comment == "Imported from bookings.csv."


def test_a_row_refused_since_the_preview_imports_nothing_and_is_named(
    client, support_officer, sessions, council
):
    client.force_login(support_officer)
    confirm = upload(client, ROWS).context["confirm_form"]
    # Between the preview and the confirmation, the session is cancelled.
    Session.objects.filter(date=datetime.date(2018, 6, 12)).update(
        status="cancelled", cancellation_reason="low_enrolments"
    )
    response = client.post(PROCESS, {**confirm.initial})
    run = ImportRun.objects.get()
    assert response["Location"] == run.get_absolute_url()
    assert SessionAttendance.objects.count() == 0
    assert run.row_errors == [
        {
            "row": 1,
            "messages": ["attendees: This session was cancelled: it cannot have attendees."],
        }
    ]
    page = page_text(client.get(run.get_absolute_url()))
    assert "Nothing was imported: rows were refused since the preview" in page
    assert "Row 1: attendees: This session was cancelled" in page
    assert "Upload the file again" in page


def test_confirming_twice_imports_the_file_once(client, support_officer, sessions, council):
    client.force_login(support_officer)
    confirm = upload(client, ROWS).context["confirm_form"].initial
    first = client.post(PROCESS, {**confirm})
    second = client.post(PROCESS, {**confirm}, follow=True)
    run = ImportRun.objects.get()
    assert first["Location"] == run.get_absolute_url()
    assert second.status_code == 200 and SessionAttendance.objects.count() == 1


def test_of_two_confirmations_at_once_one_takes_the_file():
    """Both presses passed the form's check that the file is there: the rename lets one of
    them have it, and the other is told nothing was imported a second time."""
    name = f"bscb-previewed-{uuid.uuid4().hex}"
    with open(os.path.join(tempfile.gettempdir(), name), "w") as previewed:
        previewed.write(ROWS)
    presses = [TempFolderStorage(name=name, read_mode="r") for _ in range(2)]
    assert [claim_confirmed_file(press) for press in presses] == [True, False]
    assert presses[0].read() == ROWS
    presses[0].remove()
    assert not os.path.exists(presses[0].get_full_path())


def test_only_importers_confirm_an_import_or_read_its_page(
    client, support_officer, board_reader, sessions, council
):
    client.force_login(support_officer)
    confirm = upload(client, ROWS).context["confirm_form"].initial
    run = ImportRun.objects.create(
        model="training.sessionattendance", requested_by=support_officer, file="imports/x.csv"
    )
    urls = [run.get_absolute_url(), progress_url(run)]
    reader = Client()
    reader.force_login(board_reader)
    assert reader.post(PROCESS, {**confirm}).status_code == 403
    assert all(reader.get(url).status_code == 403 for url in urls)
    anonymous = Client()
    chair = Client()
    chair.force_login(get_user_model().objects.create_user("chair"))  # not staff
    for other in (anonymous, chair):
        for url in [*urls, IMPORT]:
            response = other.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"], url
        response = other.post(PROCESS, {**confirm})
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert ImportRun.objects.count() == 1 and SessionAttendance.objects.count() == 0
    # A run of another model's import is not found at this model's address.
    ImportRun.objects.filter(pk=run.pk).update(model="training.session")
    url = reverse("admin:training_sessionattendance_importing", args=[run.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_imports_the_confirmed_rows(
    client, support_officer, sessions, council, settings
):
    """The worker reads the file the app server kept privately (PRIVATE_MEDIA_ROOT, shared)."""
    settings.TASKS = DATABASE_BACKEND
    worker = start_worker()
    try:
        client.force_login(support_officer)
        confirm = upload(client, ROWS).context["confirm_form"]
        response = client.post(PROCESS, {**confirm.initial})
        run = ImportRun.objects.get()
        assert response["Location"] == run.get_absolute_url()
        assert wait_for(lambda: json.loads(client.get(progress_url(run)).content)["finished"]), (
            stop(worker)
        )
        body = json.loads(client.get(progress_url(run)).content)
        assert body["state"] == "imported", body["message"]
        assert SessionAttendance.objects.get().attendees == 12
    finally:
        output = stop(worker)
    assert "Traceback" not in output, output


def test_one_row_refused_since_the_preview_keeps_the_good_rows_out_too(
    client, support_officer, sessions, council
):
    """A refused row imports nothing: the good row is not saved behind a page saying
    "Nothing was imported" (which would have it imported twice on the next upload)."""
    Session.objects.create(
        course=sessions[0].course, date=datetime.date(2018, 5, 15), status="held", places=30
    )
    rows = ROWS + (
        "Working Together to Safeguard Children,15/05/2018,Buckinghamshire County Council,9,8\n"
    )
    client.force_login(support_officer)
    confirm = upload(client, rows).context["confirm_form"]
    Session.objects.filter(date=datetime.date(2018, 6, 12)).update(
        status="cancelled", cancellation_reason="low_enrolments"
    )
    client.post(PROCESS, {**confirm.initial})
    run = ImportRun.objects.get()
    assert SessionAttendance.objects.count() == 0
    assert not Version.objects.exists()
    assert [error["row"] for error in run.row_errors] == [1]
    page = page_text(client.get(run.get_absolute_url()))
    assert "Nothing was imported" in page
    assert "Row 1: attendees: This session was cancelled" in page


@pytest.mark.parametrize("refused", ["no longer an importer", "failed"])
def test_the_spreadsheet_is_not_kept_after_a_refusal_or_a_failure(
    refused, support_officer, board_reader, sessions, council, settings
):
    from django.core.files.base import ContentFile

    from bscb.core.imports import import_rows

    run = ImportRun(
        model="training.sessionattendance",
        requested_by=board_reader if refused == "no longer an importer" else support_officer,
        format=0 if refused == "no longer an importer" else 99,  # no such format: it fails
        original_file_name="bookings.csv",
    )
    run.file.save("bookings.csv", ContentFile(ROWS.encode()), save=False)
    run.save()
    path = run.file.path
    import_rows.enqueue(run.pk)
    run.refresh_from_db()
    assert run.error and not run.file
    assert not os.path.exists(path)
    assert SessionAttendance.objects.count() == 0


def test_a_page_left_open_can_list_the_rows_refused_when_its_poll_finishes(
    client, support_officer, sessions, council
):
    """The page was drawn while the import waited: the poll brings the refused rows and
    bscb/progress.js lists them in the page's (then hidden) place for them."""
    client.force_login(support_officer)
    run = ImportRun.objects.create(model="training.sessionattendance", requested_by=support_officer)
    page = client.get(run.get_absolute_url()).content.decode()
    assert '<div data-progress-part="refused" hidden><h2>Rows refused</h2>' in page
    assert '<ul id="importing-errors"></ul>' in page
    refused = [{"row": 2, "messages": ["attendees: This session was cancelled."]}]
    ImportRun.objects.filter(pk=run.pk).update(
        row_errors=refused, error="Nothing was imported.", step="Stopped"
    )
    body = json.loads(client.get(progress_url(run)).content)
    assert body["finished"] and body["row_errors"] == refused


def test_an_import_that_could_not_be_queued_keeps_no_spreadsheet(
    client, support_officer, sessions, council, settings, monkeypatch
):
    from django.db import OperationalError

    from bscb.core.imports import import_rows

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    client.force_login(support_officer)
    confirm = upload(client, ROWS).context["confirm_form"]
    monkeypatch.setattr(type(import_rows), "enqueue", locked)
    client.post(PROCESS, {**confirm.initial})
    run = ImportRun.objects.get()
    assert "could not be queued" in run.error and not run.file
    folder = settings.PRIVATE_MEDIA_ROOT / "imports"
    assert not folder.exists() or not [p for p in folder.rglob("*") if p.is_file()]

"""Exporting an edition from the admin: a background task writes what `manage.py
export_edition` writes, zipped; the zip is handed out only to staff who may view editions.

Tasks run with django-tasks' ImmediateBackend (the test settings' default): these tests need
only the result (the worker process is tested by the publishing and circulating tests)."""

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bscb.core.models import WorkerHeartbeat
from bscb.reports.editions import period_publish
from bscb.reports.export_runs import export, progress_of
from bscb.reports.models import Edition, ExportRun
from meetings.models import Meeting
from tests.worker import DATABASE_BACKEND


@pytest.fixture
def edition(year, exploitation):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    return period_publish(period=year, accept_missing=True)


def export_url(edition):
    return reverse("admin:reports_edition_export_edition", args=[edition.pk])


def progress_url(run):
    return reverse("admin:reports_edition_export_progress", args=[run.edition_id, run.pk])


def test_the_officer_exports_the_current_edition_and_downloads_the_zip(
    client, support_officer, edition, settings
):
    client.force_login(support_officer)
    change = client.get(reverse("admin:reports_edition_change", args=[edition.pk]))
    assert f'href="{export_url(edition)}">Export this edition</a>' in change.content.decode()
    assert client.get(export_url(edition)).status_code == 200
    response = client.post(export_url(edition))
    run = ExportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    page = client.get(run.get_absolute_url()).content.decode()
    assert f'href="{run.download_url()}">Download the zip</a>' in page
    assert '<progress id="exporting-bar"' in page
    body = json.loads(client.get(progress_url(run)).content)
    assert body["state"] == "exported" and body["succeeded"]
    assert body["result_url"] == run.download_url()

    download = client.get(run.download_url())
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="2018-19-edition-1.zip"'
    assert "no-store" in download["Cache-Control"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert "index.html" in names and "2018-19/index.html" in names
    assert any(name.startswith("static/") for name in names)
    # Private, in a folder no one can guess: never under MEDIA_ROOT, a new folder each time.
    run.refresh_from_db()
    path = run.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    folder = run.file.name.split("/")[1]
    assert len(folder) >= 32
    again = client.post(export_url(edition))
    assert again["Location"] != response["Location"]
    assert ExportRun.objects.order_by("pk").last().file.name.split("/")[1] != folder


def test_a_board_member_downloads_an_export_but_cannot_start_one(
    client, board_reader, support_officer, edition
):
    run = ExportRun.objects.create(edition=edition, requested_by=support_officer)
    export.enqueue(run.pk)
    run.refresh_from_db()
    client.force_login(board_reader)
    page = client.get(export_url(edition))
    assert page.status_code == 200 and b'value="Export this edition"' not in page.content
    assert b"Exporting is for the support team" in page.content
    assert client.post(export_url(edition)).status_code == 403
    assert ExportRun.objects.count() == 1
    assert client.get(run.get_absolute_url()).status_code == 200
    assert client.get(progress_url(run)).status_code == 200
    assert client.get(run.download_url()).status_code == 200


def test_nobody_outside_the_back_office_reaches_an_export(support_officer, edition):
    run = ExportRun.objects.create(edition=edition, requested_by=support_officer)
    export.enqueue(run.pk)
    run.refresh_from_db()
    urls = [export_url(edition), run.get_absolute_url(), progress_url(run), run.download_url()]
    anonymous = Client()
    chair = Client()
    chair.force_login(get_user_model().objects.create_user("chair"))  # not staff
    for client in (anonymous, chair):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"], url
        response = client.post(export_url(edition))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert ExportRun.objects.count() == 1
    # A run asked for under another edition's address is not found.
    staff = Client()
    staff.force_login(support_officer)
    other = reverse("admin:reports_edition_export_download", args=[edition.pk + 1, run.pk])
    assert staff.get(other).status_code == 404


def test_only_the_current_edition_is_exported(client, support_officer, edition):
    first = ExportRun.objects.create(edition=edition, requested_by=support_officer)
    # Edition 2 comes before the worker takes the first press.
    period_publish(period=edition.period, note="Again.", accept_missing=True)
    export.enqueue(first.pk)
    first.refresh_from_db()
    assert not first.file and first.error.startswith("Only the current edition is exported")
    client.force_login(support_officer)
    response = client.post(export_url(edition))
    assert response["Location"] == reverse("admin:reports_edition_change", args=[edition.pk])
    assert ExportRun.objects.count() == 1
    assert Edition.objects.get(is_current=True).number == 2


def test_two_presses_queue_one_export(client, support_officer, edition, settings):
    settings.TASKS = DATABASE_BACKEND
    WorkerHeartbeat.beat("w1")
    client.force_login(support_officer)
    first = client.post(export_url(edition))
    second = client.post(export_url(edition))
    assert first["Location"] == second["Location"]
    assert ExportRun.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert progress_of(ExportRun.objects.get()).state == "waiting"


def test_a_failure_tells_no_server_path(
    client, board_reader, support_officer, edition, settings, caplog
):
    (settings.PRIVATE_MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    (settings.PRIVATE_MEDIA_ROOT / "edition-exports").write_text("a file where a folder goes")
    run = ExportRun.objects.create(edition=edition, requested_by=support_officer)
    export.enqueue(run.pk)
    run.refresh_from_db()
    assert not run.file and run.error.startswith("The export failed: the server could not")
    client.force_login(board_reader)
    for page in (
        client.get(run.get_absolute_url()).content.decode(),
        client.get(progress_url(run)).content.decode(),
    ):
        assert "The export failed" in page and str(settings.PRIVATE_MEDIA_ROOT) not in page
    assert str(settings.PRIVATE_MEDIA_ROOT) in caplog.text
    assert client.get(run.download_url()).status_code == 404


def test_an_edition_withdrawn_while_exporting_leaves_no_zip(
    client, support_officer, edition, settings, monkeypatch
):
    """The embargo withdraws the edition while its pages are written: nothing held back may
    reach a download, so the zip is not kept and the page says why."""
    from bscb.reports import export_runs

    real = export_runs.export_edition

    def withdrawn_half_way(*args, **kwargs):
        real(*args, **kwargs)
        Edition.objects.filter(pk=edition.pk).update(is_withdrawn=True)

    monkeypatch.setattr(export_runs, "export_edition", withdrawn_half_way)
    run = ExportRun.objects.create(edition=edition, requested_by=support_officer)
    assert export.enqueue(run.pk).return_value is None
    run.refresh_from_db()
    assert not run.file and "is not the current one" in run.error
    exports = settings.PRIVATE_MEDIA_ROOT / "edition-exports"
    assert not exports.exists() or not [p for p in exports.rglob("*") if p.is_file()]
    client.force_login(support_officer)
    assert json.loads(client.get(progress_url(run)).content)["state"] == "failed"


def test_an_export_of_an_edition_no_longer_current_is_not_downloaded(
    client, board_reader, support_officer, edition
):
    run = ExportRun.objects.create(edition=edition, requested_by=support_officer)
    export.enqueue(run.pk)
    run.refresh_from_db()
    assert run.file
    Edition.objects.filter(pk=edition.pk).update(is_withdrawn=True)
    for user in (support_officer, board_reader):
        client.force_login(user)
        assert client.get(run.download_url()).status_code == 404
        body = json.loads(client.get(progress_url(run)).content)
        assert body["result_url"] == "" and "no longer the current edition" in body["message"]
    Edition.objects.filter(pk=edition.pk).update(is_withdrawn=False)
    period_publish(period=edition.period, note="Again.", accept_missing=True)
    assert client.get(run.download_url()).status_code == 404


def test_the_daily_run_deletes_the_zips_of_editions_no_longer_current(
    client, support_officer, edition
):
    """A withdrawn edition's zip may name what the embargo holds back: kept on the disk, it
    was downloaded by nobody but read by whoever reads the server's folders."""
    from django.core.management import call_command

    from bscb.reports.export_runs import clear_stale_exports

    old = ExportRun.objects.create(edition=edition, requested_by=support_officer)
    export.enqueue(old.pk)
    old.refresh_from_db()
    old_zip = Path(old.file.path)
    newer = period_publish(period=edition.period, note="Again.", accept_missing=True)
    current = ExportRun.objects.create(edition=newer, requested_by=support_officer)
    export.enqueue(current.pk)
    current.refresh_from_db()
    assert old_zip.exists() and Path(current.file.path).exists()

    out = io.StringIO()
    call_command("clear_stale_exports", stdout=out)
    assert out.getvalue() == "Deleted 1 zips of editions no longer current.\n"
    assert not old_zip.exists() and not old_zip.parent.exists()
    old.refresh_from_db()
    assert not old.file
    current.refresh_from_db()
    assert Path(current.file.path).exists()
    assert clear_stale_exports() == 0
    # Withdrawn (the embargo, or by hand), the current edition's zip goes the same way.
    Edition.objects.filter(pk=newer.pk).update(is_withdrawn=True)
    current_zip = Path(current.file.path)
    assert clear_stale_exports() == 1 and not current_zip.exists()
    # A zip no run names (its worker killed between storing and naming it) goes after a day.
    orphan = old_zip.parent.parent / "a-token-no-run-names" / "2018-19-edition-1.zip"
    orphan.parent.mkdir()
    orphan.write_bytes(b"PK")
    assert clear_stale_exports() == 0 and orphan.exists()
    assert clear_stale_exports(now=timezone.now() + datetime.timedelta(days=2)) == 1
    assert not orphan.exists() and not orphan.parent.exists()
    # The officer who reads the old run is told why there is nothing to download.
    client.force_login(support_officer)
    body = json.loads(client.get(progress_url(old)).content)
    assert body["state"] == "exported" and body["result_url"] == ""
    assert "no longer the current edition" in body["message"]

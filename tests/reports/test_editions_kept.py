"""Editions are the record of what was published: nobody deletes one, and the files nginx serves
follow the database whatever happens to an edition's row."""

import datetime
import json
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tasks.signals import task_enqueued

from bscb.reports.editions import _disk_root, period_publish
from bscb.reports.models import Edition, PublishingRun
from bscb.reports.tasks import progress_of, publish
from meetings.models import Meeting


@pytest.fixture
def published(year, exploitation, django_capture_on_commit_callbacks):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    with django_capture_on_commit_callbacks(execute=True):
        edition = period_publish(period=year, accept_missing=True)
    return edition


def on_disk(path: str) -> str | None:
    file = _disk_root() / "current" / "site" / path.lstrip("/") / "index.html"
    return file.read_text() if file.exists() else None


@pytest.mark.parametrize("who", ["support_officer", "superuser"])
def test_nobody_deletes_an_edition_from_the_back_office(request, published, who):
    if who == "superuser":
        user = get_user_model().objects.create_superuser("root", password="a long password")
    else:
        user = request.getfixturevalue(who)
    client = Client()
    client.force_login(user)
    delete = f"/admin/reports/edition/{published.pk}/delete/"
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/reports/edition/")
    assert "delete_selected" not in changelist.content.decode()
    assert Edition.objects.filter(pk=published.pk, is_current=True).exists()


def test_an_edition_deleted_anyway_leaves_the_files_nginx_serves(
    published, year, django_capture_on_commit_callbacks
):
    contents = f"/{year.slug}/"
    assert "exploitation" in on_disk(contents).lower()
    # A shell, a cascade from its period: the row goes, and so do its pages on disk.
    with django_capture_on_commit_callbacks(execute=True):
        Edition.objects.get(pk=published.pk).delete()
    assert on_disk(contents) is None


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_the_disk_copy_take_turns(year, exploitation, monkeypatch):
    """A worker publishing and a web process withdrawing for an embargo write at once: the
    second waits for the first, so neither deletes the other's files half-way."""
    from bscb.reports import editions

    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    period_publish(period=year, accept_missing=True)  # no disk write: no commit hook here
    first_inside, go_on = threading.Event(), threading.Event()
    real_disk_file = editions.disk_file
    calls = {"first": 0}

    def slow_disk_file(path):
        if threading.current_thread().name == "first" and calls["first"] == 1:
            first_inside.set()
            go_on.wait(10)
        if threading.current_thread().name == "first":
            calls["first"] += 1
        return real_disk_file(path)

    monkeypatch.setattr(editions, "disk_file", slow_disk_file)
    folders, errors = {}, []

    def write():
        try:
            folders[threading.current_thread().name] = editions.write_pages_to_disk()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=write, name="first")
    second = threading.Thread(target=write, name="second")
    first.start()
    assert first_inside.wait(10)
    second.start()
    second.join(1)  # it waits for the first writer's lock (or, unlocked, runs through)
    go_on.set()
    first.join(10)
    second.join(10)
    assert errors == []
    current = _disk_root() / "current"
    assert current.resolve() == folders["second"].resolve()
    manifest = json.loads((current / "manifest.json").read_text())
    assert len(manifest) > 3
    missing = [path for path, entry in manifest.items() if not (current / entry["file"]).exists()]
    assert missing == []


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_disk_copy_fails_still_records_the_edition_it_published(
    support_officer, year, exploitation, settings
):
    """In the worker nothing wraps publishing in a transaction: the edition is stored and
    current when the disk write fails, so the run says so, and what failed."""
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    # Something holds the place of the folder nginx serves: writing the copy fails.
    _disk_root().parent.mkdir(parents=True)
    _disk_root().write_text("not a folder")
    run = PublishingRun.objects.create(
        period=year, requested_by=support_officer, accept_missing=True
    )
    assert publish.call(run.pk) is not None
    run.refresh_from_db()
    edition = Edition.objects.get(is_current=True)
    assert run.edition == edition and run.error == ""
    message = progress_of(run).message
    assert message.startswith(f"Published edition {edition.number}")
    assert "copy on disk" in message
    # Readers are still answered by the app, from the database.
    assert "exploitation workshops" in Client().get(meeting.url_in(year)).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_team_is_told_of_a_new_edition_only_once_nginx_has_its_pages(
    year, exploitation, settings
):
    settings.SUPPORT_TEAM_EMAIL = "team@example.org"
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    seen_when_queued = []

    def queued(sender, task_result, **kwargs):
        if task_result.task.name == "send_notices":
            seen_when_queued.append(on_disk(meeting.url_in(year)))

    task_enqueued.connect(queued)
    try:
        period_publish(period=year, accept_missing=True)
    finally:
        task_enqueued.disconnect(queued)
    assert len(seen_when_queued) == 1
    assert "exploitation workshops" in (seen_when_queued[0] or "")

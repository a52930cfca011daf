"""Circulating the papers as a background task: the officer presses the button, a task makes
the packs (the old ones stay until the new ones are whole) and circulates the papers, a page
shows how far it got.

Tasks run with django-tasks' ImmediateBackend (the test settings' default) where a test needs
only the result; the test marked transaction=True starts a real `manage.py worker` process.
"""

import datetime
import json
import os

import pytest
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bscb.core.models import WorkerHeartbeat
from meetings import pack as pack_module
from meetings.cycle import circulate_papers
from meetings.models import Meeting, PackRun
from meetings.tasks import ask_to_circulate, circulate, progress_of
from tests import factories as f
from tests.meetings import test_agenda_and_papers as agenda_and_papers
from tests.pages import page_text
from tests.worker import DATABASE_BACKEND, start_worker, stop, wait_for

# The meeting of tests/meetings/test_agenda_and_papers.py: an open item and a confidential one,
# a paper each, for a group that publishes its papers.
publishing_group = agenda_and_papers.publishing_group
next_meeting = agenda_and_papers.next_meeting
people = agenda_and_papers.people


def circulate_url(meeting):
    return reverse("admin:meetings_meeting_circulate", args=[meeting.pk])


def progress_json(client, run) -> dict:
    response = client.get(
        reverse("admin:meetings_meeting_circulating_progress", args=[run.meeting_id, run.pk])
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_officer_circulates_and_the_progress_page_counts_the_papers(
    client, next_meeting, people
):
    steps = []
    client.force_login(people["support"])
    response = client.post(circulate_url(next_meeting))
    run = PackRun.objects.get()
    assert response["Location"] == run.get_absolute_url()
    next_meeting.refresh_from_db()
    assert next_meeting.papers_circulated_at and next_meeting.pack and next_meeting.public_pack
    assert not next_meeting.papers.filter(circulated_at=None).exists()
    assert run.__class__.objects.get().circulated_at is not None
    page = client.get(run.get_absolute_url())
    text = page_text(page)
    assert "The papers of" in text and "the meeting pack is made" in text
    assert '<script src="/static/bscb/progress.js" defer>' in page.content.decode()
    body = progress_json(client, run)
    assert body["state"] == "circulated" and body["finished"] and body["succeeded"]
    # Paper N of M, whole pack then public pack (one open paper of two).
    circulate_papers(next_meeting, people["support"], progress=lambda *a: steps.append(a))
    assert ("Adding the papers to the pack", 1, 2) in steps
    assert ("Adding the papers to the pack", 2, 2) in steps
    assert ("Adding the papers to the public pack", 1, 1) in steps
    assert steps[-1] == ("Circulating the papers",)


def test_a_board_member_reads_the_progress_but_cannot_circulate(client, next_meeting, people):
    run = PackRun.objects.create(meeting=next_meeting, requested_by=people["support"])
    client.force_login(people["board member"])
    response = client.get(run.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="{run.get_absolute_url()}">Refresh</a>' in page
    assert "<script>" not in page
    assert '<progress id="circulating-bar"' in page
    assert progress_json(client, run)["state"] == "waiting"
    assert client.post(circulate_url(next_meeting)).status_code == 403
    assert PackRun.objects.count() == 1
    next_meeting.refresh_from_db()
    assert next_meeting.papers_circulated_at is None


def test_nobody_outside_the_back_office_reads_the_progress(next_meeting, people):
    run = PackRun.objects.create(meeting=next_meeting, requested_by=people["support"])
    urls = [
        run.get_absolute_url(),
        reverse("admin:meetings_meeting_circulating_progress", args=[next_meeting.pk, run.pk]),
    ]
    for person in (None, "chair"):
        client = Client()
        if person:
            client.force_login(people[person])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"], url
        response = client.post(circulate_url(next_meeting))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert PackRun.objects.count() == 1
    staff = Client()
    staff.force_login(people["support"])
    other = reverse("admin:meetings_meeting_circulating", args=[next_meeting.pk + 1, run.pk])
    assert staff.get(other).status_code == 404


def test_two_presses_queue_one_run(client, next_meeting, people, settings):
    settings.TASKS = DATABASE_BACKEND
    WorkerHeartbeat.beat("w1")
    client.force_login(people["support"])
    first = client.post(circulate_url(next_meeting))
    second = client.post(circulate_url(next_meeting))
    assert first["Location"] == second["Location"]
    assert PackRun.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_a_failure_keeps_the_old_pack_tells_no_server_path_and_pressing_again_circulates(
    client, next_meeting, people, settings, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    circulate_papers(next_meeting, people["support"])
    next_meeting.refresh_from_db()
    old_pack, old_public = next_meeting.pack.name, next_meeting.public_pack.name
    old_bytes = next_meeting.pack.read()
    mail.outbox.clear()
    # A late paper, and the disk fills while the public pack is written.
    item = next_meeting.agenda_items.get(title="Neglect strategy refresh")
    late = f.PaperFactory(agenda_item=item, title="Late neglect paper")
    real_store = pack_module._store

    def full_disk(meeting, name, content, public, result):
        if public and content is not None:
            raise OSError(28, "No space left on device", "/srv/bscb/private/meeting-packs")
        real_store(meeting, name, content, public, result)

    monkeypatch.setattr(pack_module, "_store", full_disk)
    run, queued = ask_to_circulate(next_meeting, people["support"])  # raises in the task
    run.refresh_from_db()
    assert queued and run.error.startswith("Circulating failed: the server could not finish")
    next_meeting.refresh_from_db()
    assert (next_meeting.pack.name, next_meeting.public_pack.name) == (old_pack, old_public)
    assert next_meeting.pack.read() == old_bytes
    late.refresh_from_db()
    assert late.circulated_at is None and mail.outbox == []
    # The new whole pack written before the failure was removed: only the old files remain.
    folder = next_meeting.pack.storage.path("meeting-packs")
    assert sorted(os.listdir(folder)) == sorted(
        name.split("/")[-1] for name in (old_pack, old_public)
    )
    client.force_login(people["board member"])
    for page in (
        client.get(run.get_absolute_url()).content.decode(),
        json.dumps(progress_json(client, run)),
    ):
        assert "Circulating failed" in page and "/srv/bscb" not in page
    assert "/srv/bscb" in caplog.text

    # Pressing again, the disk freed, circulates the late paper too.
    monkeypatch.setattr(pack_module, "_store", real_store)
    with django_capture_on_commit_callbacks(execute=True):
        again, queued = ask_to_circulate(next_meeting, people["support"])
    assert queued and again.pk != run.pk
    late.refresh_from_db()
    assert late.circulated_at is not None
    next_meeting.refresh_from_db()
    assert next_meeting.pack.name != old_pack
    assert not next_meeting.pack.storage.exists(old_pack)


def test_someone_who_may_no_longer_circulate_circulates_nothing(next_meeting, people):
    run = PackRun.objects.create(meeting=next_meeting, requested_by=people["board member"])
    circulate.enqueue(run.pk)
    run.refresh_from_db()
    assert "may no longer circulate" in run.error
    assert Meeting.objects.get(pk=next_meeting.pk).papers_circulated_at is None


def test_a_run_whose_worker_died_says_nothing_was_sent(next_meeting, people, settings):
    settings.TASKS = DATABASE_BACKEND
    run = PackRun.objects.create(meeting=next_meeting, requested_by=people["support"])
    result = DBTaskResult.objects.get(id=circulate.enqueue(run.pk).id)
    result.claim("a worker that was killed")
    run.task_id = str(result.id)
    run.save()
    run.report("Adding the papers to the pack", 1, 2)
    assert progress_of(run).state == "running"
    assert progress_of(run).count == "1 of 2 papers"
    later = timezone.now() + datetime.timedelta(seconds=settings.PUBLISHING_STALLED_AFTER + 1)
    stopped = progress_of(run, now=later)
    assert stopped.state == "stopped" and "nothing was sent" in stopped.message


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_circulates_the_papers(client, next_meeting, people, settings):
    settings.TASKS = DATABASE_BACKEND
    worker = start_worker()
    try:
        client.force_login(people["support"])
        response = client.post(circulate_url(next_meeting))
        run = PackRun.objects.get()
        assert response["Location"] == run.get_absolute_url()
        assert wait_for(lambda: progress_json(client, run)["finished"]), stop(worker)
        body = progress_json(client, run)
        assert body["state"] == "circulated", body["message"]
        assert DBTaskResult.objects.get(id=PackRun.objects.get().task_id).status == "SUCCESSFUL"
        next_meeting.refresh_from_db()
        assert next_meeting.papers_circulated_at and next_meeting.pack
        assert len(mail.outbox) == 0  # sent by the worker's process, not this one
    finally:
        output = stop(worker)
    assert "Traceback" not in output, output


def test_a_run_never_queued_stops_and_a_new_press_queues_a_new_run(
    client, next_meeting, people, settings
):
    """A run whose task was never queued (or whose result was pruned) has no task result: once
    it has stood still for the stalled time it is stopped, and blocks no later press."""
    settings.TASKS = DATABASE_BACKEND
    WorkerHeartbeat.beat("w1")
    old = timezone.now() - datetime.timedelta(seconds=settings.PUBLISHING_STALLED_AFTER + 1)
    lost = PackRun.objects.create(
        meeting=next_meeting, requested_by=people["support"], task_id="", updated_at=old
    )
    assert progress_of(lost).state == "stopped"
    fresh = PackRun.objects.create(meeting=next_meeting, requested_by=people["support"])
    assert progress_of(fresh).state == "waiting"  # still being queued: not taken for dead
    fresh.delete()
    client.force_login(people["support"])
    response = client.post(circulate_url(next_meeting))
    run = PackRun.objects.latest("pk")
    assert run != lost and response["Location"] == run.get_absolute_url()
    assert DBTaskResult.objects.filter(id=run.task_id).exists()


def test_a_task_that_could_not_be_queued_is_recorded_on_its_run(
    client, next_meeting, people, settings, monkeypatch
):
    settings.TASKS = DATABASE_BACKEND

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(type(circulate), "enqueue", locked)
    client.force_login(people["support"])
    response = client.post(circulate_url(next_meeting))
    run = PackRun.objects.get()
    assert response["Location"] == run.get_absolute_url()
    progress = progress_of(run)
    assert progress.state == "failed" and "could not be queued" in progress.message
    monkeypatch.undo()
    client.post(circulate_url(next_meeting))
    assert PackRun.objects.count() == 2


def test_a_paper_replaced_while_the_pack_is_made_waits_for_the_next_circulation(
    next_meeting, people
):
    """The pack holds the paper as it was: the new file is not marked as gone out."""
    from django.core.files.base import ContentFile

    replaced = next_meeting.papers.get(title="Draft neglect strategy")

    def replace_on_the_way(step, *counts):
        if step == "Circulating the papers":  # the packs are made, not yet named
            paper = next_meeting.papers.get(pk=replaced.pk)
            paper.file.save("strategy-v2.pdf", ContentFile(b"%PDF-1.4 new"), save=True)

    circulate_papers(next_meeting, people["support"], progress=replace_on_the_way)
    replaced.refresh_from_db()
    assert replaced.circulated_at is None
    others = next_meeting.papers.exclude(pk=replaced.pk)
    assert others.exists() and not others.filter(circulated_at=None).exists()

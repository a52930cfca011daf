"""Publishing as a background task: the officer presses Publish, a task publishes, a page shows
how far it got.

Tasks run here with django-tasks' ImmediateBackend (the test settings' default) where a test
needs only the result; the tests marked `worker` start a real `manage.py worker` process on
the test database with the database backend.
"""

import datetime
import itertools
import json
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bscb.core.models import ReportingPeriod, WorkerHeartbeat
from bscb.reports.editions import period_publish
from bscb.reports.models import Edition, PublishingRun
from bscb.reports.tasks import progress_of
from meetings.models import Meeting
from tests.worker import DATABASE_BACKEND, start_worker, stop, wait_for


@pytest.fixture
def published(year, exploitation):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    period_publish(period=year, accept_missing=True)
    return year


def publish_url(period):
    return reverse("admin:bscb_reportingperiod_publish", args=[period.pk])


def progress_json(client, run) -> dict:
    response = client.get(
        reverse("admin:bscb_reportingperiod_publishing_progress", args=[run.period_id, run.pk])
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_officer_publishes_and_the_progress_page_shows_the_edition(
    client, support_officer, published
):
    client.force_login(support_officer)
    note = "The July meeting added."
    response = client.post(publish_url(published), {"note": note, "accept_missing": "on"})
    run = PublishingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    edition = Edition.objects.get(is_current=True)
    run.refresh_from_db()
    assert edition.number == 2 and edition.note == note and run.edition == edition
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Published edition 2 of 2018/19" in page
    assert f'href="{edition.get_absolute_url()}"' in page
    assert '<script src="/static/bscb/progress.js" defer>' in page
    body = progress_json(client, run)
    assert body["state"] == "published" and body["finished"]
    assert body["edition_url"] == edition.get_absolute_url()


def test_the_task_reports_every_page_then_the_pdf(published, settings):
    settings.EDITION_PDF = True
    steps = []
    period_publish(
        period=published,
        note="Again.",
        accept_missing=True,
        progress=lambda step, done, total: steps.append((step, done, total)),
    )
    pages = [(done, total) for step, done, total in steps if step == "Rendering pages"]
    total = pages[-1][1]
    dones = [done for done, _ in pages]
    # A page at a time (a dataset's CSV and JSON come together), up to all of them.
    assert dones[0] == 1 and dones[-1] == total > 3
    assert all(0 < b - a <= 2 for a, b in itertools.pairwise(dones))
    names = [step for step, _done, _total in steps]
    assert names.index("Rendering pages") < names.index("Making the PDF")
    assert names.index("Making the PDF") < names.index("Storing edition 2")
    assert names[-1] == "Writing the copy on disk"


def test_bad_input_is_answered_beside_the_field_and_nothing_is_queued(
    client, support_officer, published, settings
):
    settings.TASKS = DATABASE_BACKEND
    client.force_login(support_officer)
    refused = client.post(publish_url(published), {"note": "  ", "accept_missing": "on"})
    assert refused.status_code == 200
    assert "Say what changed since edition 1" in refused.context["form"].errors["note"][0]
    missing = client.post(publish_url(published), {"note": "More."})
    assert "tick this box to publish anyway" in missing.context["form"].errors["accept_missing"][0]
    assert not PublishingRun.objects.exists() and not DBTaskResult.objects.exists()


def test_a_board_member_reads_the_progress_but_cannot_publish(
    client, board_reader, support_officer, published
):
    run = PublishingRun.objects.create(period=published, requested_by=support_officer)
    client.force_login(board_reader)
    response = client.get(run.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    # Without script, a link to look again; the script is a file, as the CSP asks.
    assert f'<a href="{run.get_absolute_url()}">Refresh</a>' in page
    assert "<script>" not in page and "unsafe-inline" not in response["Content-Security-Policy"]
    assert '<progress id="publishing-bar"' in page
    assert progress_json(client, run)["state"] == "waiting"
    response = client.post(publish_url(published), {"note": "Mine.", "accept_missing": "on"})
    assert response.status_code == 403
    assert PublishingRun.objects.count() == 1


def test_nobody_outside_the_back_office_reads_the_progress(support_officer, published):
    run = PublishingRun.objects.create(period=published, requested_by=support_officer)
    urls = [
        run.get_absolute_url(),
        reverse("admin:bscb_reportingperiod_publishing_progress", args=[published.pk, run.pk]),
    ]
    anonymous = Client()
    chair = Client()
    chair.force_login(get_user_model().objects.create_user("chair"))  # not staff
    for client in (anonymous, chair):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"], url
    # A run asked for another period's address is not found.
    other = reverse("admin:bscb_reportingperiod_publishing", args=[published.pk + 1, run.pk])
    staff = Client()
    staff.force_login(support_officer)
    assert staff.get(other).status_code == 404


def test_the_task_publishes_nothing_for_someone_who_may_no_longer_publish(board_reader, published):
    from bscb.reports.tasks import publish

    run = PublishingRun.objects.create(
        period=published, requested_by=board_reader, note="Sneaked.", accept_missing=True
    )
    publish.enqueue(run.pk)
    run.refresh_from_db()
    assert "may no longer publish" in run.error
    assert Edition.objects.get(is_current=True).number == 1


def test_an_officer_taken_out_of_the_back_office_meanwhile_publishes_nothing(
    support_officer, published
):
    from bscb.reports.tasks import publish

    run = PublishingRun.objects.create(
        period=published, requested_by=support_officer, note="Queued.", accept_missing=True
    )
    # Their access to /admin/ is removed while the run waits for the worker.
    support_officer.is_staff = False
    support_officer.save()
    publish.enqueue(run.pk)
    run.refresh_from_db()
    assert "may no longer publish" in run.error
    assert Edition.objects.get(is_current=True).number == 1


def test_a_task_whose_worker_died_says_the_old_edition_is_still_read(
    support_officer, published, settings
):
    settings.TASKS = DATABASE_BACKEND
    from bscb.reports.tasks import publish

    run = PublishingRun.objects.create(period=published, requested_by=support_officer)
    result = DBTaskResult.objects.get(id=publish.enqueue(run.pk).id)
    result.claim("a worker that was killed")
    run.task_id = str(result.id)
    run.save()
    run.report("Rendering pages", 12, 40)
    assert progress_of(run).state == "running"
    later = timezone.now() + datetime.timedelta(seconds=settings.PUBLISHING_STALLED_AFTER + 1)
    stopped = progress_of(run, now=later)
    assert stopped.state == "stopped"
    assert stopped.message.startswith(
        "Publishing stopped before it finished: readers still get edition 1."
    )
    assert "Publish again" in stopped.message
    # A worker that still beats is busy with a long step (the PDF), not dead.
    WorkerHeartbeat.objects.create(worker_id="a worker that was killed", seen_at=later)
    assert progress_of(run, now=later).state == "running"


def test_pressing_publish_while_publishing_runs_shows_the_running_one(
    client, support_officer, published, settings
):
    settings.TASKS = DATABASE_BACKEND
    WorkerHeartbeat.beat("w1")
    client.force_login(support_officer)
    data = {"note": "More.", "accept_missing": "on"}
    first = client.post(publish_url(published), data)
    second = client.post(publish_url(published), data)
    assert first["Location"] == second["Location"]
    check_page = client.get(publish_url(published)).content.decode()
    assert f'Publishing is under way: <a href="{first["Location"]}">' in check_page
    assert PublishingRun.objects.count() == 1 and DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_publishes_and_the_health_check_sees_it(
    client, support_officer, year, exploitation, settings
):
    settings.TASKS = DATABASE_BACKEND
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    assert json.loads(client.get("/healthz").content)["checks"]["worker"] == "never seen"
    worker = start_worker()
    try:
        client.force_login(support_officer)
        response = client.post(publish_url(year), {"note": "", "accept_missing": "on"})
        run = PublishingRun.objects.get()
        assert response["Location"] == run.get_absolute_url()
        assert wait_for(lambda: progress_json(client, run)["finished"]), stop(worker)
        body = progress_json(client, run)
        assert body["state"] == "published", body["message"]
        edition = Edition.objects.get(is_current=True)
        assert body["edition_url"] == edition.get_absolute_url()
        assert DBTaskResult.objects.get(id=run.__class__.objects.get().task_id).status == (
            "SUCCESSFUL"
        )
        health = client.get("/healthz")
        assert health.status_code == 200
        assert json.loads(health.content)["checks"]["worker"] == "ok"
    finally:
        output = stop(worker)
    assert "Traceback" not in output, output
    # Stopped, the worker is reported but the app server stays in rotation.
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(hours=1))
    health = client.get("/healthz")
    assert health.status_code == 200
    assert json.loads(health.content)["checks"]["worker"] == "not seen recently"


def test_an_edition_published_while_this_one_was_made_stops_this_one(published):
    from bscb.reports.editions import PublishedMeanwhile

    def another_publisher(step, done, total):
        if step == "Checking the pages for held-back names":
            period_publish(period=published, note="The other officer's.", accept_missing=True)

    with pytest.raises(PublishedMeanwhile, match="Edition 2 was published while this one"):
        period_publish(
            period=published, note="Mine.", accept_missing=True, progress=another_publisher
        )
    current = Edition.objects.get(is_current=True)
    assert (current.number, current.note) == (2, "The other officer's.")
    assert Edition.objects.count() == 2


def test_an_edition_published_after_the_press_stops_publishing_before_it_renders(published):
    from bscb.reports.editions import PublishedMeanwhile

    steps = []
    # The officer pressed Publish while edition 1 was the newest; another officer's came first.
    period_publish(period=published, note="The other officer's.", accept_missing=True)
    with pytest.raises(PublishedMeanwhile, match="Edition 2 was published after Publish"):
        period_publish(
            period=published,
            note="Mine.",
            accept_missing=True,
            after_edition=1,
            progress=lambda step, done, total: steps.append(step),
        )
    assert steps == ["Checking the report"]
    assert Edition.objects.count() == 2


def test_two_presses_queued_together_publish_one_edition(support_officer, published):
    from bscb.reports.tasks import publish

    # Both asked for while edition 1 was the newest, before either ran.
    first, second = (
        PublishingRun.objects.create(
            period=published, requested_by=support_officer, note=f"Press {i}.", accept_missing=True
        )
        for i in (1, 2)
    )
    assert first.newest_when_asked == second.newest_when_asked == 1
    publish.enqueue(first.pk)
    publish.enqueue(second.pk)
    assert list(Edition.objects.order_by("number").values_list("number", "note")) == [
        (1, ""),
        (2, "Press 1."),
    ]
    second.refresh_from_db()
    assert second.edition is None and second.step == "Stopped"
    assert progress_of(second).message.startswith(
        "Another edition was published after you pressed Publish: see edition 2."
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to wait on")
def test_a_press_while_another_is_being_recorded_waits_and_shows_that_one(
    client, support_officer, published
):
    """Two presses at once: the second waits for the first's run to be recorded, then is shown
    it, rather than both finding no run under way and queueing two."""
    locked, recorded = threading.Event(), []

    def first_press():
        try:
            with transaction.atomic():
                ReportingPeriod.objects.select_for_update().get(pk=published.pk)
                locked.set()
                time.sleep(1)  # the second press arrives now
                recorded.append(
                    PublishingRun.objects.create(period=published, requested_by=support_officer)
                )
        finally:
            connection.close()

    thread = threading.Thread(target=first_press)
    thread.start()
    assert locked.wait(10)
    client.force_login(support_officer)
    response = client.post(publish_url(published), {"note": "Mine.", "accept_missing": "on"})
    thread.join()
    assert response["Location"] == recorded[0].get_absolute_url()
    assert PublishingRun.objects.count() == 1
    assert Edition.objects.get(is_current=True).number == 1


def test_a_failure_tells_the_progress_page_no_server_path(
    client, board_reader, support_officer, published, settings, tmp_path, caplog
):
    from bscb.reports.tasks import publish

    settings.EDITION_PDF = True
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "editions").write_text("a file where the PDFs' folder should be")
    run = PublishingRun.objects.create(
        period=published, requested_by=support_officer, note="Again.", accept_missing=True
    )
    with pytest.raises(OSError):
        publish.call(run.pk)
    run.refresh_from_db()
    message = progress_of(run).message
    assert message.startswith(
        "Publishing failed: the server could not finish (error recorded in the log at "
    )
    assert "Readers still get edition 1. Publish again from the check page" in message
    # The board member reading the progress sees no path on the server; the log has it.
    client.force_login(board_reader)
    for page in (
        client.get(run.get_absolute_url()).content.decode(),
        json.dumps(progress_json(client, run)),
    ):
        assert "Publishing failed: the server could not finish" in page
        assert str(tmp_path) not in page and "Error" not in page
    assert str(tmp_path) in caplog.text


def test_a_task_that_failed_unrecorded_tells_no_server_path_either(
    support_officer, published, settings
):
    """A task that failed before it could record why (its worker's database went away, say):
    the task's result keeps the traceback, which the progress page does not read."""
    settings.TASKS = DATABASE_BACKEND
    from bscb.reports.tasks import publish

    run = PublishingRun.objects.create(period=published, requested_by=support_officer)
    result = DBTaskResult.objects.get(id=publish.enqueue(run.pk).id)
    run.task_id = str(result.id)
    run.save()
    result.claim("w1")
    result.set_failed(FileExistsError(17, "File exists", "/srv/bscb/media/editions"))
    message = progress_of(run).message
    assert message.startswith("Publishing failed: the server could not finish")
    assert "/srv/bscb" not in message and "Readers still get edition 1." in message

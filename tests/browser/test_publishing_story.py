"""The publishing story in a browser, with a real worker process: the officer publishes and
watches the bar move through the pages and the PDF; readers keep the old edition until the
new one is stored; a worker killed half-way leaves the old edition current, and the page
says so.

The worker is tests/slow_worker.py: the real `manage.py worker`, each section and meeting
page slowed by a fifth of a second so that a page polling once a second sees the bar move
through a small year (which would otherwise publish in under a second)."""

import re
import signal
import urllib.request

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.utils import timezone
from playwright.sync_api import expect

from bscb.core.roles import SUPPORT_TEAM
from bscb.reports.models import Edition, PublishingRun
from tests.browser.test_stories import PASSWORD, sign_in
from tests.small_year import build_small_year
from tests.worker import DATABASE_BACKEND, start_worker, stop, wait_for


def read_as_a_reader(live_server, path: str) -> str:
    with urllib.request.urlopen(live_server.url + path) as response:
        return response.read().decode()


def edition_readers_get(live_server, slug: str) -> int:
    contents = read_as_a_reader(live_server, f"/{slug}/")
    return int(re.search(r"Edition (\d+), ", contents).group(1))


def bar(page) -> tuple[str, str | None, str | None]:
    return page.evaluate(
        """() => {
            const bar = document.getElementById('publishing-bar');
            return [document.getElementById('publishing-step').textContent,
                    bar.getAttribute('value'), bar.getAttribute('max')];
        }"""
    )


def publish(page, slug_pk: int, note: str) -> None:
    page.goto(f"/admin/bscb/reportingperiod/{slug_pk}/publish/")
    page.get_by_label(re.compile("What changed since edition")).fill(note)
    page.get_by_label("Publish although the check found items missing").check()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Publish")).click()
    assert re.search(r"/publish/\d+/$", page.url)


def test_the_officer_watches_publishing_and_readers_keep_the_old_edition_until_it_is_stored(
    page, live_server, settings
):
    settings.TASKS = DATABASE_BACKEND
    settings.EDITION_PDF = True
    settings.PUBLISHING_STALLED_AFTER = 3
    year = build_small_year()
    period = year.period
    officer = get_user_model().objects.create_user("sam", password=PASSWORD, is_staff=True)
    officer.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    assert edition_readers_get(live_server, period.slug) == 1

    worker = start_worker(slow_pages=0.2)
    try:
        sign_in(page, f"/admin/login/?next=/admin/bscb/reportingperiod/{period.pk}/", "sam")
        publish(page, period.pk, "The spring meetings added.")
        expect(page.get_by_role("heading", name="Publishing the 2018/19 report")).to_be_visible()
        status = page.locator("#publishing-status")
        assert status.get_attribute("role") == "status"
        assert status.get_attribute("aria-live") == "polite"

        # The bar moves through the pages, then the PDF; readers still get edition 1.
        seen = []

        def rendered_a_few_pages():
            seen.append(bar(page))
            return re.fullmatch(r"Rendering pages: ([3-9]|\d\d+) of \d+", seen[-1][0])

        assert wait_for(rendered_a_few_pages, 120), (seen[-5:], stop(worker))
        assert edition_readers_get(live_server, period.slug) == 1
        assert page.locator("#publishing-count").inner_text().endswith(" pages")
        assert wait_for(lambda: seen.append(bar(page)) or "PDF" in seen[-1][0], 120), seen[-5:]
        counted = [int(value) for step, value, _max in seen if step.startswith("Rendering pages")]
        assert len(set(counted)) >= 2 and counted == sorted(counted)  # it moved, forwards
        assert any(step == "Making the PDF" for step, _v, _m in seen)

        assert wait_for(lambda: page.locator("#publishing-done").is_visible(), 120), (
            bar(page),
            page.locator("#publishing-status").inner_text(),
            stop(worker),
        )
        assert "Published edition 2 of 2018/19" in status.inner_text()
        with page.expect_navigation():
            page.get_by_role("link", name="Read the published report").click()
        expect(page.locator("main")).to_contain_text("Edition 2, ")
        assert edition_readers_get(live_server, period.slug) == 2

        # A second edition, and the worker killed half-way through it.
        publish(page, period.pk, "The summer meetings added.")
        assert wait_for(lambda: bar(page)[0].startswith("Rendering pages: "), 120)
        stop(worker, signal.SIGKILL)
        page.get_by_text(
            "Publishing stopped before it finished: readers still get edition 2."
        ).first.wait_for(timeout=30_000)
        expect(page.get_by_role("link", name=re.compile("publish again"))).to_be_visible()
        assert edition_readers_get(live_server, period.slug) == 2
        assert Edition.objects.get(is_current=True).number == 2
        assert Edition.objects.filter(period=period).count() == 2
        assert PublishingRun.objects.filter(edition=None).count() == 1
    finally:
        output = stop(worker)
    assert "Traceback" not in output, output


def test_the_progress_page_meets_wcag_22_aa(audit_context, small_year):
    from tests.browser.test_accessibility import audit

    officer = get_user_model().objects.create_user("sam", password=PASSWORD, is_staff=True)
    officer.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    period = small_year.period
    done = PublishingRun.objects.create(
        period=period, requested_by=officer, edition=Edition.objects.get(is_current=True)
    )
    waiting = PublishingRun.objects.create(period=period, requested_by=officer)
    stopped = PublishingRun.objects.create(
        period=period, requested_by=officer, error="Publishing failed (OSError): disk full."
    )
    page = audit_context.new_page()
    sign_in(page, "/admin/login/?next=/admin/", "sam")
    problems = [
        problem
        for run in (done, waiting, stopped)
        for problem in audit(page, run.get_absolute_url())
    ]
    assert problems == []


def test_the_circulating_progress_page_meets_wcag_22_aa(audit_context, small_year):
    """The same progress include as publishing's, on the meeting pack's page."""
    from meetings.models import Meeting, PackRun
    from tests.browser.test_accessibility import audit

    officer = get_user_model().objects.create_user("sam", password=PASSWORD, is_staff=True)
    officer.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    meeting = Meeting.objects.first()
    runs = [
        PackRun.objects.create(meeting=meeting, requested_by=officer, **fields)
        for fields in (
            {"circulated_at": timezone.now(), "made": True, "left_out": 1},
            {},
            {"step": "Adding the papers to the pack", "done": 1, "total": 3},
            {"error": "Circulating failed: the server could not finish."},
        )
    ]
    page = audit_context.new_page()
    sign_in(page, "/admin/login/?next=/admin/", "sam")
    problems = [problem for run in runs for problem in audit(page, run.get_absolute_url())]
    assert problems == []


def test_the_export_pages_meet_wcag_22_aa(audit_context, small_year):
    """The export's confirmation page and its progress page (the same include), finished and
    failed."""
    from bscb.reports.models import ExportRun
    from tests.browser.test_accessibility import audit

    officer = get_user_model().objects.create_user("sam", password=PASSWORD, is_staff=True)
    officer.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    edition = Edition.objects.get(is_current=True)
    done = ExportRun.objects.create(edition=edition, requested_by=officer, files=3)
    ExportRun.objects.filter(pk=done.pk).update(file="edition-exports/x/export.zip")
    failed = ExportRun.objects.create(
        edition=edition, requested_by=officer, error="The export failed: the server could not."
    )
    page = audit_context.new_page()
    sign_in(page, "/admin/login/?next=/admin/", "sam")
    urls = [f"/admin/reports/edition/{edition.pk}/export/"]
    urls += [run.get_absolute_url() for run in (done, failed)]
    problems = [problem for url in urls for problem in audit(page, url)]
    assert problems == []


def test_the_import_result_page_meets_wcag_22_aa(audit_context, small_year):
    """A confirmed import's page (the same include): the table of rows, and rows refused."""
    from bscb.core.models import ImportRun
    from tests.browser.test_accessibility import audit

    officer = get_user_model().objects.create_user("sam", password=PASSWORD, is_staff=True)
    officer.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    runs = [
        ImportRun.objects.create(
            model="training.sessionattendance",
            requested_by=officer,
            original_file_name="bookings.csv",
            **fields,
        )
        for fields in (
            {"finished_at": timezone.now(), "totals": {"new": 2, "updated": 1}},
            {
                "error": "Nothing was imported: rows were refused since the preview (below).",
                "row_errors": [{"row": 2, "messages": ["attendees: This session was cancelled."]}],
            },
        )
    ]
    page = audit_context.new_page()
    sign_in(page, "/admin/login/?next=/admin/", "sam")
    problems = [problem for run in runs for problem in audit(page, run.get_absolute_url())]
    assert problems == []

"""An import's page left open while the import waits: when its poll finishes with rows
refused, bscb/progress.js lists them (as text) where the page would have."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from playwright.sync_api import expect

from bscb.core.models import ImportRun
from bscb.core.roles import SUPPORT_TEAM
from tests.browser.test_stories import PASSWORD, sign_in
from tests.worker import DATABASE_BACKEND


def test_the_rows_refused_are_listed_when_the_poll_finishes(page, live_server, settings):
    settings.TASKS = DATABASE_BACKEND
    officer = get_user_model().objects.create_user("sam", password=PASSWORD, is_staff=True)
    officer.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    run = ImportRun.objects.create(
        model="training.sessionattendance",
        requested_by=officer,
        original_file_name="bookings.csv",
    )
    sign_in(page, f"/admin/login/?next={run.get_absolute_url()}", "sam")
    assert page.locator("#importing-errors li").count() == 0
    ImportRun.objects.filter(pk=run.pk).update(
        row_errors=[{"row": 2, "messages": ["attendees: <b>This session</b> was cancelled."]}],
        error="Nothing was imported: rows were refused since the preview (below).",
        step="Stopped",
    )
    item = page.locator("#importing-errors li")
    item.wait_for(timeout=5000)
    assert item.text_content() == "Row 2: attendees: <b>This session</b> was cancelled."
    expect(page.get_by_role("heading", name="Rows refused")).to_be_visible()
    expect(page.get_by_role("link", name="Upload the file again")).to_be_visible()

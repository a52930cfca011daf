"""Every write to a record table makes a new generation of the records (bscb.core.changes),
however it is made, so a section body kept under a generation is never shown after a change."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from bscb.core import changes
from bscb.core.models import Organisation, RecordChange, WorkerHeartbeat
from meetings.models import Entry, Meeting
from tests import factories as f


def tables_with_the_trigger() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [changes.TRIGGER],
            )
            return {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [changes.TRIGGER + "%"],
        )
        return {name for (name,) in cursor.fetchall()}


def test_migrate_puts_the_trigger_on_every_table_of_the_projects_apps_and_auth(db):
    """Read from the app registry: a new model's table is covered without being listed."""
    covered = tables_with_the_trigger()
    assert covered == set(changes.record_tables())
    assert len(covered) > 50
    # Records of every app, their many-to-many links, and the roles readers hold.
    assert {
        "meetings_meeting",
        "meetings_entry",
        "meetings_entry_priorities",
        "subgroups_action",
        "reviews_casereview",
        "reports_reportsection",
        "bscb_reportingperiod",
        "auth_user",
        "auth_user_groups",
        "auth_group_permissions",
    } <= covered
    # The running system's own state: sessions, the task queue, heartbeats, the changes.
    assert (
        not {
            "django_session",
            "bscb_workerheartbeat",
            "bscb_recordchange",
            "bscb_signout",
        }
        & covered
    )
    assert not {t for t in covered if t.startswith(("django_tasks", "axes_", "reversion_"))}
    # Installing again (each migrate does) adds no trigger, fails on nothing, and starts a
    # new generation (a migration's own writes may have been made without a trigger).
    before = changes.generation()
    changes.install_triggers()
    assert tables_with_the_trigger() == covered
    assert changes.generation() != before


@pytest.mark.parametrize(
    "write",
    [
        "a form's save",
        "a bulk update",
        "a bulk create",
        "a delete",
        "a many-to-many link",
        "raw SQL",
    ],
)
def test_each_way_of_writing_records_makes_a_new_generation(db, write):
    meeting = f.MeetingFactory(title="Autumn board")
    entry = f.EntryFactory(meeting=meeting, text="We heard from the panel.")
    before = changes.generation()
    if write == "a form's save":
        meeting.title = "Winter board"
        meeting.save()
    elif write == "a bulk update":
        Entry.objects.filter(pk=entry.pk).update(text="We heard from the police.")
    elif write == "a bulk create":
        Entry.objects.bulk_create([Entry(meeting=meeting, kind="did", text="We agreed.")])
    elif write == "a delete":
        entry.delete()
    elif write == "a many-to-many link":
        entry.priorities.add(f.PriorityFactory())
        before = changes.generation()  # the priority's own row made one too
        entry.priorities.clear()
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE meetings_meeting SET title = 'Raw' WHERE id = %s", [meeting.pk])
    assert changes.generation() != before


def test_what_pages_do_not_show_makes_no_new_generation(db):
    """A worker's heartbeat every few seconds would otherwise draw every page again."""
    before = changes.generation()
    WorkerHeartbeat.beat("worker-1")
    WorkerHeartbeat.beat("worker-1")
    assert changes.generation() == before


def test_forgetting_the_changes_makes_a_generation_never_seen_before(db):
    seen = {changes.generation()}
    Organisation.objects.create(name="Thames Valley Police", sector="police")
    seen.add(changes.generation())
    call_command("forget_record_changes", stdout=io.StringIO())
    after = changes.generation()
    assert after not in seen
    assert RecordChange.objects.count() == 1
    Organisation.objects.create(name="Oxford Health", sector="health")
    assert changes.generation() not in seen | {after}


def preview(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_report_page_is_drawn_once_for_each_generation_of_the_records(
    client, support_officer, small_year
):
    """Read again with nothing changed, the board's page asks only for its frame; any change,
    even one made without the model's save (no signal), shows on the next read."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    url = reverse("section", args=[small_year.slug, "board"]) + "?preview=1"
    client.force_login(support_officer)
    with CaptureQueriesContext(conn) as drawing:
        first = preview(client, url)
    with CaptureQueriesContext(conn) as kept:
        again = preview(client, url)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again) == token.sub("", first)
    assert len(kept) < len(drawing) - 8, [q["sql"][:80] for q in kept]
    meeting = small_year.board_meeting
    Meeting.objects.filter(pk=meeting.pk).update(title="Extraordinary board meeting")
    assert "Extraordinary board meeting" in preview(client, url)


def test_a_body_drawn_yesterday_is_drawn_again_today(client, support_officer, small_year):
    """The embargo is decided by the day (a review's release date): a body is kept for the
    day it was drawn on, though no record changed overnight."""
    from django.core.cache import caches

    url = reverse("section", args=[small_year.slug, "board"]) + "?preview=1"
    client.force_login(support_officer)
    preview(client, url)
    kept = len(caches["drawn"]._cache)
    preview(client, url)
    assert len(caches["drawn"]._cache) == kept
    with freeze_time(timezone.now() + datetime.timedelta(days=1)):
        client.force_login(support_officer)  # yesterday's session has ended
        preview(client, url)
    assert len(caches["drawn"]._cache) == kept + 1


def test_each_reader_has_their_own_drawing(client, support_officer, board_reader, small_year):
    """What a body shows may depend on who reads it (which periods they may see): one
    reader's drawing is never handed to another."""
    from django.core.cache import caches

    url = reverse("section", args=[small_year.slug, "board"]) + "?preview=1"
    client.force_login(support_officer)
    preview(client, url)
    kept = len(caches["drawn"]._cache)
    client.force_login(board_reader)
    preview(client, url)
    assert len(caches["drawn"]._cache) == kept + 1


def meeting_list(client) -> str:
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_meeting_list_is_drawn_once_for_each_generation_and_reader(
    client, support_officer, board_reader
):
    """The back office's busiest list, read again with nothing changed, asks only who is
    reading and the generation; a change made without the model's save shows at once; a
    board member is never handed the support team's page (tick boxes and all)."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    meeting = f.MeetingFactory(title="Autumn board")
    client.force_login(support_officer)
    meeting_list(client)  # a first page gives the browser its CSRF cookie: kept from then on
    with CaptureQueriesContext(conn) as drawing:
        first = meeting_list(client)
    with CaptureQueriesContext(conn) as kept:
        assert meeting_list(client) == first
    # The session, its user, their sign-out date, the generation, their permissions (their
    # own and their groups'): asked again of the kept page too.
    assert len(kept) == 6 < len(drawing) - 5, [q["sql"][:80] for q in kept]
    assert "Autumn board" in first and 'name="_selected_action"' in first
    Meeting.objects.filter(pk=meeting.pk).update(title="Winter board")
    assert "Winter board" in meeting_list(client)

    client.force_login(board_reader)
    read = meeting_list(client)
    assert "Winter board" in read and 'name="_selected_action"' not in read


def test_a_message_on_the_list_is_shown_once_and_never_kept(client, support_officer):
    """An action sent with no meeting ticked changes nothing and says so: the list shows the
    message once, then the list as it was."""
    f.MeetingFactory(title="Autumn board")
    client.force_login(support_officer)
    url = reverse("admin:meetings_meeting_changelist")
    meeting_list(client)
    response = client.post(url, {"action": "delete_selected", "index": 0}, follow=True)
    assert "Items must be selected" in response.content.decode()
    assert "Items must be selected" not in meeting_list(client)
    assert "Items must be selected" not in meeting_list(client)


def test_a_kept_list_is_served_only_to_a_reader_who_may_still_read_it(
    client, support_officer, monkeypatch
):
    """Taking a role away changes the generation anyway (auth's tables have the trigger);
    the permission is also asked again before a kept page is served."""
    from meetings.admin import MeetingAdmin

    f.MeetingFactory(title="Autumn board")
    client.force_login(support_officer)
    meeting_list(client)
    meeting_list(client)  # drawn and kept
    monkeypatch.setattr(MeetingAdmin, "has_view_or_change_permission", lambda *a, **k: False)
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 403
    monkeypatch.undo()
    support_officer.groups.clear()
    assert client.get(reverse("admin:meetings_meeting_changelist")).status_code == 403


def test_a_password_only_session_never_gets_the_drawing_of_a_session_with_the_code(
    settings, support_officer, year
):
    """Found by the outsider: the body showed a draft year's figures (funding's comparison)
    to the same person's session that had given only the password. Drafts are for sessions
    that gave the second factor too: a body is kept for each session and what it may see."""
    from decimal import Decimal

    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bscb.core.models import ReportingPeriod
    from funding.models import Contribution

    settings.OTP_REQUIRED_FOR_STAFF = True
    draft = ReportingPeriod.objects.create(
        name="2017/18",
        slug="2017-18",
        start=datetime.date(2017, 4, 1),
        end=datetime.date(2018, 3, 31),
        status=ReportingPeriod.Status.DRAFT,
    )
    published = year
    police = Organisation.objects.create(name="Thames Valley Police", sector="police")
    Contribution.objects.create(period=draft, organisation=police, amount=Decimal("99999.00"))
    Contribution.objects.create(period=published, organisation=police, amount=Decimal("25000"))
    url = reverse("section", args=[published.slug, "funding"])

    password_only = Client()
    password_only.force_login(support_officer)
    assert "2017/18" not in preview(password_only, url)

    device = TOTPDevice.objects.create(user=support_officer, name="phone", confirmed=True)
    with_the_code = Client()
    with_the_code.force_login(support_officer)
    session = with_the_code.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert "2017/18" in preview(with_the_code, url + "?preview=1")

    again = preview(password_only, url)
    assert "2017/18" not in again and "99,999" not in again


def test_a_change_saved_while_a_page_is_read_is_not_kept_under_the_newer_generation(
    client, support_officer, monkeypatch, draft_year
):
    """Found by the outsider: the generation was read after the section's records, so words
    saved in between were kept, old, under the generation that had them new. The view reads
    the generation first."""
    from bscb.reports.models import ReportSection

    period = draft_year
    client.force_login(support_officer)
    url = reverse("section", args=[period.slug, "funding"])
    preview(client, url)
    record = ReportSection.objects.get(period=period, slug="funding")
    ReportSection.objects.filter(pk=record.pk).update(introduction="Old wording.")
    real = changes.generation
    saved = []

    def read_while_an_editor_saves(using="default"):
        if not saved:  # the editor's save commits as the generation is read
            saved.append(True)
            ReportSection.objects.filter(pk=record.pk).update(introduction="New wording.")
        return real(using)

    monkeypatch.setattr(changes, "generation", read_while_an_editor_saves)
    preview(client, url)
    monkeypatch.setattr(changes, "generation", real)
    assert "New wording." in preview(client, url)
    assert "Old wording." not in preview(client, url)


def test_the_whole_report_is_drawn_once_for_each_generation_and_an_unknown_page_never_kept(
    client, support_officer, small_year
):
    from django.core.cache import caches
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    url = reverse("full_report", args=[small_year.slug]) + "?preview=1"
    client.force_login(support_officer)
    with CaptureQueriesContext(conn) as drawing:
        preview(client, url)
    with CaptureQueriesContext(conn) as kept:
        preview(client, url)
    assert len(kept) < len(drawing) - 20, [q["sql"][:80] for q in kept]
    Meeting.objects.filter(pk=small_year.board_meeting.pk).update(title="Extraordinary board")
    assert "Extraordinary board" in preview(client, url)

    entries = len(caches["drawn"]._cache)
    unknown = reverse("section", args=[small_year.slug, "no-such-section"]) + "?preview=1"
    assert client.get(unknown).status_code == 404
    assert client.get(unknown).status_code == 404
    assert len(caches["drawn"]._cache) == entries

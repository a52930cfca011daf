"""The portable export: dumpdata with natural keys, loaded into an empty database, loses nothing."""

import datetime

import pytest
import reversion
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bscb.core.models import SignOut
from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM, ensure_roles
from subgroups.services import action_add_update
from tests import factories as f
from tests.small_year import build_small_year

# Sessions, the task queue, the workers' heartbeats, the progress of background runs
# (publishing, circulating the papers, exports, imports) and the record changes (which
# generation of the records a page was drawn at) are the running system's state, not records.
SKIP = {
    "sessions.session",
    "contenttypes.contenttype",
    "auth.permission",
    "django_tasks_database.dbtaskresult",
    "bscb.workerheartbeat",
    "reports.publishingrun",
    "meetings.packrun",
    "reports.exportrun",
    "bscb.importrun",
    "bscb.recordchange",
}


def every_kind_of_record():
    """The small year, the people who sign in, and a record of every other model there is."""
    ensure_roles()  # the roles and their permissions, after a flush
    year = build_small_year()
    support = f.UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM])
    member = f.UserFactory(username="board.member", is_staff=True, roles=[BOARD_MEMBERS])
    # A member on record, linked to their sign-in, with a deputy who attended for them.
    sitting = f.PersonFactory(name="Sam Member", user=member)
    deputy = f.PersonFactory(name="Dee Deputy")
    seat = f.MembershipFactory(group=year.exploitation, person=sitting, deputy=deputy)
    f.AttendanceFactory(
        meeting=f.MeetingFactory(group=year.exploitation, date=datetime.date(2018, 6, 1)),
        organisation=seat.organisation,
        status="deputy",
        person=deputy,
    )
    chair = f.UserFactory(username="chair.exploitation")
    year.exploitation.chairs.add(chair)
    f.EscalationNoticeFactory()
    f.NoticeFactory()
    f.PreferenceFactory(user=chair)
    f.AgencyStatementFactory(period=year.period)
    f.ProgrammeReportFactory(period=year.period)
    item = f.AgendaItemFactory(meeting=f.MeetingFactory(group=year.exploitation))
    f.PaperFactory(agenda_item=item)
    f.CaseReviewFactory(pseudonym="Child AG").agenda_items.add(item)
    f.AuditFactory(title="Agenda-linked audit").agenda_items.add(item)
    SignOut.objects.create(user=chair, at=timezone.now())
    TOTPDevice.objects.create(user=support, name="phone")
    StaticDevice.objects.create(user=support, name="backup").token_set.create(token="abcd1234")
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.9", failures_since_start=1
    )
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now())
    AccessFailureLog.objects.create(
        username="x", ip_address="127.0.0.9", attempt_time=timezone.now()
    )
    AccessLog.objects.create(
        username="support", ip_address="127.0.0.9", attempt_time=timezone.now()
    )
    LogEntry.objects.log_actions(support.pk, [year.taxi_action], CHANGE, change_message="Edited")
    with reversion.create_revision():
        reversion.set_user(support)
        reversion.add_to_revision(year.taxi_action)
    return year


def snapshot() -> dict[str, list]:
    """Every record of every model, by primary key, with foreign keys by natural key where they have one."""
    records = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIP or model._meta.proxy:
            continue
        rows = serializers.serialize(
            "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        records[label] = rows
    return records


@pytest.mark.django_db(transaction=True)
def test_the_portable_export_round_trips_every_record(tmp_path, capsys):
    year = every_kind_of_record()
    action_add_update(
        action=year.taxi_action,
        author=None,
        rag="amber",
        note="Drafted",
        date=datetime.date(2019, 1, 10),
    )
    before = snapshot()
    empty = [label for label, rows in before.items() if not rows]
    assert empty == [], "the round trip must cover every model: add a record of each"
    # YAML keeps times to the microsecond and every character (Django's JSON rounds times
    # to the millisecond; XML turns the CSV downloads' line ends into plain newlines).
    dump = tmp_path / "board.yaml"
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=[
            "contenttypes",
            "auth.permission",
            "sessions",
            "django_tasks_database",
            "bscb.workerheartbeat",
            "reports.publishingrun",
            "meetings.packrun",
            "reports.exportrun",
            "bscb.importrun",
            "bscb.recordchange",
        ],
        format="yaml",
        output=str(dump),
    )
    call_command("flush", "--no-input")
    assert not apps.get_model("meetings", "Meeting").objects.exists()
    call_command("restore_export", str(dump))
    after = snapshot()
    differing = [label for label in before if before[label] != after[label]]
    assert differing == []
    counted = sum(len(rows) for rows in before.values())
    with capsys.disabled():
        print(
            f"\nBackup round trip: {counted} records in {len(before)} models compared, {len(differing)} differ."
        )

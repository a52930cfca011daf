"""The meeting cycle: the support team sees, for the coming and just-held meetings, what is
missing."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM
from meetings.cycle import publish_agenda
from tests import factories as f
from tests.pages import page_text

TODAY = timezone.localdate()
CYCLE = "admin:meetings_meeting_cycle"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def support(db):
    return f.UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM])


@pytest.fixture
def neglect(db):
    return f.GroupFactory(name="Neglect Subgroup", short_name="Neglect")


def test_the_cycle_lists_a_late_agenda_and_not_an_on_time_one(support, neglect):
    # In three days: its agenda (due five working days before) is late and not out.
    late = f.MeetingFactory(
        group=neglect, title="Late meeting", date=TODAY + datetime.timedelta(days=3)
    )
    # In three days too, but its agenda went out on time.
    on_time = f.MeetingFactory(
        group=neglect, title="On-time meeting", date=TODAY + datetime.timedelta(days=3)
    )
    publish_agenda(on_time, support)
    type(on_time).objects.filter(pk=on_time.pk).update(
        agenda_published_at=timezone.now() - datetime.timedelta(days=10)
    )
    # In six weeks: nothing is due yet.
    f.MeetingFactory(group=neglect, title="Far meeting", date=TODAY + datetime.timedelta(weeks=6))
    # Held last week, nobody's attendance recorded.
    f.MeetingFactory(group=neglect, title="Held meeting", date=TODAY - datetime.timedelta(days=7))
    # Out of the window either side.
    f.MeetingFactory(group=neglect, title="Long ago", date=TODAY - datetime.timedelta(weeks=9))
    f.MeetingFactory(group=neglect, title="Next year", date=TODAY + datetime.timedelta(weeks=20))

    response = _client(support).get(reverse(CYCLE))
    assert response.status_code == 200
    rows = {r.meeting.title: r for r in response.context["rows"]}
    assert set(rows) == {"Late meeting", "On-time meeting", "Far meeting", "Held meeting"}
    assert any(m.startswith("Agenda not out") for m in rows["Late meeting"].missing)
    assert not any("Agenda" in m for m in rows["On-time meeting"].missing)
    assert rows["Far meeting"].missing == []
    assert rows["Far meeting"].next_step.startswith("Agenda due out by")
    assert "Register not filled." in rows["Held meeting"].missing
    assert "Minutes not agreed." in rows["Held meeting"].missing
    # A coming meeting has no minutes to agree yet.
    assert "Minutes not agreed." not in rows["Far meeting"].missing

    text = page_text(response)
    assert "Agenda not out: it was due by" in text
    assert "Nothing missing." in text
    # The meeting's own page is one click away.
    assert reverse("admin:meetings_meeting_change", args=[late.pk]).encode() in response.content

    # Once the register is filled, the held meeting lacks nothing more of it.
    held = rows["Held meeting"].meeting
    f.AttendanceFactory(meeting=held)
    again = _client(support).get(reverse(CYCLE))
    held_row = next(r for r in again.context["rows"] if r.meeting.pk == held.pk)
    assert "Register not filled." not in held_row.missing
    type(held).objects.filter(pk=held.pk).update(minutes_status="agreed")
    agreed = _client(support).get(reverse(CYCLE))
    held_row = next(r for r in agreed.context["rows"] if r.meeting.pk == held.pk)
    assert not any("Minutes" in m or "Register" in m for m in held_row.missing)


def test_the_front_page_links_the_cycle_for_those_who_may_read_meetings(support):
    assert reverse(CYCLE).encode() in _client(support).get(reverse("admin:index")).content


def test_a_board_member_reads_the_cycle_and_staff_without_meetings_get_403(neglect):
    f.MeetingFactory(group=neglect, title="Soon", date=TODAY + datetime.timedelta(days=3))
    member = f.UserFactory(username="member", is_staff=True, roles=[BOARD_MEMBERS])
    response = _client(member).get(reverse(CYCLE))
    assert response.status_code == 200 and "Soon" in page_text(response)
    # Read-only: no fill button leads anywhere for them.
    assert _client(member).post(reverse(CYCLE)).status_code == 200

    clerk = f.UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    assert _client(clerk).get(reverse(CYCLE)).status_code == 403
    assert reverse(CYCLE).encode() not in _client(clerk).get(reverse("admin:index")).content
    assert Client().get(reverse(CYCLE)).status_code == 302

"""Who attends: members, attendance rates at the Board, the statutory partners at each meeting."""

import datetime
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from bscb.core.models import Organisation
from meetings.attendance import who_attends
from meetings.models import Attendance, Meeting
from subgroups.models import Membership
from tests.admin_forms import inline_formset, meeting_post
from tests.pages import page_text


def page_text_of(content: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


@pytest.fixture
def partners(db):
    return {
        "council": Organisation.objects.create(
            name="Buckinghamshire County Council", sector="local_authority"
        ),
        "police": Organisation.objects.create(name="Thames Valley Police", sector="police"),
        "health": Organisation.objects.create(name="Buckinghamshire CCG", sector="health"),
        "cafcass": Organisation.objects.create(name="CAFCASS", sector="courts"),
    }


def test_attendance_rates_and_statutory_partners_are_computed(client, year, board, partners):
    for org in partners.values():
        Membership.objects.create(group=board, organisation=org)
    # CAFCASS joined late: it was expected only at the second meeting.
    Membership.objects.filter(organisation=partners["cafcass"]).update(
        starts_on=datetime.date(2018, 9, 1)
    )
    july = Meeting.objects.create(group=board, date=datetime.date(2018, 7, 10))
    november = Meeting.objects.create(group=board, date=datetime.date(2018, 11, 27))
    for org in ("council", "police", "health"):
        Attendance.objects.create(meeting=july, organisation=partners[org])
    Attendance.objects.create(meeting=november, organisation=partners["council"])
    Attendance.objects.create(meeting=november, organisation=partners["police"], status="apologies")
    Attendance.objects.create(meeting=november, organisation=partners["health"])
    Attendance.objects.create(meeting=november, organisation=partners["cafcass"])

    who = who_attends(year)
    rates = {
        row.organisation.name: (row.present, row.expected, row.rate) for row in who.board_attendance
    }
    assert rates["Thames Valley Police"] == (1, 2, 50)
    assert rates["CAFCASS"] == (1, 1, 100)
    assert [m.all_statutory_partners for m in who.board_meetings] == [True, False]
    assert not who.illustrative

    content = client.get(reverse("section", args=[year.slug, "who-attends"])).content.decode()
    assert "50%" in content
    assert "<strong>No</strong>" in content
    assert "illustrative" not in content


def test_illustrative_records_are_flagged_on_the_page(client, year, board, partners):
    Membership.objects.create(group=board, organisation=partners["police"], is_illustrative=True)
    content = client.get(reverse("section", args=[year.slug, "who-attends"])).content.decode()
    assert "illustrative demo data" in content


def test_who_attends_says_all_when_every_record_is_illustrative_and_some_when_some_are(
    client, year, board, partners
):
    url = reverse("section", args=[year.slug, "who-attends"])
    police = Membership.objects.create(
        group=board, organisation=partners["police"], is_illustrative=True
    )
    meeting = Meeting.objects.create(group=board, date=datetime.date(2018, 7, 10))
    Attendance.objects.create(
        meeting=meeting, organisation=partners["police"], is_illustrative=True
    )
    assert who_attends(year).illustrative == "all"
    text = page_text(client.get(url))
    assert "All the membership and attendance in this section is illustrative demo data" in text
    assert "Some membership" not in text

    council = Membership.objects.create(group=board, organisation=partners["council"])
    Attendance.objects.create(meeting=meeting, organisation=partners["council"])
    assert who_attends(year).illustrative == "some"
    content = client.get(url).content.decode()
    assert "Some membership and attendance in this section is illustrative" in page_text_of(content)
    # Each row shown from an illustrative record is tagged; the council's are not.
    assert f'data-illustrative="subgroups.membership:{police.pk}"' in content
    assert f"subgroups.membership:{council.pk}" not in content

    police.is_illustrative = False
    police.save()
    Attendance.objects.update(is_illustrative=False)
    assert who_attends(year).illustrative == ""
    assert "data-illustrative" not in client.get(url).content.decode()


def test_a_meeting_page_tags_each_illustrative_attendance(client, year, board, partners):
    meeting = Meeting.objects.create(group=board, date=datetime.date(2018, 7, 10))
    made_up = Attendance.objects.create(
        meeting=meeting, organisation=partners["police"], is_illustrative=True
    )
    real = Attendance.objects.create(meeting=meeting, organisation=partners["council"])
    content = client.get(meeting.url_in(year)).content.decode()
    row = re.search(
        rf'<tr[^>]*data-illustrative="meetings.attendance:{made_up.pk}"[^>]*>(.*?)</tr>',
        content,
        re.S,
    )
    assert row and "Thames Valley Police" in row.group(1) and "Illustrative" in row.group(1)
    assert f"meetings.attendance:{real.pk}" not in content
    assert "Rows tagged Illustrative are demo data" in page_text_of(content)


def test_an_organisation_recorded_twice_at_one_meeting_is_refused(
    client, support_officer, board, partners
):
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:meetings_meeting_add"),
        meeting_post(
            group=board,
            date=datetime.date(2018, 7, 10),
            attendances=[(partners["police"], "present"), (partners["police"], "apologies")],
        ),
    )
    assert response.status_code == 200
    assert "Please correct the duplicate data for organisation" in str(
        inline_formset(response, "attendances").non_form_errors()
    )
    assert Meeting.objects.count() == 0 and Attendance.objects.count() == 0


def register_url(group, period):
    return reverse("admin:subgroups_group_register", args=[group.pk, period.slug])


def test_the_register_records_a_whole_groups_attendance(
    client, support_officer, year, board, partners
):
    Membership.objects.create(group=board, organisation=partners["police"])
    Membership.objects.create(group=board, organisation=partners["council"])
    july = Meeting.objects.create(group=board, date=datetime.date(2018, 7, 10))
    november = Meeting.objects.create(group=board, date=datetime.date(2018, 11, 27))
    Attendance.objects.create(meeting=november, organisation=partners["council"], status="present")
    client.force_login(support_officer)
    page = client.get(register_url(board, year))
    assert page.status_code == 200
    response = client.post(
        register_url(board, year),
        {
            f"m{july.pk}_o{partners['police'].pk}": "present",
            f"m{july.pk}_o{partners['council'].pk}": "apologies",
            f"m{november.pk}_o{partners['police'].pk}": "present",
            f"m{november.pk}_o{partners['council'].pk}": "",
        },
    )
    assert response.status_code == 302
    recorded = set(Attendance.objects.values_list("meeting__date", "organisation__name", "status"))
    assert recorded == {
        (july.date, "Thames Valley Police", "present"),
        (july.date, "Buckinghamshire County Council", "apologies"),
        (november.date, "Thames Valley Police", "present"),
    }


def test_the_register_refuses_presence_at_a_meeting_yet_to_happen(
    client, support_officer, board, partners
):
    from bscb.core.models import ReportingPeriod

    today = timezone.localdate()
    period = ReportingPeriod.objects.create(
        name="Now",
        slug="now",
        start=today - datetime.timedelta(days=100),
        end=today + datetime.timedelta(days=100),
    )
    Membership.objects.create(group=board, organisation=partners["police"])
    future = Meeting.objects.create(group=board, date=today + datetime.timedelta(days=10))
    client.force_login(support_officer)
    response = client.post(
        register_url(board, period), {f"m{future.pk}_o{partners['police'].pk}": "present"}
    )
    assert response.status_code == 200
    assert "cannot have been present yet" in str(response.context["form"].errors)
    assert Attendance.objects.count() == 0


def test_the_register_needs_permission_to_record_attendance(client, year, board):
    reader = get_user_model().objects.create_user("reader", is_staff=True)
    client.force_login(reader)
    assert client.get(register_url(board, year)).status_code == 403

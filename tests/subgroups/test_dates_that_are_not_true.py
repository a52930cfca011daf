"""Dates that are not true are never shown or used as dates: a meeting whose date was lost
keeps a placeholder that only orders it; an action's dates read as what was recorded; the
publish confirmation reads its date as every other page does."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape
from freezegun import freeze_time

from meetings.cycle import cycle_rows
from meetings.models import Meeting
from subgroups.escalation import items_to_escalate
from subgroups.models import Risk
from tests import factories as f
from tests.pages import page_text

PLACEHOLDER = datetime.date(2018, 8, 15)


@pytest.fixture
def cara(exploitation):
    user = get_user_model().objects.create_user("cara", password="a long demo password")
    exploitation.chairs.add(user)
    return user


@pytest.fixture
def lost_meeting(exploitation, year):
    """The records lost this meeting's date: 15 August 2018 only places it in the year."""
    return f.MeetingFactory(
        group=exploitation, date=PLACEHOLDER, date_known=False, title="Board meeting"
    )


def test_an_action_completed_without_start_or_due_date_reads_as_recorded(
    client, cara, exploitation
):
    plan = f.ActionPlanFactory(group=exploitation)
    action = f.ActionFactory(
        plan=plan,
        description="Map the hotels",
        starts_on=None,
        due_on=None,
        status="complete",
        completed_on=datetime.date(2026, 11, 26),
        evidence="Every hotel is on the map.",
    )
    client.force_login(cara)
    text = page_text(client.get(reverse("workspace:action", args=[action.pk])))
    assert "Started Not recorded" in text
    assert "Due No due date" in text
    assert "Completed 26 November 2026" in text
    assert "Dates: ," not in text and "2026Not recorded" not in text


def test_a_risk_reviewed_at_a_meeting_whose_date_was_lost_shows_no_date_for_it(
    client, cara, exploitation, lost_meeting
):
    risk = f.RiskFactory(title="Too few places", owner_group=exploitation, opened_on=None)
    f.RiskReviewFactory(risk=risk, meeting=lost_meeting, date=PLACEHOLDER, note="Still high.")
    client.force_login(cara)
    text = page_text(client.get(reverse("workspace:risk", args=[risk.pk])))
    assert "15 August 2018" not in text
    assert "Reviews Date not recorded , at the Board meeting Still high." in text
    # Its review clock has no start: no review day is known and the opening is not recorded.
    assert "Next review Not known" in text


def test_a_placeholder_date_starts_no_review_clock_and_flags_nothing(exploitation, lost_meeting):
    risk = f.RiskFactory(
        title="Too few places",
        owner_group=exploitation,
        opened_on=datetime.date(2018, 4, 1),
        review_every_days=90,
    )
    f.RiskReviewFactory(risk=risk, meeting=lost_meeting, date=PLACEHOLDER, note="Still high.")
    risk = Risk.objects.with_reviews().get(pk=risk.pk)
    # The clock runs from the last known day, the risk's opening: not from 15 August 2018.
    assert risk.last_reviewed_on() == datetime.date(2018, 4, 1)
    assert risk.review_due_on() == datetime.date(2018, 6, 30)
    late = [item for item in items_to_escalate() if item.risk == risk]
    assert late and "15 August 2018" not in late[0].body


def test_a_review_at_a_meeting_takes_the_meetings_day(exploitation, year):
    meeting = f.MeetingFactory(group=exploitation, date=datetime.date(2018, 7, 10))
    risk = f.RiskFactory(owner_group=exploitation)
    review = f.RiskReviewFactory.build(
        risk=risk, meeting=meeting, date=datetime.date(2018, 7, 12), note="Lower now."
    )
    review.full_clean()
    assert review.date == review.day == datetime.date(2018, 7, 10)


def test_an_action_arising_at_a_meeting_whose_date_was_lost_is_not_checked_against_it(
    lost_meeting,
):
    assert lost_meeting.arising_due_error(datetime.date(2018, 6, 1)) is None
    known = f.MeetingFactory(group=lost_meeting.group, date=PLACEHOLDER)
    assert known.arising_due_error(datetime.date(2018, 6, 1)) == (
        "The due date is before the meeting (15 August 2018): an action arising cannot be due "
        "before it arose."
    )


def test_a_meeting_whose_date_was_lost_is_neither_coming_nor_just_held(exploitation):
    today = datetime.date(2018, 8, 20)
    f.PeriodFactory(name="2018/19", slug="2018-19")
    f.MeetingFactory(group=exploitation, date=PLACEHOLDER, date_known=False)
    held = f.MeetingFactory(group=exploitation, date=datetime.date(2018, 8, 14))
    assert [row.meeting for row in cycle_rows(today)] == [held]


def test_the_back_office_lists_a_lost_date_as_not_recorded(client, support_officer, lost_meeting):
    client.force_login(support_officer)
    text = page_text(client.get(reverse("admin:meetings_meeting_changelist")))
    assert "15 August 2018" not in text
    assert "date not recorded" in text
    group_page = reverse("admin:subgroups_group_change", args=[lost_meeting.group.pk])
    assert "15 August 2018" not in page_text(client.get(group_page))


def test_the_register_of_a_meeting_whose_date_was_lost_is_not_filled_from_the_members(
    client, support_officer, lost_meeting
):
    f.MembershipFactory(group=lost_meeting.group)
    client.force_login(support_officer)
    url = reverse("admin:meetings_meeting_fill_register", args=[lost_meeting.pk])
    response = client.post(url, follow=True)
    assert "is not recorded, so who sat on the group that day is not known" in page_text(response)
    assert not lost_meeting.attendances.exists()


def test_a_member_for_part_of_the_year_is_not_expected_at_a_meeting_whose_date_was_lost(
    year, board
):
    from meetings.attendance import who_attends

    lost = f.MeetingFactory(group=board, date=PLACEHOLDER, date_known=False)
    police = f.OrganisationFactory(name="Thames Valley Police", sector="police")
    council = f.OrganisationFactory(name="Buckinghamshire Council", sector="local_authority")
    f.MembershipFactory(group=board, organisation=police)
    # The council sat on the Board from 1 August 2018: on 15 August 2018, if that were the day.
    f.MembershipFactory(group=board, organisation=council, starts_on=datetime.date(2018, 8, 1))
    f.AttendanceFactory(meeting=lost, organisation=police)
    expected = {row.organisation.name: row.expected for row in who_attends(year).board_attendance}
    assert expected == {"Thames Valley Police": 1, "Buckinghamshire Council": 0}
    assert Meeting.objects.get(pk=lost.pk).has_happened


@freeze_time("2026-11-26 12:00")
def test_the_publish_confirmation_reads_the_copys_due_date_as_every_page_does(
    client, support_officer
):
    period = f.PeriodFactory(
        name="2020/21",
        slug="2020-21",
        start=datetime.date(2020, 4, 1),
        end=datetime.date(2021, 3, 31),
    )
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:bscb_reportingperiod_publish", args=[period.pk]),
        {"accept_missing": "on", "accept_names": "on", "change_note": ""},
        follow=True,
    )
    # Publishing runs as a task: its progress page gives the reminder once it is done.
    status = response.context["progress"].message
    assert status.startswith("Published edition 1 of 2020/21. Send a copy to ")
    assert status.endswith(" by 3 December 2026."), status
    assert escape(status) in response.content.decode()


def test_the_pack_of_a_meeting_whose_date_was_lost_is_named_without_the_placeholder(
    lost_meeting, support_officer
):
    from meetings.cycle import circulate_papers

    item = f.AgendaItemFactory(meeting=lost_meeting, title="Neglect strategy")
    f.PaperFactory(agenda_item=item, title="Draft strategy")
    circulate_papers(lost_meeting, support_officer)
    lost_meeting.refresh_from_db()
    assert lost_meeting.pack.name
    assert "2018-08-15" not in lost_meeting.pack.name

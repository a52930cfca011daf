"""Unknown is not zero: a count, amount or date the records do not give is "not recorded" (or
left out) on every page, download and PDF; never 0, never £0.00, never today's date.

The kinds come from the registry, so a new kind is checked without editing this test: its
records must be in `unrecorded_year` below, with their counts, amounts and dates left blank.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bscb.reports import kinds
from bscb.reports.pages import pdf_now
from bscb.reports.report import report_sections
from reviews.models import PanelCases
from subgroups.models import Group
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgencyStatementFactory,
    AppointmentFactory,
    AuditFactory,
    CaseReviewFactory,
    ContributionFactory,
    FigureFactory,
    FigureSetFactory,
    GroupFactory,
    LearningEventFactory,
    MeetingFactory,
    MembershipFactory,
    NilReturnFactory,
    OrganisationFactory,
    PeriodFactory,
    PriorityTextFactory,
    ProgrammeFactory,
    ProgrammeReportFactory,
    ReportSourceFactory,
    RiskFactory,
    SessionFactory,
    SpendingFactory,
)
from tests.pages import page_text


def today_texts() -> list[str]:
    today = timezone.localdate()
    return [date_format(today, "j F Y"), today.isoformat()]


def false_figures(text: str) -> list[str]:
    """What a page must not say of something not recorded: a bare 0, £0, 0.00, today."""
    found = re.findall(r"(?<![\w.,£-])0(?![\w.,%])", text)
    found += re.findall(r"£0\b|\b0\.00\b", text)
    found += [t for t in today_texts() if t in text]
    return found


def counts_complete_records(dataset: str, row: dict) -> bool:
    """A zero that counts records the board keeps whole is a fact, not a stand-in for "not
    recorded": sessions of a kind held or cancelled (none commissioned, none cancelled),
    trainers in the pool, and so the people at the sessions of a kind none of which was
    held. The fixture's one held session, full-day, has no attendance recorded."""
    return dataset == "training" and row["figure"] not in ("full_day_attendees", "attendees")


@pytest.fixture
def unrecorded_year(db):
    """A published period spanning today, with a record for every kind of section, each
    without its count, amount or date."""
    today = timezone.localdate()
    period = PeriodFactory(
        name="This year",
        slug="this-year",
        start=today - datetime.timedelta(days=200),
        end=today + datetime.timedelta(days=165),
        status="published",  # published before any edition: rendered live
    )
    day = period.start + datetime.timedelta(days=30)
    period.report_sections.filter(kind=kinds.NARRATIVE).update(introduction="Our words.")
    period.report_sections.filter(kind=kinds.KEY_FIGURES).update(introduction="Our area in words.")
    ReportSourceFactory(period=period, number=1, text="Local authority records.")

    board = GroupFactory(name="Board", short_name="Board", slug="board", kind=Group.Kind.BOARD)
    GroupFactory(
        name="Executive", short_name="Executive", slug="executive", kind=Group.Kind.EXECUTIVE
    )
    panel = GroupFactory(name="Panel", short_name="CDOP", slug="cdop", kind=Group.Kind.PANEL)
    subgroup = GroupFactory(name="Exploitation", short_name="CE", slug="exploitation")
    partner = OrganisationFactory(name="Northshire Police", sector="police")
    MembershipFactory(group=board, organisation=partner)
    PriorityTextFactory(period=period)

    # Meetings whose dates and attendance the records lost; the executive has none.
    MeetingFactory(group=board, date=day, date_known=False, is_public=True, title="")
    MeetingFactory(group=subgroup, date=day, date_known=False, is_public=True)
    PanelCases.objects.create(
        meeting=MeetingFactory(group=panel, date=day, date_known=False, is_public=True),
        cases_reviewed=None,
    )
    # The panel's yearly profile, none of its figures recorded, and no part of ours.
    profile = FigureSetFactory(
        period=period,
        slug="child-death-profile",
        panel_area="Northshire and Southshire",
        local_area="Northshire",
    )
    FigureFactory(figure_set=profile, key="deaths-notified", value=None, local_value=None)
    period.report_sections.filter(kind=kinds.CHILD_DEATHS).update(figure_set=profile)
    # An action nobody has rated or completed.
    ActionFactory(plan=ActionPlanFactory(group=subgroup), due_on=None)

    review = CaseReviewFactory(
        commissioned_on=None, signed_off_on=day, published_on=None, panel_notified_on=None
    )
    # A learning event after it whose attendance the records do not give.
    LearningEventFactory(review=review, date=day, attendees=None)
    NilReturnFactory(period=period, kind="thematic", what="commissioned")
    AuditFactory(date=day, date_known=False)
    # A session held, with nobody's attendance recorded.
    SessionFactory(date=day, date_known=False)
    ContributionFactory(period=period, organisation=partner, amount=None)
    SpendingFactory(period=period, amount="90000.00")
    RiskFactory(owner_group=board)
    # A statement and a programme whose launch date the records do not give.
    AgencyStatementFactory(period=period, organisation=partner)
    ProgrammeReportFactory(period=period, programme=ProgrammeFactory(launched_on=None))
    # A figure set whose figure the records do not give.
    figures = FigureSetFactory(period=period, title="Casework", slug="casework")
    FigureFactory(figure_set=figures, value=None)
    period.report_sections.create(
        kind=kinds.FIGURE_SET, title="Casework", slug="casework", figure_set=figures
    )
    # People in roles whose start and end the records do not give.
    AppointmentFactory(role="independent_scrutineer")
    AppointmentFactory(role="lead_officer", title="Chief Constable", organisation=partner)
    period.report_sections.create(kind=kinds.GOVERNANCE, title="Who leads", slug="governance")
    return period


def shown_sections(period):
    return {s.kind.key: s for s in report_sections(period)}


@pytest.mark.parametrize("key", list(kinds.KINDS))
def test_no_section_prints_a_zero_or_today_for_what_is_not_recorded(unrecorded_year, key):
    period = unrecorded_year
    section = shown_sections(period).get(key)
    assert section is not None, f"{key}: give the fixture a record of this kind"
    client = Client()

    page = client.get(section.url(period))
    assert page.status_code == 200
    assert false_figures(page_text(page)) == [], key

    for dataset in section.kind.datasets:
        response = client.get(reverse("dataset_csv", args=[period.slug, dataset]))
        assert response.status_code == 200, dataset
        cells = [c for row in csv.reader(io.StringIO(response.content.decode())) for c in row]
        assert [c for c in cells if "£" in c or any(t in c for t in today_texts())] == []
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        zeros = [r for r in rows if "0" in r.values() or "0.00" in r.values()]
        assert [r for r in zeros if not counts_complete_records(dataset, r)] == [], dataset

        response = client.get(reverse("dataset_json", args=[period.slug, dataset]))
        assert response.status_code == 200, dataset
        data = json.loads(response.content)
        zeros = [r for r in data["rows"] if {0, "0", "0.00"} & set(r.values())]
        assert [r for r in zeros if not counts_complete_records(dataset, r)] == [], dataset
        assert [t for t in today_texts() if t in json.dumps(data)] == [], dataset


def test_the_whole_report_and_the_pdf_print_no_zero_or_today(unrecorded_year):
    from pypdf import PdfReader

    period = unrecorded_year
    client = Client()
    whole = page_text(client.get(reverse("full_report", args=[period.slug])))
    assert false_figures(whole) == []
    assert "Not recorded" in whole

    # The PDF as a draft's is made (a published period's comes from its edition).
    pdf = PdfReader(io.BytesIO(pdf_now(period)[0]))
    # The PDF's page numbers are numbers, not figures: each page's last line is dropped.
    text = " ".join(" ".join(page.extract_text().splitlines()[:-1]) for page in pdf.pages)
    assert "Not recorded" in text
    assert false_figures(text) == []


# Focused tests, one for each fix.


def test_a_board_with_no_recorded_meetings_says_so_instead_of_met_0_times(unrecorded_year):
    period = unrecorded_year
    text = page_text(Client().get(shown_sections(period)[kinds.BOARD].url(period)))
    assert "No meetings of the Executive are recorded for This year." in text
    assert "met 0 times" not in text
    assert "The Board met once in This year." in text


def test_a_contribution_without_an_amount_is_not_recorded_not_zero(unrecorded_year):
    period = unrecorded_year
    partner = OrganisationFactory(name="Northshire Council", sector="local_authority")
    ContributionFactory(period=period, organisation=partner, amount="50000.00")
    client = Client()
    text = page_text(client.get(shown_sections(period)[kinds.FUNDING].url(period)))
    assert "Northshire Police Not recorded" in text
    assert "Northshire Council £50,000.00" in text
    # The total of what is recorded is not the whole: no share, no outturn, say why.
    assert "Total of the amounts recorded £50,000.00" in text
    assert "The records do not give the amount of one contribution" in text
    assert "Partners' contributions Not recorded" in text
    assert "Outturn Not known" in text
    assert "%" not in text

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("dataset_csv", args=[period.slug, "funding"])).content.decode()
            )
        )
    )
    police = next(r for r in rows if r["partner"] == "Northshire Police")
    assert (police["amount_gbp"], police["share_percent"]) == ("", "")
    budget = json.loads(client.get(reverse("dataset_json", args=[period.slug, "budget"])).content)
    lines = {r["line"]: r["amount_gbp"] for r in budget["rows"] if r["line"] != "spending"}
    assert lines == {"partners_contributions": "", "outturn": ""}


def test_a_zero_contribution_is_still_zero(db):
    """A partner that paid nothing is recorded as 0 and printed so: only blank is unknown."""
    period = PeriodFactory(status="published")
    ContributionFactory(period=period, amount="0.00")
    ContributionFactory(period=period, amount="1000.00")
    section = shown_sections(period)[kinds.FUNDING]
    text = page_text(Client().get(section.url(period)))
    assert "£0.00" in text
    assert "Total £1,000.00 100.0%" in text


def test_a_risk_typed_in_today_was_not_opened_today(db, client):
    from django.contrib.auth import get_user_model

    risk = RiskFactory()
    risk.refresh_from_db()
    assert risk.opened_on is None
    assert risk.review_due_on() is None
    assert not risk.is_review_late()

    chair = get_user_model().objects.create_user("cara", email="cara@example.org", password="x")
    risk.owner_group.chairs.add(chair)
    client.force_login(chair)
    page = client.get(reverse("workspace:risk", args=[risk.pk]))
    assert page.status_code == 200
    text = page_text(page)
    assert "Opened Not recorded" in text
    assert "Next review Not known" in text
    assert [t for t in today_texts() if t in text] == []


def test_a_risk_keeps_a_recorded_opening_date(db):
    risk = RiskFactory(opened_on=datetime.date(2018, 6, 1), review_every_days=90)
    assert risk.review_due_on() == datetime.date(2018, 8, 30)
    assert risk.is_review_late(datetime.date(2018, 9, 1))


def test_training_without_attendance_recorded_has_attendees_not_recorded(unrecorded_year):
    period = unrecorded_year
    text = page_text(Client().get(shown_sections(period)[kinds.TRAINING].url(period)))
    assert "Attendees Not recorded" in text
    response = Client().get(reverse("dataset_csv", args=[period.slug, "training"]))
    rows = {r["figure"]: r["value"] for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert (rows["full_day_attendees"], rows["attendees"]) == ("", "")
    assert rows["full_day_sessions_held"] == "1"


def test_board_meetings_without_attendance_recorded_are_not_absences(unrecorded_year):
    period = unrecorded_year
    text = page_text(Client().get(shown_sections(period)[kinds.WHO_ATTENDS].url(period)))
    assert "Attendance not recorded" in text
    assert "Not present" not in text
    assert "No attendance is recorded for these meetings." in text


def test_panel_cases_not_recorded_leave_the_total_not_recorded(unrecorded_year):
    period = unrecorded_year
    text = page_text(Client().get(shown_sections(period)[kinds.CHILD_DEATHS].url(period)))
    assert "Date not recorded Not recorded" in text
    assert "Total Not recorded" in text

"""Every kind of section asks the same number of queries with ten times the records.

The kinds come from the registry, so a new kind is measured without editing this test.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bscb.reports import kinds
from bscb.reports.report import report_sections
from reviews.models import PanelCases
from subgroups.models import Group
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgencyStatementFactory,
    AppointmentFactory,
    AttendanceFactory,
    AuditFactory,
    BudgetFactory,
    BudgetLineFactory,
    CaseReviewFactory,
    ContributionFactory,
    EntryFactory,
    FigureBreakdownFactory,
    FigureFactory,
    FigureSetFactory,
    GroupFactory,
    InKindContributionFactory,
    KeyFigureFactory,
    LearningEventFactory,
    MeetingFactory,
    NilReturnFactory,
    OrganisationFactory,
    PeriodFactory,
    PersonFactory,
    PriorityFactory,
    PriorityTextFactory,
    ProgrammeFactory,
    ProgrammeReportFactory,
    ProgressUpdateFactory,
    ReportSectionFactory,
    ReportSourceFactory,
    SessionAttendanceFactory,
    SessionFactory,
)


@pytest.fixture
def period(db):
    period = PeriodFactory(status="published")  # published before any edition: rendered live
    period.report_sections.filter(kind=kinds.NARRATIVE).update(introduction="Our words.")
    board = GroupFactory(name="Board", short_name="Board", slug="board", kind=Group.Kind.BOARD)
    panel = GroupFactory(name="Panel", short_name="CDOP", slug="cdop", kind=Group.Kind.PANEL)
    subgroup = GroupFactory(name="Exploitation", short_name="CE", slug="exploitation")
    priority = PriorityTextFactory(period=period).priority
    period.groups = (board, panel, subgroup)
    period.priority = priority
    BudgetFactory(period=period, surplus_decision="To reserves.")
    ReportSectionFactory(period=period, kind=kinds.GOVERNANCE, slug="governance")
    NilReturnFactory(period=period, kind="thematic")
    return period


def figure_sets(period):
    """The period's figure set with its section, and the same set a year before (a series)."""
    if not hasattr(period, "figure_sets_made"):
        earlier = PeriodFactory(
            name="2017/18",
            slug="2017-18",
            start=period.start - datetime.timedelta(days=365),
            end=period.start - datetime.timedelta(days=1),
            status="published",
        )
        current = FigureSetFactory(period=period)
        ReportSectionFactory(period=period, kind=kinds.FIGURE_SET, figure_set=current)
        # The child death review's profile: a shared panel's set, named by its section.
        profile = FigureSetFactory(
            period=period, slug="child-deaths", panel_area="Two areas", local_area="Ours"
        )
        period.report_sections.filter(kind=kinds.CHILD_DEATHS).update(figure_set=profile)
        period.figure_sets_made = (current, FigureSetFactory(period=earlier), profile)
    return period.figure_sets_made


def add_records(period, count: int, first: int) -> None:
    """`count` of everything a section reads, numbered from `first`."""
    board, panel, subgroup = period.groups
    current, earlier, profile = figure_sets(period)
    for n in range(first, first + count):
        day = period.start + datetime.timedelta(days=n)
        organisation = OrganisationFactory(name=f"Partner {n}", sector="health")
        for group in (board, subgroup):
            meeting = MeetingFactory(group=group, date=day, is_public=True)
            EntryFactory(meeting=meeting, kind="did", text=f"Did {n}").priorities.add(
                period.priority
            )
            EntryFactory(meeting=meeting, kind="difference", text=f"Difference {n}")
            AttendanceFactory(meeting=meeting, organisation=organisation)
        PanelCases.objects.create(
            meeting=MeetingFactory(group=panel, date=day, is_public=True), cases_reviewed=2
        )
        plan = ActionPlanFactory(group=subgroup)
        action = ActionFactory(plan=plan)
        action.priorities.add(period.priority)
        ProgressUpdateFactory(action=action, date=day)
        ContributionFactory(period=period, organisation=organisation)
        BudgetLineFactory(period=period, direction="income", position=n)
        BudgetLineFactory(period=period, planned=None, position=n)
        InKindContributionFactory(period=period, organisation=organisation)
        SessionAttendanceFactory(session=SessionFactory(date=day), organisation=organisation)
        review = CaseReviewFactory(panel_notified_on=day, signed_off_on=day)
        LearningEventFactory(review=review, date=day)
        deaths = FigureFactory(
            figure_set=profile, key=f"deaths-{n}", value=n + 10, local_value=n + 1
        )
        FigureBreakdownFactory(figure=deaths, value=1)
        AuditFactory(date=day)
        source = ReportSourceFactory(period=period, number=n + 1)
        KeyFigureFactory(period=period, position=n + 1, source=source)
        figure = FigureFactory(figure_set=current, key=f"figure-{n}", value=n + 10)
        FigureBreakdownFactory(figure=figure, value=1)
        FigureBreakdownFactory(figure=figure, dimension="sex", value=1)
        FigureFactory(figure_set=earlier, key=f"figure-{n}", value=n)
        AgencyStatementFactory(period=period, organisation=organisation, position=n)
        programme = ProgrammeFactory(
            launched_on=day, priorities=[period.priority, PriorityFactory()]
        )
        own = FigureSetFactory(period=period, title=f"Programme {n}", slug=f"programme-{n}")
        FigureBreakdownFactory(figure=FigureFactory(figure_set=own, value=5), value=1)
        ProgrammeReportFactory(programme=programme, period=period, figure_set=own)
        AppointmentFactory(
            person=PersonFactory(organisation=organisation),
            role="lead_officer",
            title="Chief Executive",
            organisation=organisation,
            starts_on=day,
        )
        AppointmentFactory(role="link", other_board=f"Adults Board {n}", ends_on=day)


def queries_for(url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url).status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("key", list(kinds.KINDS))
def test_each_kind_asks_the_same_queries_with_ten_times_the_records(period, key):
    add_records(period, 2, 0)
    section = next(s for s in report_sections(period) if s.kind.key == key)
    url = section.url(period)
    few = queries_for(url)
    add_records(period, 18, 2)
    assert queries_for(url) == few, f"{key}: {url}"


def test_the_whole_report_asks_the_same_queries_with_ten_times_the_records(period):
    add_records(period, 2, 0)
    url = f"/{period.slug}/report/"
    few = queries_for(url)
    add_records(period, 18, 2)
    assert queries_for(url) == few

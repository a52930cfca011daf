"""The statutory check answers to the framework in force: Working Together 2015 for a
board's year, 2018 for the partners' arrangements, 2023 for the current guidance (or the
one staff chose), each item with its paragraph and its evidence from every kind of record."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse

from bscb.core.models import ReportingPeriod
from bscb.core.roles import BOARD_MEMBERS
from bscb.reports import kinds
from bscb.reports.checker import EVIDENCE, check_report
from bscb.reports.editions import period_publish
from bscb.reports.frameworks import FRAMEWORKS
from tests import factories as f
from tests.pages import page_text

pytestmark = pytest.mark.django_db

WT2015_ITEMS = [
    "An assessment of the performance and effectiveness of local services",
    "Areas of weakness, their causes and the action being taken",
    "Lessons from reviews undertaken in the period",
    "Contributions by partner agencies and what the board spent",
]
WT2018_ITEMS = [
    "What the partners did, including on child safeguarding practice reviews",
    "Evidence of impact, including training",
    "Areas with little or no progress, and what is being done",
    "Decisions and actions on review recommendations",
    "How feedback from children and families was sought and used",
]
WT2023_ITEMS = [
    "Multi-agency priorities",
    "What the partners did, including on child safeguarding practice reviews",
    "Learning, including from practice reviews",
    "Impact on outcomes for children and families",
    "The evidence: figures, audits and inspections",
    "Improvement: where progress is slow and what is being done",
    "How effective the arrangements have been",
]


@pytest.fixture
def board_year():
    """A Local Safeguarding Children Board's last year, like Buckinghamshire's 2018/19."""
    return f.PeriodFactory(name="2018/19", slug="2018-19")


@pytest.fixture
def partnership_year():
    """A partnership's 2020/21, reported against Working Together 2023 by choice."""
    return f.PeriodFactory(
        name="2020/21",
        slug="2020-21",
        start=datetime.date(2020, 4, 1),
        end=datetime.date(2021, 3, 31),
        framework="wt2023",
    )


def test_a_boards_year_is_checked_against_working_together_2015(
    client, support_officer, board_year
):
    police = f.OrganisationFactory(name="Thames Valley Police", sector="police")
    f.ContributionFactory(period=board_year, organisation=police)
    f.SpendingFactory(period=board_year, category="case_reviews", amount="30000.00")
    f.SpendingFactory(period=board_year, category="training", amount="12000.00")

    check = check_report(board_year)
    assert check.framework.document == "Working Together to Safeguard Children 2015"
    assert [item.title for item in check.items] == WT2015_ITEMS
    assert {item.paragraph for item in check.items} == {"paragraph 16", "paragraph 17"}
    funding = check.item("Contributions by partner agencies and what the board spent")
    assert funding.ok
    assert "1 partner contribution recorded" in funding.provided
    assert "Spending in 2 categories, including case reviews and training" in funding.provided

    client.force_login(support_officer)
    page = page_text(
        client.get(reverse("admin:bscb_reportingperiod_publish", args=[board_year.pk]))
    )
    assert (
        "The 2018/19 report answers to Working Together to Safeguard Children 2015 "
        "(chapter 3, paragraphs 15 to 17), the guidance in force at the period's end."
    ) in page
    assert "section 14A of the Children Act 2004" in page
    assert "Working Together to Safeguard Children 2015, paragraph 17" in page
    assert "Working Together 2018" not in page


def test_a_boards_spending_counts_only_while_the_report_shows_its_funding(board_year):
    f.ContributionFactory(period=board_year)
    f.SpendingFactory(period=board_year)
    board_year.report_sections.filter(kind=kinds.FUNDING).update(is_shown=False)
    funding = check_report(board_year).item(
        "Contributions by partner agencies and what the board spent"
    )
    assert not funding.ok
    assert "The report shows no section with funding" in funding.missing
    assert funding.provided == []


def test_a_2020_21_report_under_working_together_2023_finds_evidence_in_every_kind_of_record(
    partnership_year,
):
    casework = f.FigureSetFactory(period=partnership_year, title="Casework", slug="casework")
    f.FigureFactory(figure_set=casework, label="Allegations managed by the designated officer")
    f.ReportSectionFactory(
        period=partnership_year,
        kind=kinds.FIGURE_SET,
        title="Casework",
        slug="casework",
        figure_set=casework,
    )
    f.AgencyStatementFactory(
        period=partnership_year,
        organisation=f.OrganisationFactory(name="Northmoor Police", sector="police"),
        author_role="Chief Constable",
    )
    f.ProgrammeReportFactory(
        period=partnership_year, programme=f.ProgrammeFactory(name="Graded Care Profile 2")
    )
    f.AuditFactory(date=datetime.date(2020, 11, 2), kind="inspection")
    meeting = f.MeetingFactory(group=f.GroupFactory(kind="board"), date="2020-06-01")
    f.EntryFactory(meeting=meeting, kind="voice", text="Young people asked for text reminders.")

    check = check_report(partnership_year)
    assert check.framework.document == "Working Together to Safeguard Children 2023"
    assert [item.title for item in check.items] == WT2023_ITEMS
    assert all(item.paragraph.startswith("chapter 2") for item in check.items)

    evidence = check.item("The evidence: figures, audits and inspections")
    assert evidence.ok
    assert "1 figure set shown: “Casework”" in evidence.provided
    assert "1 inspection in the period" in evidence.provided
    assert "1 agency statement: Northmoor Police" in evidence.provided
    impact = check.item("Impact on outcomes for children and families")
    assert impact.ok
    assert "1 programme: Graded Care Profile 2" in impact.provided
    assert "1 entry of what children, young people and families told us" in impact.provided
    assert check.item("How effective the arrangements have been").ok
    # No practice review activity: the partners' work item still says so.
    did = check.item("What the partners did, including on child safeguarding practice reviews")
    assert "No case review activity" in did.missing
    assert "1 programme: Graded Care Profile 2" in did.provided


def test_a_figure_set_no_section_shows_is_not_evidence(partnership_year):
    f.FigureFactory(
        figure_set=f.FigureSetFactory(period=partnership_year, title="Casework", slug="casework")
    )
    evidence = check_report(partnership_year).item("The evidence: figures, audits and inspections")
    assert not evidence.ok
    assert "1 figure set, none in a section the report shows" in evidence.missing


def test_child_death_figures_count_from_the_profile_the_child_death_section_names(
    partnership_year,
):
    impact = "Impact on outcomes for children and families"
    assert (
        "Child death figures for the period"
        not in check_report(partnership_year).item(impact).provided
    )
    profile = f.FigureSetFactory(period=partnership_year)
    f.FigureFactory(figure_set=profile, key="deaths-notified", value=31)
    f.ReportSectionFactory(
        period=partnership_year, kind=kinds.CHILD_DEATHS, slug="cdop", figure_set=profile
    )
    assert (
        "Child death figures for the period" in check_report(partnership_year).item(impact).provided
    )


def test_a_partnerships_2019_20_report_still_has_the_five_items_of_2018(db):
    period = f.PeriodFactory(
        name="2019/20",
        slug="2019-20",
        start=datetime.date(2019, 4, 1),
        end=datetime.date(2020, 3, 31),
    )
    check = check_report(period)
    assert check.framework.document == "Working Together to Safeguard Children 2018"
    assert [item.title for item in check.items] == WT2018_ITEMS
    assert check.framework.copy_within_days == 7
    assert "What Works Centre" in check.framework.copy_to


def test_publishing_with_items_missing_keeps_the_frameworks_titles_in_the_edition(
    partnership_year,
):
    edition = period_publish(period=partnership_year, accept_missing=True)
    assert "Multi-agency priorities" in edition.missing_items.splitlines()
    assert "How feedback from children and families" not in edition.missing_items
    # Under the 2023 guidance a copy goes to the Panel and Foundations within seven days.
    assert "Foundations" in edition.copy_to
    assert edition.panel_due_on == edition.published_at.date() + datetime.timedelta(days=7)


def test_the_back_office_lists_what_the_check_still_misses_for_drafts_only(
    client, support_officer, partnership_year, board_year
):
    board_year.status = ReportingPeriod.Status.PUBLISHED
    board_year.save()
    client.force_login(support_officer)
    page = page_text(client.get(reverse("admin:index")))
    missing = len(check_report(partnership_year).missing)
    assert missing
    assert f"The 2020/21 draft misses {missing} statutory items" in page
    assert "Against Working Together to Safeguard Children 2023" in page
    assert "Multi-agency priorities (chapter 2, Reporting)" in page
    assert "The 2018/19 draft" not in page
    content = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:bscb_reportingperiod_publish", args=[partnership_year.pk]) in content


def test_who_sees_the_drafts_missing_items(client, partnership_year):
    users = get_user_model().objects
    member = users.create_user("bea", password="a long demo password", is_staff=True)
    member.groups.add(AuthGroup.objects.get(name=BOARD_MEMBERS))
    stranger = users.create_user("cal", password="a long demo password", is_staff=True)
    # A board member reads drafts and the check, and may not publish.
    client.force_login(member)
    assert "The 2020/21 draft misses" in page_text(client.get(reverse("admin:index")))
    url = reverse("admin:bscb_reportingperiod_publish", args=[partnership_year.pk])
    page = client.get(url).content.decode()
    assert "Multi-agency priorities" in page and "<form" not in page.split("</table>")[-1]
    assert client.post(url, {"accept_missing": "on"}).status_code == 403
    # Staff without the right to read periods see no draft's gaps.
    client.force_login(stranger)
    assert "The 2020/21 draft misses" not in page_text(client.get(reverse("admin:index")))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_every_evidence_a_framework_names_is_found_and_shown_by_some_kind():
    named = {
        key
        for framework in FRAMEWORKS.values()
        for r in framework.requirements
        for key in (*r.needs, *r.any_of, *r.also)
    }
    shown = {key for kind in kinds.KINDS.values() for key in kind.evidence}
    assert named <= set(EVIDENCE)
    assert set(EVIDENCE) <= shown
    assert shown <= set(EVIDENCE)


def test_a_nil_return_and_a_learning_event_are_evidence_of_learning_from_reviews(
    partnership_year,
):
    f.ReportSectionFactory(period=partnership_year, kind=kinds.CASE_REVIEWS, slug="reviews")
    learning = "Learning, including from practice reviews"
    assert not check_report(partnership_year).item(learning).ok
    f.NilReturnFactory(period=partnership_year)
    f.LearningEventFactory(review=f.CaseReviewFactory(), date=datetime.date(2021, 1, 21))
    item = check_report(partnership_year).item(learning)
    assert item.ok
    assert "1 nil return (no reviews of a type)" in item.provided
    assert "1 learning event held after reviews" in item.provided


def test_a_hidden_child_death_section_gives_no_child_death_figures(partnership_year):
    impact = "Impact on outcomes for children and families"
    profile = f.FigureSetFactory(period=partnership_year)
    f.FigureFactory(figure_set=profile, key="deaths-notified", value=31)
    f.ReportSectionFactory(
        period=partnership_year,
        kind=kinds.CHILD_DEATHS,
        slug="cdop",
        figure_set=profile,
        is_shown=False,
    )
    casework = f.FigureSetFactory(period=partnership_year, title="Casework", slug="casework")
    f.FigureFactory(figure_set=casework)
    f.ReportSectionFactory(
        period=partnership_year, kind=kinds.FIGURE_SET, slug="casework", figure_set=casework
    )
    provided = check_report(partnership_year).item(impact).provided
    assert "Child death figures for the period" not in provided


def test_a_programmes_own_figures_are_a_figure_set_the_report_shows(partnership_year):
    own = f.FigureSetFactory(period=partnership_year, title="GCP2 figures", slug="gcp2")
    f.FigureFactory(figure_set=own)
    f.ProgrammeReportFactory(period=partnership_year, figure_set=own)
    # A new period's report lists its programmes (its first report's sections).
    assert partnership_year.report_sections.filter(kind=kinds.PROGRAMMES, is_shown=True)
    evidence = check_report(partnership_year).item("The evidence: figures, audits and inspections")
    assert "1 figure set shown: “GCP2 figures”" in evidence.provided


def test_half_an_assessment_is_not_counted_as_one(partnership_year):
    from bscb.core.models import Priority

    priority = Priority.objects.create(name="Neglect", slug="neglect")
    text = f.PriorityTextFactory(
        priority=priority,
        period=partnership_year,
        worried_about="Re-referrals.",
        needs_to_happen="",
    )
    from bscb.reports.checker import EVIDENCE, Records

    assert EVIDENCE["assessments"].find(Records(partnership_year))[0][0] == "absent"
    text.needs_to_happen = "Closing assessments ask whether change will last."
    text.save()
    assert EVIDENCE["assessments"].find(Records(partnership_year))[0][0] == "given"

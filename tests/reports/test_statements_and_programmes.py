"""Agency statements and programmes: two kinds of section read from their own records.

The story: three agencies each write a statement for 2020/21, signed by a role; the partnership
runs Graded Care Profile 2, launched in May 2020, linked to its neglect priority. Readers get the
statements in the order the support team gave them, on the section's page, the whole report and
the PDF; the programme with its launch month, status, priorities and progress.
"""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM
from bscb.reports import kinds
from bscb.reports.editions import period_publish
from bscb.reports.models import AgencyStatement, Edition, ProgrammeReport
from bscb.reports.report import report_sections
from tests.factories import (
    AgencyStatementFactory,
    FigureFactory,
    FigureSetFactory,
    OrganisationFactory,
    PeriodFactory,
    PriorityFactory,
    ProgrammeFactory,
    ProgrammeReportFactory,
    UserFactory,
)
from tests.pages import page_text

# (agency, author's role, statement, position): written in an order other than the report's.
STATEMENTS = [
    ("Northmoor Police", "Chief Constable", "Officers attended every strategy meeting.", 2),
    ("Northmoor Council", "Chief Executive", "Our front door answered within a day.", 1),
    ("Northmoor Integrated Care Board", "Chief Nurse", "Health visitors trained in GCP2.", 3),
]
IN_ORDER = [s[0] for s in sorted(STATEMENTS, key=lambda s: s[3])]


@pytest.fixture
def period(db):
    return PeriodFactory(
        name="2020/21",
        slug="2020-21",
        start=datetime.date(2020, 4, 1),
        end=datetime.date(2021, 3, 31),
        status="published",  # published before any edition: rendered live
    )


@pytest.fixture
def statements(period):
    return [
        AgencyStatementFactory(
            period=period,
            organisation=OrganisationFactory(name=name),
            author_role=role,
            statement=text,
            position=position,
        )
        for name, role, text, position in STATEMENTS
    ]


def in_order_of_mention(text: str, names: list[str]) -> list[str]:
    assert all(name in text for name in names), [n for n in names if n not in text]
    return sorted(names, key=text.index)


def test_the_statements_appear_in_their_order_on_their_page_the_whole_report_and_the_pdf(
    period, statements, settings, django_capture_on_commit_callbacks
):
    reader = Client()
    page = page_text(reader.get(reverse("section", args=[period.slug, "agency-statements"])))
    assert in_order_of_mention(page, IN_ORDER) == IN_ORDER
    for name, role, text, _position in STATEMENTS:
        assert f"{name} {role} {text}" in page

    whole = page_text(reader.get(reverse("full_report", args=[period.slug])))
    assert in_order_of_mention(whole, IN_ORDER) == IN_ORDER
    assert "Statements from our partners" in whole

    from pypdf import PdfReader

    settings.EDITION_PDF = True
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=period, accept_missing=True)
    edition = Edition.objects.get(period=period, is_current=True)
    pdf_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(edition.pdf.read())).pages
    )
    assert in_order_of_mention(pdf_text, IN_ORDER) == IN_ORDER
    texts = [text for _n, _r, text, _p in sorted(STATEMENTS, key=lambda s: s[3])]
    assert in_order_of_mention(pdf_text, texts) == texts


def test_the_programmes_show_their_launch_status_priorities_and_progress(period, client):
    neglect = PriorityFactory(name="Neglect")
    gcp2 = ProgrammeFactory(
        name="Graded Care Profile 2",
        launched_on=datetime.date(2020, 5, 1),
        launch_known_to="month",
        priorities=[neglect],
    )
    ProgrammeReportFactory(
        programme=gcp2, period=period, progress="412 assessments were completed."
    )
    unrecorded = ProgrammeFactory(name="Signs of Safety", launched_on=None)
    ProgrammeReportFactory(programme=unrecorded, period=period, status="planned", progress="")
    ProgrammeFactory(name="Not in this year's report")

    page = page_text(client.get(reverse("section", args=[period.slug, "programmes"])))
    assert (
        "Graded Care Profile 2 Launched May 2020 Status in 2020/21 Running Priorities Neglect"
        in page
    )
    assert "Progress in 2020/21 412 assessments were completed." in page
    assert "Signs of Safety Launched not recorded Status in 2020/21 Planned" in page
    assert "Not in this year's report" not in page
    assert "1 May 2020" not in page


def test_a_programmes_own_figures_print_with_it_and_join_the_open_data(period, client):
    figures = FigureSetFactory(period=period, title="GCP2 in 2020/21", slug="gcp2-figures")
    FigureFactory(figure_set=figures, key="assessments", label="Assessments completed", value=412)
    FigureFactory(
        figure_set=figures, key="practitioners", label="Practitioners trained", value=None
    )
    ProgrammeReportFactory(
        programme=ProgrammeFactory(name="Graded Care Profile 2"), period=period, figure_set=figures
    )
    page = page_text(client.get(reverse("section", args=[period.slug, "programmes"])))
    assert "GCP2 in 2020/21 Assessments completed 412 Practitioners trained not recorded" in page
    data = client.get(reverse("dataset_csv", args=[period.slug, "figures"]))
    rows = list(csv.DictReader(io.StringIO(data.content.decode())))
    assert [(r["set"], r["key"], r["value"]) for r in rows] == [
        ("gcp2-figures", "assessments", "412"),
        ("gcp2-figures", "practitioners", ""),
    ]


def test_a_programmes_figures_must_be_of_its_period(period):
    other = PeriodFactory(
        name="2019/20",
        slug="2019-20",
        start=datetime.date(2019, 4, 1),
        end=datetime.date(2020, 3, 31),
    )
    line = ProgrammeReportFactory(period=period, figure_set=FigureSetFactory(period=other))
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert "Choose a figure set of 2020/21" in str(refused.value.message_dict["figure_set"])


@pytest.mark.parametrize(
    ("known_to", "shown"), [("day", "12 May 2020"), ("month", "May 2020"), ("year", "2020")]
)
def test_a_launch_date_prints_as_far_as_it_is_known(known_to, shown):
    programme = ProgrammeFactory.build(
        launched_on=datetime.date(2020, 5, 12), launch_known_to=known_to
    )
    assert programme.launch_display == shown


def test_without_records_the_two_sections_are_left_out(period, client):
    shown = {s.kind.key for s in report_sections(period)}
    assert not shown & {kinds.AGENCY_STATEMENTS, kinds.PROGRAMMES}
    assert period.report_sections.filter(kind=kinds.AGENCY_STATEMENTS).exists()
    assert client.get(reverse("section", args=[period.slug, "programmes"])).status_code == 404
    # A programme reported in another period does not bring the section into this one.
    ProgrammeReportFactory(period=PeriodFactory(name="2019/20", slug="2019-20"))
    assert kinds.PROGRAMMES not in {s.kind.key for s in report_sections(period)}


def statement_post(statement, **changes):
    return {
        "period": statement.period_id,
        "organisation": statement.organisation_id,
        "author_role": "Chief Superintendent",
        "statement": "A second statement.",
        "position": "9",
        **changes,
    }


def test_a_second_statement_for_an_agency_in_a_period_is_refused_beside_the_field(
    period, statements
):
    support = Client()
    support.force_login(UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM]))
    police = statements[0]
    response = support.post(reverse("admin:reports_agencystatement_add"), statement_post(police))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["organisation"] == [
        "Northmoor Police has a statement in 2020/21 already: change that one instead."
    ]
    assert list(form.errors) == ["organisation"]
    assert AgencyStatement.objects.filter(organisation=police.organisation).count() == 1

    # Another period takes it.
    following = PeriodFactory(name="2021/22", slug="2021-22", start="2021-04-01", end="2022-03-31")
    response = support.post(
        reverse("admin:reports_agencystatement_add"),
        statement_post(police, period=following.pk),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AgencyStatement.objects.filter(organisation=police.organisation).count() == 2


def test_anonymous_readers_and_board_members_cannot_change_them(period, statements):
    programme = ProgrammeReportFactory(period=period).programme
    member = Client()
    member.force_login(UserFactory(username="board.member", is_staff=True, roles=[BOARD_MEMBERS]))
    statement = statements[0]
    for url, data in [
        (
            reverse("admin:reports_agencystatement_change", args=[statement.pk]),
            statement_post(statement, organisation=statement.organisation_id),
        ),
        (
            reverse("admin:reports_programme_change", args=[programme.pk]),
            {"name": "Renamed", "slug": "renamed", "launch_known_to": "day"},
        ),
    ]:
        anonymous = Client().post(url, data)
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("admin:login"))
        assert member.post(url, data).status_code == 403
    statement.refresh_from_db()
    programme.refresh_from_db()
    assert statement.author_role == "Chief Constable"
    assert programme.name != "Renamed"
    assert ProgrammeReport.objects.filter(programme=programme).count() == 1

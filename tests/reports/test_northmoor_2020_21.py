"""Northmoor's 2020/21 report uses the kinds of content other partnerships' reports hold.

The story: a reader of the fictional partnership's 2020/21 report finds the casework it
oversees (with the interim period beside it, year on year), the budget against what was
planned and why it was underspent, a statement from each safeguarding partner and the
practice framework it launched in May 2020 with its own figures; the same numbers are in the
open data and the PDF.
"""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bscb.core.models import ReportingPeriod
from bscb.reports.editions import period_publish
from bscb.reports.models import Edition
from tests.pages import page_text

YEAR = "2020-21"


@pytest.fixture
def northmoor(db):
    call_command("load_demo", "--board", "northmoor", stdout=io.StringIO())
    return ReportingPeriod.objects.get(slug=YEAR)


def section(client, slug: str) -> str:
    response = client.get(reverse("section", args=[YEAR, slug]))
    assert response.status_code == 200
    return page_text(response)


def rows(client, dataset: str) -> list[dict]:
    response = client.get(reverse("dataset_csv", args=[YEAR, dataset]))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_casework_figures_follow_the_interim_period_year_on_year(northmoor, client):
    page = section(client, "casework")
    assert "Allegations managed by the designated officer 212" in page
    assert "Return interviews completed within 72 hours 236 of 318" in page
    assert "Allegations managed by the designated officer by agency" in page
    assert "Education 94" in page
    assert "Figure 2019/20 (interim) 2020/21" in page
    assert "Allegations managed by the designated officer 119 212" in page

    data = {(r["set"], r["key"], r["breakdown_label"]): r["value"] for r in rows(client, "figures")}
    assert data[("casework", "lado-allegations", "")] == "212"
    assert data[("casework", "lado-allegations", "Education")] == "94"
    assert data[("gcp2", "assessments", "")] == "412"
    assert data[("child-death-profile", "modifiable-factors", "")] == "38.5"
    as_json = client.get(reverse("dataset_json", args=[YEAR, "figures"])).json()["rows"]
    assert {(r["set"], r["key"], r["value"]) for r in as_json if not r["breakdown_label"]} >= {
        ("casework", "lado-allegations", "212"),
        ("child-death-profile", "deaths-notified", "31"),
    }


def test_the_budget_shows_planned_against_actual_and_why_it_was_underspent(northmoor, client):
    page = section(client, "budget")
    assert "Total spending £410,000.00 £396,250.00" in page
    assert "No local child safeguarding practice review was commissioned in 2020/21" in page
    assert "keep the £13,750 underspend in the Partnership's reserves" in page
    data = rows(client, "budget")
    spending = [r for r in data if r["line"] == "budget_spending"]
    assert len(spending) == 7
    total = next(r for r in data if r["line"] == "budget_spending_total")
    assert (total["planned_gbp"], total["actual_gbp"]) == ("410000.00", "396250.00")
    assert total["variance_gbp"] == "-13750.00"


def test_each_partner_speaks_and_the_practice_framework_has_its_own_figures(northmoor, client):
    statements = section(client, "partner-statements")
    for role in ("Chief Executive", "Chief Constable", "Chief Nurse"):
        assert role in statements
    programmes = section(client, "programmes")
    assert "Graded Care Profile 2 Launched May 2020 Status in 2020/21 Running" in programmes
    assert "Assessments completed with families 412" in programmes
    assert "Families whose second assessment scored better 61.4%" in programmes


def test_the_pdf_holds_the_same_figures(northmoor, settings, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    settings.EDITION_PDF = True
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=northmoor, note="With the PDF.", accept_missing=True)
    edition = Edition.objects.get(period=northmoor, is_current=True)
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(edition.pdf.read())).pages
    )
    for printed in (
        "212",
        "£396,250.00",
        "Graded Care Profile 2",
        "Chief Constable",
        "119 212",
        "Deaths notified 31",
        "38.5%",
    ):
        assert printed in text, printed
    assert Client().get(reverse("section", args=[YEAR, "casework"])).status_code == 200


def test_a_group_set_up_late_in_the_year_says_no_meeting_is_recorded(northmoor, client):
    page = client.get(reverse("group_detail", args=[YEAR, "education-safeguarding"]))
    text = page_text(page)
    assert "No meetings of this group are recorded for 2020/21." in text
    assert "met 0 times" not in text and "0 meetings" not in text


def test_a_priority_led_by_a_named_person_prints_the_name_before_the_role(northmoor, client):
    from bscb.reports import kinds
    from bscb.reports.report import report_sections

    board = next(s for s in report_sections(northmoor) if s.kind.key == kinds.BOARD)
    page = page_text(client.get(board.href))
    assert (
        "Joanne Reid, Assistant Director of Early Help, with the Designated Nurse "
        "(NHS Northmoor Integrated Care Board, Northmoor Council)" in page
    )

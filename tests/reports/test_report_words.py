"""Words in the report (issue 17, item 5): one name for a partner in the funding chart and
table, and shares whose rounding is said."""

import io
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from bscb.reports import kinds
from bscb.reports.pages import pdf_now
from bscb.reports.report import report_sections
from tests import factories as f
from tests.pages import page_text

CHART_LABEL = re.compile(r'class="bscb-chart__label"[^>]*>([^<]*)</text>')
ROW_HEADER = re.compile(r'<th scope="row" class="govuk-table__header">([^<]*)</th>')


def funding_url(period) -> str:
    section = next(s for s in report_sections(period) if s.kind.key == kinds.FUNDING)
    return section.url(period)


def contributions_table(content: str) -> str:
    start = content.index('id="contributions-caption"')
    return content[start : content.index("</table>", start)]


def test_the_chart_and_the_table_name_each_partner_from_its_one_record(db):
    period = f.PeriodFactory(status="published")
    council = f.OrganisationFactory(name="Northshire County Council", short_name="NCC")
    police = f.OrganisationFactory(name="Northshire Police")
    courts = f.OrganisationFactory(name="CAFCASS", short_name="CAFCASS")
    f.ContributionFactory(period=period, organisation=council, amount="3000.00")
    f.ContributionFactory(period=period, organisation=police, amount="2000.00")
    f.ContributionFactory(period=period, organisation=courts, amount="1000.00")
    content = Client().get(funding_url(period)).content.decode()
    # The chart uses the short form where one is recorded, the name otherwise...
    assert CHART_LABEL.findall(content) == ["NCC", "Northshire Police", "CAFCASS"]
    # ... and the table gives the name with the short form the chart uses beside it.
    assert ROW_HEADER.findall(contributions_table(content)) == [
        "Northshire County Council (NCC)",
        "Northshire Police",
        "CAFCASS",
        "Total",
    ]


def test_the_short_form_is_kept_on_the_partner_and_edited_in_the_back_office(
    client, support_officer
):
    council = f.OrganisationFactory(name="Northshire County Council", short_name="NCC")
    client.force_login(support_officer)
    page = client.get(reverse("admin:bscb_organisation_change", args=[council.pk]))
    content = page.content.decode()
    assert 'name="short_name"' in content
    assert "the funding chart" in content


def test_shares_that_rounding_leaves_short_of_100_are_added_up_and_said_so(db):
    period = f.PeriodFactory(status="published")
    for _ in range(3):
        f.ContributionFactory(period=period, amount="1000.00")
    text = page_text(Client().get(funding_url(period)))
    assert text.count("33.3%") == 3
    assert "Total £3,000.00 99.9%" in text
    assert "Shares are rounded, so they add up to 99.9%." in text
    assert "100%" not in text
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_now(period)[0])).pages)
    assert "Shares are rounded, so they add up to 99.9%." in " ".join(pdf.split())


def test_shares_that_add_up_to_100_say_nothing_of_rounding(db):
    period = f.PeriodFactory(status="published")
    f.ContributionFactory(period=period, amount="3000.00")
    f.ContributionFactory(period=period, amount="1000.00")
    text = page_text(Client().get(funding_url(period)))
    assert "Total £4,000.00 100.0%" in text
    assert "rounded" not in text


def test_the_open_data_says_its_shares_are_rounded(client, small_year):
    documentation = page_text(client.get(reverse("data_documentation")))
    assert "share_percent per cent of the total, rounded to one decimal" in documentation
    data = client.get(reverse("dataset_json", args=[small_year.slug, "funding"])).json()
    assert {r["share_percent"] for r in data["rows"]} == {"60.0", "25.0", "15.0"}
    assert sum(Decimal(r["share_percent"]) for r in data["rows"]) == 100

"""The demo's funding section and data give the source's eleven partners and their total."""

import csv
import io
import re
from decimal import Decimal

from django.urls import reverse

from funding.admin import ContributionResource
from funding.models import Contribution

SOURCE_FUNDING = [
    ("Buckinghamshire County Council", "£155,683.00"),
    ("Thames Valley Police", "£24,290.00"),
    ("NHS Buckinghamshire Clinical Commissioning Group", "£70,180.00"),
    ("Probation Community Rehabilitation Company", "£1,735.00"),
    ("National Probation Service", "£1,227.00"),
    ("Wycombe District Council", "£10,633.00"),
    ("Aylesbury Vale District Council", "£10,633.00"),
    ("South Bucks District Council", "£5,317.00"),
    ("Chiltern District Council", "£5,317.00"),
    ("CAFCASS", "£550.00"),
    ("Oxford Health", "£8,000.00"),
]


def row_of(content: str, name: str) -> str:
    # The name, then the short form in brackets where one is recorded.
    start = content.index(f'<th scope="row" class="govuk-table__header">{name}')
    return content[start : content.index("</tr>", start)]


def test_the_demo_funding_section_prints_the_sources_eleven_partners_and_their_total(
    client, demo_year
):
    content = client.get(reverse("section", args=[demo_year.slug, "funding"])).content.decode()
    for name, amount in SOURCE_FUNDING:
        assert amount in row_of(content, name), name
    assert "£293,565.00" in row_of(content, "Total")
    assert Contribution.objects.count() == 11
    assert "53.0%" in row_of(content, "Buckinghamshire County Council")


def test_the_demo_funding_csv_and_json_carry_the_sources_plain_numbers(client, demo_year):
    response = client.get(reverse("dataset_csv", args=[demo_year.slug, "funding"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0] == {
        "period": "2018/19",
        "partner": "Buckinghamshire County Council",
        "sector": "local_authority",
        "amount_gbp": "155683.00",
        "share_percent": "53.0",
    }
    assert len(rows) == 11
    assert sum(Decimal(r["amount_gbp"]) for r in rows) == Decimal("293565.00")
    data = client.get(reverse("dataset_json", args=[demo_year.slug, "funding"])).json()
    assert data["columns"] == ["partner", "sector", "amount_gbp", "share_percent"]
    assert len(data["rows"]) == 11
    assert sum(Decimal(c["amount_gbp"]) for c in data["rows"]) == Decimal("293565.00")


def test_the_demo_back_office_export_carries_the_sources_plain_numbers(demo_year):
    exported = ContributionResource().export(Contribution.objects.all()).csv
    assert "2018/19,Buckinghamshire County Council,155683.00" in exported
    assert "£" not in exported


def test_the_demo_chart_and_table_name_each_partner_alike_and_say_the_shares_are_rounded(
    client, demo_year
):
    content = client.get(reverse("section", args=[demo_year.slug, "funding"])).content.decode()
    labels = re.findall(r'class="bscb-chart__label"[^>]*>([^<]*)</text>', content)
    table = content[content.index('id="contributions-caption"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row" class="govuk-table__header">([^<]*)</th>', table)
    assert labels[:3] == ["BCC", "BCCG", "TVP"]
    assert rows[:3] == [
        "Buckinghamshire County Council (BCC)",
        "NHS Buckinghamshire Clinical Commissioning Group (BCCG)",
        "Thames Valley Police (TVP)",
    ]
    assert "Oxford Health (CAMHS)" in rows and "CAFCASS" in rows
    # Each bar's label is the short form in the table's row, or the whole name there.
    for label, row in zip(labels, rows, strict=False):
        assert row == label or row.endswith(f"({label})"), (label, row)
    # The eleven shares as shown add up to 99.9, and the page says so.
    assert "99.9%" in table and "100%" not in table
    assert "Shares are rounded, so they add up to 99.9%." in content

"""Open data: the downloads say what the report says."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bscb.reports.opendata import DATASETS
from tests.pages import page_text
from tests.small_year import BOARD_NAME


@pytest.fixture
def period(small_year):
    return small_year.period


def rows_of(client, period, dataset):
    response = client.get(reverse("dataset_csv", args=[period.slug, dataset]))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_funding_data_match_the_funding_section(client, period):
    text = page_text(client.get(reverse("section", args=[period.slug, "funding"])))
    rows = rows_of(client, period, "funding")
    data = client.get(reverse("dataset_json", args=[period.slug, "funding"])).json()
    assert [r["partner"] for r in rows] == [r["partner"] for r in data["rows"]]
    for row in rows:
        amount = f"£{Decimal(row['amount_gbp']):,.2f}"
        # The table gives a partner's short form, where one is recorded, after its name.
        shown = rf"{re.escape(row['partner'])}( \([^)]+\))? {re.escape(amount)} "
        assert re.search(shown + re.escape(f"{row['share_percent']}%"), text), row
    total = sum(Decimal(r["amount_gbp"]) for r in rows)
    shares = sum(Decimal(r["share_percent"]) for r in rows)
    assert f"Total £{total:,.2f} {shares}%" in text


def test_the_training_data_match_the_training_section(client, period):
    text = page_text(client.get(reverse("section", args=[period.slug, "training"])))
    figures = {
        (r["figure"], r["category"]): r["value"] for r in rows_of(client, period, "training")
    }
    json_rows = client.get(reverse("dataset_json", args=[period.slug, "training"])).json()["rows"]
    # What is not recorded is null in the JSON, blank in the CSV.
    as_csv = {
        (r["figure"], r["category"]): "" if r["value"] is None else str(r["value"])
        for r in json_rows
    }
    assert as_csv == figures
    assert f"Attendees {figures[('full_day_attendees', '')]}" in text
    assert f"Cancelled {figures[('full_day_cancelled', '')]}:" in text
    for reason in ["Trainer illness", "Trainer no longer available", "Low enrolments"]:
        assert f"{reason.lower()} ({figures[('full_day_cancelled_by_reason', reason)]})" in text
    assert f"{figures[('commissioned_attendees', '')]} people attended" in text
    assert f"Attendees {figures[('bespoke_and_awareness_attendees', '')]}" in text
    # What the source lost stays blank, in the data as on the page.
    assert figures[("full_day_courses_offered", "")] == ""
    for sector_row in [k for k in figures if k[0] == "attendees_by_sector"]:
        assert re.search(rf"{re.escape(sector_row[1])} {figures[sector_row]}\b", text)


def test_every_dataset_has_stable_columns_and_is_documented(client, period):
    docs = page_text(client.get(reverse("data_documentation")))
    for dataset in DATASETS:
        rows = rows_of(client, period, dataset.slug)
        assert rows, f"the small year has no rows of {dataset.slug}"
        response = client.get(reverse("dataset_csv", args=[period.slug, dataset.slug]))
        header = response.content.decode().splitlines()[0].split(",")
        assert header == ["period", *dataset.names]
        assert all(r["period"] == "2018/19" for r in rows)
        assert dataset.title in docs
        for name in dataset.names:
            assert name in docs


def test_the_meetings_list_is_machine_readable(client, period):
    rows = client.get(reverse("dataset_json", args=[period.slug, "meetings"])).json()["rows"]
    assert {
        "group": BOARD_NAME,
        "date": "2018-07-10",
        "title": "Board meeting",
    }.items() <= next(r for r in rows if r["date"] == "2018-07-10").items()
    # The Board's and the Executive's lost dates stay blank, never guessed.
    assert sum(1 for r in rows if r["date"] == "") == 2
    assert all(client.get(r["url"]).status_code == 200 for r in rows)

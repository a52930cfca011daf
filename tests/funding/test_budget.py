"""The budget against actual: lines with planned and actual amounts, the variance computed,
reserves, the reasons for the outturn and the decision on a surplus, and contributions in kind.

A blank amount is "not recorded": the page says so and the open data leaves it blank, never 0.00.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bscb.core.models import Organisation
from bscb.reports.editions import period_publish
from bscb.reports.models import Edition
from funding.models import Budget, BudgetLine, InKindContribution, funding_for
from tests.admin_forms import signed_version
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    InKindContributionFactory,
    OrganisationFactory,
    PeriodFactory,
)
from tests.pages import page_text


@pytest.fixture
def period(db):
    return PeriodFactory(status="published")


@pytest.fixture
def underspent(period):
    """Planned £410,000, actual £396,250: an underspend of £13,750."""
    BudgetLineFactory(
        period=period,
        direction="income",
        category="Partners' contributions",
        planned=Decimal("410000.00"),
        actual=Decimal("410000.00"),
    )
    BudgetLineFactory(
        period=period,
        category="Business unit staff",
        planned=Decimal("300000.00"),
        actual=Decimal("291250.00"),
        position=1,
    )
    BudgetLineFactory(
        period=period,
        category="Independent scrutineer",
        planned=Decimal("110000.00"),
        actual=Decimal("105000.00"),
        position=2,
    )
    return period


def funding_page(client, period) -> str:
    return client.get(reverse("section", args=[period.slug, "funding"])).content.decode()


def table_row(content: str, name: str) -> str:
    start = content.index(f">{name}</th>")
    return content[start : content.index("</tr>", start)]


def summary_row(content: str, name: str) -> str:
    start = content.index(f">{name}</dt>")
    return content[start : content.index("</div>", start)]


def test_the_variance_is_actual_less_planned_only_when_both_are_recorded(period):
    line = BudgetLineFactory(period=period, planned=Decimal("410000.00"), actual=None)
    assert line.variance is None
    line.actual = Decimal("396250.00")
    assert line.variance == Decimal("-13750.00")


def test_the_page_shows_planned_actual_and_the_computed_variance_with_totals(client, underspent):
    content = funding_page(client, underspent)
    table = content[content.index("Budget against actual") :]
    assert "£291,250.00" in table_row(table, "Business unit staff")
    assert "-£8,750.00" in table_row(table, "Business unit staff")
    total = table_row(table, "Total spending")
    assert "£410,000.00" in total and "£396,250.00" in total and "-£13,750.00" in total
    assert "£0.00" in table_row(table, "Total income")  # both recorded and equal: truly nil


def test_a_blank_amount_says_not_recorded_and_never_zero(client, period):
    BudgetLineFactory(
        period=period, category="Training venue", planned=Decimal("5000.00"), actual=None
    )
    BudgetLineFactory(
        period=period, category="Legal advice", planned=None, actual=Decimal("800.00")
    )
    content = funding_page(client, period)
    venue = table_row(content, "Training venue")
    assert "£5,000.00" in venue and venue.count("Not recorded") == 2
    assert "£0.00" not in venue
    legal = table_row(content, "Legal advice")
    assert legal.count("Not recorded") == 2 and "£0.00" not in legal
    total = table_row(content, "Total spending")
    assert "not every line recorded" in total
    assert "£0.00" not in total


def test_the_csv_and_json_carry_planned_actual_and_variance_in_new_columns(client, underspent):
    response = client.get(reverse("dataset_csv", args=[underspent.slug, "budget"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "period",
        "line",
        "category",
        "amount_gbp",
        "planned_gbp",
        "actual_gbp",
        "variance_gbp",
    ]
    assert rows[0]["line"] == "partners_contributions" and rows[0]["variance_gbp"] == ""
    total = next(r for r in rows if r["line"] == "budget_spending_total")
    assert (total["planned_gbp"], total["actual_gbp"], total["variance_gbp"]) == (
        "410000.00",
        "396250.00",
        "-13750.00",
    )
    staff = next(r for r in rows if r["category"] == "Business unit staff")
    assert staff["line"] == "budget_spending" and staff["variance_gbp"] == "-8750.00"

    data = client.get(reverse("dataset_json", args=[underspent.slug, "budget"])).json()
    assert data["columns"][:3] == ["line", "category", "amount_gbp"]
    assert data["columns"][3:] == ["planned_gbp", "actual_gbp", "variance_gbp"]
    total = next(r for r in data["rows"] if r["line"] == "budget_spending_total")
    assert total["variance_gbp"] == "-13750.00"


def test_a_blank_amount_is_blank_in_the_open_data(client, period):
    BudgetLineFactory(
        period=period, category="Training venue", planned=Decimal("5000.00"), actual=None
    )
    data = client.get(reverse("dataset_json", args=[period.slug, "budget"])).json()
    venue = next(r for r in data["rows"] if r["category"] == "Training venue")
    assert venue == {
        "line": "budget_spending",
        "category": "Training venue",
        "amount_gbp": "",
        "planned_gbp": "5000.00",
        "actual_gbp": "",
        "variance_gbp": "",
    }


def test_the_pdf_prints_the_variance(underspent, settings, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    settings.EDITION_PDF = True
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=underspent, accept_missing=True)
    pdf = PdfReader(io.BytesIO(Edition.objects.get(period=underspent, is_current=True).pdf.read()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Budget against actual" in text
    assert "-£13,750.00" in text


def test_the_explanation_and_decision_show_without_any_itemised_amounts(client, period):
    period.outturn_note = "The underspend came from a **vacant post**."
    period.save()
    BudgetFactory(
        period=period,
        surplus_decision="The partners agreed to carry the underspend to reserves.",
        reserves_carried_forward=Decimal("13750.00"),
    )
    assert not funding_for(period).budget_lines
    content = funding_page(client, period)
    assert "<strong>vacant post</strong>" in content
    assert "carry the underspend to reserves" in content
    assert "£13,750.00" in summary_row(content, "Reserves carried forward")
    assert "Not recorded" in summary_row(content, "Reserves brought forward")
    assert "Budget against actual" not in content


def test_contributions_in_kind_are_listed(client, period):
    police = OrganisationFactory(name="Northshire Police", sector="police")
    council = OrganisationFactory(name="Northshire Council", sector="local_authority")
    InKindContributionFactory(period=period, organisation=police, description="Trainer days")
    InKindContributionFactory(
        period=period,
        organisation=council,
        description="Hosting the board's meetings",
        quantity=None,
        unit="",
        estimated_value=Decimal("2400.00"),
        position=1,
    )
    text = page_text(client.get(reverse("section", args=[period.slug, "funding"])))
    assert "Contributions in kind" in text
    assert "Trainer days" in text and "12 days" in text
    assert "Hosting the board's meetings" in text and "£2,400.00" in text
    data = client.get(reverse("dataset_json", args=[period.slug, "in-kind"])).json()
    assert data["rows"][0] == {
        "partner": "Northshire Police",
        "description": "Trainer days",
        "quantity": "12",
        "unit": "days",
        "estimated_value_gbp": "",
    }


# Bad input in the back office, on the period's funding page: a message beside the field,
# nothing saved.


def funding_post(client, period, **inlines):
    url = reverse("admin:funding_fundingyear_change", args=[period.pk])
    data = {"version": signed_version(client, url), "outturn_note": "Why."}
    for prefix in (
        "contributions",
        "other_income",
        "spending",
        "budget_lines",
        "budget",
        "in_kind",
    ):
        rows = inlines.get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{i}-{name}"] = value
    return client.post(url, data)


def inline_errors(response, prefix: str) -> list[dict]:
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )
    return formset.errors


LINE = {"direction": "spending", "category": "Staff", "position": "0"}


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"planned": "-5.00", "actual": "10.00"}, "planned", "An amount cannot be negative."),
        ({"planned": "10.00", "actual": "-1.00"}, "actual", "An amount cannot be negative."),
        (
            {"planned": "", "actual": ""},
            "planned",
            "Enter the planned amount, the actual amount or both.",
        ),
        (
            {"planned": "ten", "actual": ""},
            "planned",
            "Enter an amount in pounds and pence, like 1234.56.",
        ),
    ],
)
def test_a_bad_budget_line_is_refused_beside_the_field(
    client, support_officer, period, typed, field, message
):
    client.force_login(support_officer)
    response = funding_post(client, period, budget_lines=[{**LINE, **typed}])
    assert response.status_code == 200
    assert inline_errors(response, "budget_lines")[0][field] == [message]
    assert BudgetLine.objects.count() == 0
    period.refresh_from_db()
    assert period.outturn_note == ""  # nothing saved, the period's own fields neither


def test_negative_reserves_and_in_kind_amounts_are_refused(client, support_officer, period):
    police = OrganisationFactory(name="Northshire Police", sector="police")
    client.force_login(support_officer)
    response = funding_post(
        client,
        period,
        budget=[{"reserves_brought_forward": "-1.00", "surplus_decision": "Keep it."}],
        in_kind=[
            {
                "organisation": police.pk,
                "description": "Trainer days",
                "quantity": "-2",
                "unit": "days",
                "estimated_value": "-10",
                "position": "0",
            }
        ],
    )
    assert response.status_code == 200
    assert inline_errors(response, "budget")[0]["reserves_brought_forward"] == [
        "An amount cannot be negative."
    ]
    in_kind = inline_errors(response, "in_kind")[0]
    assert in_kind["quantity"] == ["A quantity cannot be negative."]
    assert in_kind["estimated_value"] == ["An amount cannot be negative."]
    assert Budget.objects.count() == InKindContribution.objects.count() == 0


def test_a_unit_without_a_quantity_is_refused(client, support_officer, period):
    police = OrganisationFactory(name="Northshire Police", sector="police")
    client.force_login(support_officer)
    row = {
        "organisation": police.pk,
        "description": "Trainer days",
        "unit": "days",
        "position": "0",
    }
    response = funding_post(client, period, in_kind=[row])
    assert inline_errors(response, "in_kind")[0]["quantity"] == [
        "Enter the quantity for the unit, or clear the unit."
    ]
    assert InKindContribution.objects.count() == 0


def test_the_budget_is_entered_on_the_periods_funding_page(client, support_officer, period):
    police = Organisation.objects.create(name="Northshire Police", sector="police")
    client.force_login(support_officer)
    response = funding_post(
        client,
        period,
        budget_lines=[
            {**LINE, "planned": "£410,000.00", "actual": "396250"},
            {**LINE, "category": "Venue", "planned": "1000", "actual": "", "position": "1"},
        ],
        budget=[{"reserves_carried_forward": "13750", "surplus_decision": "To reserves."}],
        in_kind=[
            {
                "organisation": police.pk,
                "description": "Trainer days",
                "quantity": "12.5",
                "unit": "days",
                "position": "0",
            }
        ],
    )
    assert response.status_code == 302
    funding = funding_for(period)
    assert [line.variance for line in funding.spending_lines] == [Decimal("-13750.00"), None]
    assert funding.budget.reserves_carried_forward == Decimal("13750.00")
    assert funding.budget.reserves_brought_forward is None
    assert funding.in_kind[0].quantity_text == "12.5"


def test_a_budget_line_with_an_actual_amount_but_no_period_is_refused(db):
    """Lines are typed on a period's funding page, so the period is given; a line made any
    other way (an import, the shell) without one is refused beside the field."""
    line = BudgetLine(direction="spending", category="Staff", actual=Decimal("10.00"))
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert list(refused.value.message_dict) == ["period"]
    assert BudgetLine.objects.count() == 0

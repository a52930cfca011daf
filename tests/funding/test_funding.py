"""How were we funded? Partners' contributions, computed totals and shares, and downloads."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from bscb.core.models import Organisation, ReportingPeriod
from funding.admin import ContributionResource
from funding.models import Contribution, OtherIncome, Spending, funding_for
from tests.admin_forms import signed_version
from tests.small_year import CONTRIBUTIONS


def row_of(content: str, name: str) -> str:
    # The name, then the short form in brackets where one is recorded.
    start = content.index(f'<th scope="row" class="govuk-table__header">{name}')
    return content[start : content.index("</tr>", start)]


def test_the_funding_section_prints_each_partner_and_the_computed_total_and_shares(
    client, small_year
):
    content = client.get(reverse("section", args=[small_year.slug, "funding"])).content.decode()
    for name, amount in [
        ("Northshire County Council", "£60,000.00"),
        ("Northshire Police", "£25,000.00"),
        ("Northshire Integrated Care Board", "£15,000.00"),
    ]:
        assert amount in row_of(content, name), name
    assert "£100,000.00" in row_of(content, "Total")
    assert Contribution.objects.count() == len(CONTRIBUTIONS)
    assert "60.0%" in row_of(content, "Northshire County Council")


def test_the_csv_and_json_carry_plain_numbers(client, small_year):
    response = client.get(reverse("dataset_csv", args=[small_year.slug, "funding"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0] == {
        "period": "2018/19",
        "partner": "Northshire County Council",
        "sector": "local_authority",
        "amount_gbp": "60000.00",
        "share_percent": "60.0",
    }
    assert len(rows) == 3
    assert sum(Decimal(r["amount_gbp"]) for r in rows) == Decimal("100000.00")
    data = client.get(reverse("dataset_json", args=[small_year.slug, "funding"])).json()
    assert data["columns"] == ["partner", "sector", "amount_gbp", "share_percent"]
    assert len(data["rows"]) == 3
    assert sum(Decimal(c["amount_gbp"]) for c in data["rows"]) == Decimal("100000.00")


def test_the_back_office_export_carries_plain_numbers(small_year):
    exported = ContributionResource().export(Contribution.objects.all()).csv
    assert "2018/19,Northshire County Council,60000.00" in exported
    assert "£" not in exported


def test_a_draft_periods_funding_is_not_public(client, draft_year):
    assert client.get(reverse("section", args=[draft_year.slug, "funding"])).status_code == 404
    for name in ["dataset_csv", "dataset_json"]:
        assert client.get(reverse(name, args=[draft_year.slug, "funding"])).status_code == 404


def test_the_year_on_year_view_compares_each_partner_with_the_previous_period(client, year):
    later = ReportingPeriod.objects.create(
        name="2019/20",
        slug="2019-20",
        start=datetime.date(2019, 4, 1),
        end=datetime.date(2020, 3, 31),
        status=ReportingPeriod.Status.PUBLISHED,
    )
    police = Organisation.objects.create(name="Thames Valley Police", sector="police")
    council = Organisation.objects.create(name="Buckinghamshire Council", sector="local_authority")
    district = Organisation.objects.create(
        name="Wycombe District Council", sector="district_council"
    )
    Contribution.objects.create(period=year, organisation=police, amount=Decimal("24290.00"))
    Contribution.objects.create(period=year, organisation=district, amount=Decimal("10633.00"))
    Contribution.objects.create(period=later, organisation=police, amount=Decimal("25000.00"))
    Contribution.objects.create(period=later, organisation=council, amount=Decimal("160000.00"))
    content = client.get(reverse("section", args=[later.slug, "funding"])).content.decode()
    comparison = content[content.index("Compared with 2018/19") :]
    assert "£710.00" in row_of(comparison, "Thames Valley Police")
    assert "New" in row_of(comparison, "Buckinghamshire Council")
    assert "-£10,633.00" in row_of(comparison, "Wycombe District Council")
    total = row_of(comparison, "Total")
    assert "£34,923.00" in total and "£185,000.00" in total


def test_the_outturn_is_income_less_spending_with_its_reasons(client, year):
    police = Organisation.objects.create(name="Thames Valley Police", sector="police")
    Contribution.objects.create(period=year, organisation=police, amount=Decimal("1000.00"))
    OtherIncome.objects.create(period=year, category="training_charges", amount=Decimal("250.50"))
    Spending.objects.create(period=year, category="staff", amount=Decimal("900.00"))
    Spending.objects.create(period=year, category="training", amount=Decimal("100.00"))
    year.outturn_note = "Training charges were **higher** than planned."
    year.save()
    funding = funding_for(year)
    assert funding.outturn == Decimal("250.50")
    content = client.get(reverse("section", args=[year.slug, "funding"])).content.decode()
    assert "Underspend of £250.50" in content
    assert "Total income" in content and "£1,250.50" in content
    assert "<strong>higher</strong>" in content
    Spending.objects.create(period=year, category="case_reviews", amount=Decimal("500.00"))
    assert (
        "Overspend of £249.50"
        in client.get(reverse("section", args=[year.slug, "funding"])).content.decode()
    )


# Bad input in the back office: a clear message beside the field, nothing saved.

CONTRIBUTION_ADD = reverse("admin:funding_contribution_add")


@pytest.fixture
def police(db):
    return Organisation.objects.create(name="Thames Valley Police", sector="police")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5.00", "An amount cannot be negative."),
        ("24290.005", "Enter the pence as two digits at most, like 1234.56."),
        ("twenty pounds", "Enter an amount in pounds and pence, like 1234.56."),
    ],
)
def test_a_bad_amount_is_refused_beside_the_field(
    client, support_officer, year, police, typed, message
):
    client.force_login(support_officer)
    response = client.post(
        CONTRIBUTION_ADD, {"period": year.pk, "organisation": police.pk, "amount": typed}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount"] == [message]
    assert Contribution.objects.count() == 0


def test_an_amount_typed_as_the_report_prints_it_is_understood(
    client, support_officer, year, police
):
    client.force_login(support_officer)
    response = client.post(
        CONTRIBUTION_ADD, {"period": year.pk, "organisation": police.pk, "amount": "£24,290.00"}
    )
    assert response.status_code == 302
    assert Contribution.objects.get().amount == Decimal("24290.00")


def test_a_second_contribution_for_the_same_partner_and_period_is_refused(
    client, support_officer, year, police
):
    Contribution.objects.create(period=year, organisation=police, amount=Decimal("1.00"))
    client.force_login(support_officer)
    response = client.post(
        CONTRIBUTION_ADD, {"period": year.pk, "organisation": police.pk, "amount": "2.00"}
    )
    assert response.status_code == 200
    assert "This partner already has a contribution for this period." in str(
        response.context["adminform"].form.errors
    )
    assert Contribution.objects.count() == 1


def test_contributions_are_edited_in_their_period_with_partners_inline(
    client, support_officer, year, police
):
    council = Organisation.objects.create(
        name="Buckinghamshire County Council", sector="local_authority"
    )
    client.force_login(support_officer)
    url = reverse("admin:funding_fundingyear_change", args=[year.pk])
    base = {
        "version": signed_version(client, url),
        "outturn_note": "",
        "contributions-INITIAL_FORMS": "0",
        "contributions-MIN_NUM_FORMS": "0",
        "contributions-MAX_NUM_FORMS": "1000",
        "other_income-TOTAL_FORMS": "0",
        "other_income-INITIAL_FORMS": "0",
        "spending-TOTAL_FORMS": "0",
        "spending-INITIAL_FORMS": "0",
        "budget_lines-TOTAL_FORMS": "0",
        "budget_lines-INITIAL_FORMS": "0",
        "budget-TOTAL_FORMS": "0",
        "budget-INITIAL_FORMS": "0",
        "in_kind-TOTAL_FORMS": "0",
        "in_kind-INITIAL_FORMS": "0",
    }
    twice = {
        **base,
        "contributions-TOTAL_FORMS": "2",
        "contributions-0-organisation": police.pk,
        "contributions-0-amount": "10.00",
        "contributions-1-organisation": police.pk,
        "contributions-1-amount": "20.00",
    }
    response = client.post(url, twice)
    assert response.status_code == 200
    assert Contribution.objects.count() == 0
    once_each = {**twice, "contributions-1-organisation": council.pk}
    assert client.post(url, once_each).status_code == 302
    assert funding_for(year).total == Decimal("30.00")

"""Figures with their shape: a figure set is a section of the report, printed in each figure's
unit with its breakdowns, followed year on year, and offered as open data.

The story: the child death review's yearly profile is entered through the back office as a
figure set; readers find it on its page, in the whole report, in the PDF and in the open
data; next year's profile shows both years side by side; a figure nobody recorded says so.
"""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bscb.reports.editions import period_publish
from bscb.reports.models import Edition, Figure, FigureBreakdown, FigureSet, ReportSection
from tests.factories import (
    FigureBreakdownFactory,
    FigureFactory,
    FigureSetFactory,
    PeriodFactory,
    ReportSectionFactory,
)
from tests.pages import page_text

PROFILE = [
    ("deaths-notified", "Deaths notified", Decimal(31), "count", None),
    ("reviews-completed", "Reviews completed", Decimal(19), "count", 31),
    ("reviews-pending", "Reviews pending", Decimal(12), "count", None),
    ("modifiable-factors", "Reviews with modifiable factors", Decimal("38.50"), "percentage", None),
]
AGE_BANDS = [("Under 1", Decimal("15.4")), ("1 to 4", Decimal("7.7")), ("5 to 17", Decimal("15.4"))]


def child_death_profile(period, values=None):
    """The profile as a set of figures, and a section of the period's report that shows it."""
    figure_set = FigureSetFactory(period=period, source="Child Death Overview Panel records")
    values = values or {}
    for position, (key, label, value, unit, denominator) in enumerate(PROFILE):
        figure = FigureFactory(
            figure_set=figure_set,
            position=position,
            key=key,
            label=label,
            value=values.get(key, value),
            unit=unit,
            denominator=denominator,
        )
        if key == "modifiable-factors":
            for n, (band, share) in enumerate(AGE_BANDS):
                FigureBreakdownFactory(figure=figure, label=band, value=share, position=n)
    ReportSectionFactory(
        period=period,
        kind="figure-set",
        title="Child death profile",
        slug="child-death-profile",
        introduction="",
        figure_set=figure_set,
    )
    return figure_set


@pytest.fixture
def year(db):
    period = PeriodFactory(status="published")
    child_death_profile(period)
    return period


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_child_death_profile_reads_the_same_on_its_page_the_report_the_pdf_and_the_data(
    year, settings, django_capture_on_commit_callbacks
):
    settings.EDITION_PDF = True
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=year, accept_missing=True)
    reader = Client()
    printed = [
        "Deaths notified 31",
        "Reviews completed 19 of 31",
        "Reviews pending 12",
        "Reviews with modifiable factors 38.5%",
        "Under 1 15.4%",
        "5 to 17 15.4%",
        "Source: Child Death Overview Panel records",
    ]
    section = page_text(reader.get(reverse("section", args=[year.slug, "child-death-profile"])))
    whole = page_text(reader.get(reverse("full_report", args=[year.slug])))
    for text in (section, whole):
        for words in printed:
            assert words in text
    assert "Reviews with modifiable factors by age band" in section

    from pypdf import PdfReader

    edition = Edition.objects.get(period=year, is_current=True)
    pdf = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(edition.pdf.read())).pages
    )
    for words in printed:
        assert words in pdf

    rows = csv_rows(reader.get(f"/{year.slug}/data/figures.csv"))
    assert [(r["key"], r["value"], r["unit"], r["denominator"]) for r in rows[:5]] == [
        ("deaths-notified", "31", "count", ""),
        ("reviews-completed", "19", "count", "31"),
        ("reviews-pending", "12", "count", ""),
        ("modifiable-factors", "38.5", "percentage", ""),
        ("modifiable-factors", "15.4", "percentage", ""),
    ]
    assert rows[4]["breakdown_dimension"] == "age-band"
    assert rows[4]["breakdown_label"] == "Under 1"
    assert {r["set"] for r in rows} == {"child-death-profile"}
    assert rows[0]["source"] == "Child Death Overview Panel records"
    data = json.loads(reader.get(f"/{year.slug}/data/figures.json").content)
    assert data["columns"] == [
        "set",
        "key",
        "label",
        "value",
        "unit",
        "denominator",
        "comparator",
        "source",
        "breakdown_dimension",
        "breakdown_label",
        # Added at the end for a panel shared by several partnerships.
        "local_value",
        "area",
    ]
    assert data["rows"][3]["value"] == "38.5"
    documentation = page_text(reader.get("/data/"))
    assert "Figure sets" in documentation and "breakdown_dimension" in documentation


def test_a_series_across_two_periods_draws_a_year_on_year_table(year, client):
    earlier = PeriodFactory(
        name="2017/18",
        slug="2017-18",
        start=datetime.date(2017, 4, 1),
        end=datetime.date(2018, 3, 31),
        status="published",
    )
    child_death_profile(earlier, {"deaths-notified": Decimal(27), "modifiable-factors": None})
    page = client.get(reverse("section", args=[year.slug, "child-death-profile"]))
    text = page_text(page)
    assert "Year on year" in text
    assert "Figure 2017/18 2018/19" in text
    assert "Deaths notified 27 31" in text
    assert "Reviews with modifiable factors not recorded 38.5%" in text
    # The earlier period's own page has no later year and no table.
    assert "Year on year" not in page_text(
        client.get(reverse("section", args=[earlier.slug, "child-death-profile"]))
    )


def test_a_series_draws_a_chart_per_figure_with_the_table_as_its_text(year, client):
    earlier = PeriodFactory(
        name="2017/18",
        slug="2017-18",
        start=datetime.date(2017, 4, 1),
        end=datetime.date(2018, 3, 31),
        status="published",
    )
    child_death_profile(earlier, {"deaths-notified": Decimal(62), "modifiable-factors": None})
    page = client.get(reverse("section", args=[year.slug, "child-death-profile"]))
    body = page.content.decode()
    charts = re.findall(r"<svg role=\"img\".*?</svg>", body, re.S)
    assert len(charts) == len(PROFILE)
    deaths = next(c for c in charts if "Bar chart of deaths notified" in c)
    assert "The year-on-year table gives the same figures" in deaths
    # 62 is the largest, so its bar is full length; 31 is half of it.
    assert re.findall(r'<rect [^>]*width="(\d+)"', deaths) == ["300", "150"]
    modifiable = next(c for c in charts if "modifiable factors" in c)
    # The year not recorded has no bar and says so.
    assert len(re.findall(r"<rect ", modifiable)) == 1
    assert "not recorded" in modifiable and "38.5%" in modifiable


def test_a_draft_periods_figures_stay_out_of_the_public_year_on_year_table(year, client):
    earlier = PeriodFactory(
        name="2017/18",
        slug="2017-18",
        start=datetime.date(2017, 4, 1),
        end=datetime.date(2018, 3, 31),
    )
    child_death_profile(earlier, {"deaths-notified": Decimal(27)})
    text = page_text(client.get(reverse("section", args=[year.slug, "child-death-profile"])))
    assert "Year on year" not in text and "27" not in text


def test_a_figure_not_recorded_says_so_and_is_blank_in_the_data(db, client):
    period = PeriodFactory(status="published")
    child_death_profile(period, {"reviews-pending": None})
    text = page_text(client.get(reverse("section", args=[period.slug, "child-death-profile"])))
    assert "Reviews pending not recorded" in text
    assert "Reviews pending 0" not in text
    rows = csv_rows(client.get(f"/{period.slug}/data/figures.csv"))
    assert next(r for r in rows if r["key"] == "reviews-pending")["value"] == ""


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        (Decimal("410000.00"), "pounds", "£410,000"),
        (Decimal("396250.50"), "pounds", "£396,250.50"),
        (Decimal(1204), "count", "1,204"),
        (Decimal("38.46"), "percentage", "38.5%"),
        (Decimal(12), "days", "12 days"),
    ],
)
def test_each_unit_prints_in_its_own_way(value, unit, printed):
    from bscb.reports.figures import format_value

    assert format_value(value, unit) == printed


# Bad input, through the back office: a message beside the field, and nothing saved.


def figure_set_post(year, figures):
    data = {
        "period": year.pk,
        "title": "Casework",
        "slug": "casework",
        "introduction": "",
        "source": "",
        "figures-TOTAL_FORMS": str(len(figures)),
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }
    for i, (label, key, value, unit) in enumerate(figures):
        data |= {
            f"figures-{i}-position": str(i),
            f"figures-{i}-label": label,
            f"figures-{i}-key": key,
            f"figures-{i}-value": value,
            f"figures-{i}-unit": unit,
        }
    return data


def test_a_percentage_over_100_is_refused_beside_the_field(year, client, support_officer):
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:reports_figureset_add"),
        figure_set_post(
            year,
            [
                ("Allegations managed", "allegations", "212", "count"),
                ("Return interviews within 72 hours", "return-interviews", "101", "percentage"),
            ],
        ),
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors[1]["value"] == ["A percentage cannot be over 100."]
    assert not FigureSet.objects.filter(slug="casework").exists()
    assert not Figure.objects.filter(key="allegations").exists()


def test_a_breakdown_whose_parts_exceed_the_figure_is_refused(year, client, support_officer):
    figure = Figure.objects.get(key="deaths-notified")
    client.force_login(support_officer)
    data = {
        "figure_set": figure.figure_set_id,
        "position": "0",
        "label": "Deaths notified",
        "key": "deaths-notified",
        "value": "31",
        "unit": "count",
        "denominator": "",
        "comparator": "",
        "source": "",
        "breakdowns-TOTAL_FORMS": "2",
        "breakdowns-INITIAL_FORMS": "0",
        "breakdowns-MIN_NUM_FORMS": "0",
        "breakdowns-MAX_NUM_FORMS": "1000",
        "breakdowns-0-dimension": "sex",
        "breakdowns-0-position": "0",
        "breakdowns-0-label": "Female",
        "breakdowns-0-value": "20",
        "breakdowns-1-dimension": "sex",
        "breakdowns-1-position": "1",
        "breakdowns-1-label": "Male",
        "breakdowns-1-value": "14",
    }
    response = client.post(reverse("admin:reports_figure_change", args=[figure.pk]), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    message = "The breakdown by sex adds up to 34, more than the figure."
    assert formset.errors[0]["value"] == [message]
    assert message in response.content.decode()
    assert not FigureBreakdown.objects.filter(figure=figure).exists()

    # Within the total, the same page saves.
    data["breakdowns-1-value"] = "11"
    response = client.post(reverse("admin:reports_figure_change", args=[figure.pk]), data)
    assert response.status_code == 302
    assert FigureBreakdown.objects.filter(figure=figure).count() == 2


def test_a_figure_lowered_below_its_saved_breakdowns_is_refused(year):
    figure = Figure.objects.get(key="modifiable-factors")
    figure.value = Decimal("30")
    with pytest.raises(ValidationError) as refused:
        figure.full_clean()
    assert "adds up to 38.5" in refused.value.message_dict["value"][0]


def test_only_a_figure_set_section_names_a_figure_set_and_one_of_its_own_period(year):
    figure_set = FigureSet.objects.get(period=year)
    section = ReportSection(
        period=year, kind="narrative", title="x", slug="x", position=50, figure_set=figure_set
    )
    with pytest.raises(ValidationError) as refused:
        section.full_clean()
    assert refused.value.message_dict["figure_set"] == [
        "Only a figure set's or the child death review's section names a figure set."
    ]
    other = FigureSetFactory(period=PeriodFactory(name="2019/20", slug="2019-20"), slug="other")
    section.kind, section.figure_set = "figure-set", other
    with pytest.raises(ValidationError) as refused:
        section.full_clean()
    assert "same period" in refused.value.message_dict["figure_set"][0]


def test_a_figure_set_section_without_a_set_is_left_out(year, client):
    ReportSection.objects.filter(kind="figure-set").update(figure_set=None)
    response = client.get(reverse("section", args=[year.slug, "child-death-profile"]))
    assert response.status_code == 404
    assert client.get(f"/{year.slug}/data/figures.csv").status_code == 404


def test_a_set_a_report_shows_cannot_move_to_another_period(year):
    figure_set = FigureSet.objects.get(period=year)
    other = PeriodFactory(
        name="2019/20",
        slug="2019-20",
        start=datetime.date(2019, 4, 1),
        end=datetime.date(2020, 3, 31),
    )
    figure_set.period = other
    with pytest.raises(ValidationError) as refused:
        figure_set.full_clean()
    assert "shows this set" in refused.value.message_dict["period"][0]


def test_a_unit_changed_under_saved_breakdowns_is_refused_when_a_part_no_longer_fits(db):
    figure = FigureFactory(value=None, unit="count")
    FigureBreakdownFactory(figure=figure, label="Under 1", value=150)
    figure.unit = "percentage"
    with pytest.raises(ValidationError) as refused:
        figure.full_clean()
    assert "Under 1" in refused.value.message_dict["unit"][0]

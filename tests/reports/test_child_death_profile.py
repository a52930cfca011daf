"""The child death review's yearly profile is a figure set that the child death section names.

The story: a partnership shares its Child Death Overview Panel with a neighbour. Its support
officer enters the panel's profile for 2020/21 (deaths notified, reviews completed and pending,
the share with modifiable factors, the deaths by age band and by sex) as a figure set with
the area the panel covers, and Northshire's own part of each figure where the panel gave it.
Readers find it after the panel's meetings, and in the open data; the old one-row model of
child death figures is moved into figure sets by a migration.
"""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from bscb.reports.models import Figure, FigureSet, ReportSection
from reviews.models import PanelCases
from tests.factories import (
    FigureBreakdownFactory,
    FigureFactory,
    FigureSetFactory,
    GroupFactory,
    MeetingFactory,
    PeriodFactory,
)
from tests.pages import page_text

AGE_BANDS = [("Under 1", 13), ("1 to 4", 4), ("5 to 9", 3), ("10 to 14", 4), ("15 to 17", 7)]
SEXES = [("Boys", 18), ("Girls", 13)]


@pytest.fixture
def year(db):
    period = PeriodFactory(
        name="2020/21",
        slug="2020-21",
        start=datetime.date(2020, 4, 1),
        end=datetime.date(2021, 3, 31),
        status="published",
    )
    panel = GroupFactory(name="Child Death Overview Panel", slug="cdop", kind="panel")
    PanelCases.objects.create(
        meeting=MeetingFactory(group=panel, date=datetime.date(2020, 7, 17), is_public=True),
        cases_reviewed=7,
    )
    return period


def shared_panel_profile(period, **set_fields):
    fields = {"panel_area": "Northshire and Southshire", "local_area": "Northshire", **set_fields}
    profile = FigureSetFactory(
        period=period,
        title="Child death profile 2020/21",
        slug="child-death-profile",
        source="Panel annual return",
        **fields,
    )
    deaths = FigureFactory(
        figure_set=profile,
        position=0,
        key="deaths-notified",
        label="Deaths notified",
        value=Decimal(31),
        local_value=Decimal(12),
    )
    for dimension, parts in (("age-band", AGE_BANDS), ("sex", SEXES)):
        for n, (label, value) in enumerate(parts):
            FigureBreakdownFactory(
                figure=deaths, dimension=dimension, label=label, value=value, position=n
            )
    FigureFactory(
        figure_set=profile,
        position=1,
        key="reviews-completed",
        label="Reviews completed",
        value=Decimal(19),
        local_value=Decimal(7),
    )
    FigureFactory(
        figure_set=profile,
        position=2,
        key="reviews-pending",
        label="Reviews pending",
        value=Decimal(12),
        local_value=None,
    )
    FigureFactory(
        figure_set=profile,
        position=3,
        key="modifiable-factors",
        label="Reviews with modifiable factors",
        value=Decimal("38.5"),
        unit="percentage",
    )
    period.report_sections.filter(kind="child-deaths").update(figure_set=profile)
    return profile


def child_deaths_page(period) -> str:
    section = period.report_sections.get(kind="child-deaths")
    return page_text(Client().get(reverse("section", args=[period.slug, section.slug])))


def test_the_profile_follows_the_panels_meetings_with_its_breakdowns(year):
    shared_panel_profile(year)
    text = child_deaths_page(year)
    assert text.index("Panel meetings in 2020/21") < text.index("Child death profile 2020/21")
    for words in [
        "Deaths notified 31",
        "Reviews completed 19",
        "Reviews pending 12",
        "Reviews with modifiable factors 38.5%",
        "Deaths notified by age band",
        "Under 1 13",
        "15 to 17 7",
        "Deaths notified by sex",
        "Boys 18",
        "Girls 13",
        "Source: Panel annual return",
    ]:
        assert words in text, words


def test_a_shared_panel_gives_its_area_and_our_part_only_where_recorded(year):
    shared_panel_profile(year)
    text = child_deaths_page(year)
    assert (
        "The panel covers Northshire and Southshire: the figures below are for the whole area"
        in (text)
    )
    assert "Of the 31 deaths notified, 12 were of Northshire children." in text
    assert "Of the 19 reviews completed, 7 were of Northshire children." in text
    # No part recorded for the pending reviews nor the share with modifiable factors.
    assert "Of the 12 reviews pending" not in text
    assert "for Northshire children" not in text


def test_a_panel_of_our_own_says_nothing_of_an_area(year):
    shared_panel_profile(year, panel_area="", local_area="")
    text = child_deaths_page(year)
    assert "The panel covers" not in text
    assert "Northshire children" not in text
    assert "Deaths notified 31" in text


def test_the_profile_is_in_the_open_data_and_the_panels_own_columns_stay(year):
    reader = Client()
    # Without a profile, the child death section offers the panel's meetings only.
    assert reader.get(f"/{year.slug}/data/figures.csv").status_code == 404
    shared_panel_profile(year)
    rows = list(
        csv.DictReader(io.StringIO(reader.get(f"/{year.slug}/data/figures.csv").content.decode()))
    )
    deaths = [r for r in rows if r["key"] == "deaths-notified"]
    assert (deaths[0]["value"], deaths[0]["local_value"], deaths[0]["area"]) == (
        "31",
        "12",
        "Northshire and Southshire",
    )
    assert [(r["breakdown_label"], r["value"]) for r in deaths[1:]] == [
        *[(label, str(value)) for label, value in AGE_BANDS],
        *[(label, str(value)) for label, value in SEXES],
    ]
    pending = next(r for r in rows if r["key"] == "reviews-pending")
    assert pending["local_value"] == ""  # not recorded: blank, never 0
    assert next(r for r in rows if r["key"] == "modifiable-factors")["value"] == "38.5"
    panel = json.loads(reader.get(f"/{year.slug}/data/child-deaths.json").content)
    assert panel["columns"] == ["meeting_date", "cases_reviewed"]
    assert panel["rows"] == [{"meeting_date": "2020-07-17", "cases_reviewed": 7}]


def test_our_part_larger_than_the_whole_areas_is_refused_beside_the_field(
    year, client, support_officer
):
    profile = shared_panel_profile(year)
    figure = Figure.objects.get(figure_set=profile, key="reviews-completed")
    client.force_login(support_officer)
    data = {
        "figure_set": profile.pk,
        "position": "1",
        "label": "Reviews completed",
        "key": "reviews-completed",
        "value": "19",
        "unit": "count",
        "denominator": "",
        "local_value": "25",
        "comparator": "",
        "source": "",
        "breakdowns-TOTAL_FORMS": "0",
        "breakdowns-INITIAL_FORMS": "0",
        "breakdowns-MIN_NUM_FORMS": "0",
        "breakdowns-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:reports_figure_change", args=[figure.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["local_value"] == [
        "Our part cannot be more than the whole area's figure."
    ]
    figure.refresh_from_db()
    assert figure.local_value == Decimal(7)

    share = Figure.objects.get(figure_set=profile, key="modifiable-factors")
    share.local_value = Decimal(120)
    with pytest.raises(ValidationError) as refused:
        share.full_clean()
    assert refused.value.message_dict["local_value"] == ["A percentage cannot be over 100."]
    # A local share above the area's is a fact for a percentage, not a mistake.
    share.local_value = Decimal("45.0")
    share.full_clean()


def test_the_child_death_section_names_a_set_of_its_own_period_only(year):
    section = year.report_sections.get(kind="child-deaths")
    section.figure_set = FigureSetFactory(
        period=PeriodFactory(name="2019/20", slug="2019-20"), slug="other"
    )
    with pytest.raises(ValidationError) as refused:
        section.full_clean()
    assert "same period" in refused.value.message_dict["figure_set"][0]
    section.figure_set = FigureSetFactory(period=year, slug="ours")
    section.full_clean()


def test_a_new_period_starts_without_last_years_profile(year):
    shared_panel_profile(year)
    following = PeriodFactory(
        name="2021/22",
        slug="2021-22",
        start=datetime.date(2021, 4, 1),
        end=datetime.date(2022, 3, 31),
    )
    assert following.report_sections.get(kind="child-deaths").figure_set is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_years_child_death_figures_into_a_figure_set():
    before = [
        ("reports", "0009_figure_sets_shared_panels"),
        ("reviews", "0007_nil_returns_and_learning_events"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Period = old.get_model("bscb", "ReportingPeriod")
    Section = old.get_model("reports", "ReportSection")
    period = Period.objects.create(
        name="2020/21", slug="2020-21", start="2020-04-01", end="2021-03-31"
    )
    Section.objects.create(
        period=period, kind="child-deaths", title="Learning from child deaths", slug="cd"
    )
    old.get_model("reviews", "ChildDeathFigures").objects.create(
        period=period, deaths_notified=41, reviews_completed=35, modifiable_factors_percent=29
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    profile = FigureSet.objects.get(period_id=period.pk)
    assert (profile.title, profile.slug) == ("Child death profile", "child-death-profile")
    assert [(f.key, f.label, f.value, f.unit) for f in profile.figures.all()] == [
        ("deaths-notified", "Deaths notified", Decimal(41), "count"),
        ("reviews-completed", "Reviews completed", Decimal(35), "count"),
        # Reviews pending were not recorded: no figure, as the page printed none.
        ("modifiable-factors", "Reviews with modifiable factors", Decimal(29), "percentage"),
    ]
    assert ReportSection.objects.get(slug="cd").figure_set == profile


def test_the_statutory_check_can_ask_whether_the_year_has_child_death_figures(year):
    from bscb.reports.figures import has_child_death_figures

    assert not has_child_death_figures(year)
    profile = shared_panel_profile(year)
    assert has_child_death_figures(year)
    # A profile whose figures are all not recorded is no evidence.
    profile.figures.update(value=None)
    assert not has_child_death_figures(year)

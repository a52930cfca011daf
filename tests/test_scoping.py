"""One scoping rule per model: the rules whose answer is not obvious, and every reader of a
period (the report, the check, open data, themes) asking the same one."""

import datetime

import pytest

from bscb.core.models import ReportingPeriod
from bscb.reports.checker import check_report
from bscb.reports.opendata import DATASETS_BY_SLUG
from bscb.reports.report import case_reviews_context
from bscb.reports.themes import theme
from reviews.models import CaseReview
from subgroups.models import Action
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    CaseReviewFactory,
    GroupFactory,
    PeriodFactory,
    PriorityFactory,
)


@pytest.fixture
def periods(db):
    return (
        PeriodFactory(
            name="2017/18",
            slug="2017-18",
            start=datetime.date(2017, 4, 1),
            end=datetime.date(2018, 3, 31),
        ),
        PeriodFactory(
            name="2018/19",
            slug="2018-19",
            start=datetime.date(2018, 4, 1),
            end=datetime.date(2019, 3, 31),
        ),
    )


def review(**dates):
    blank = {"commissioned_on": None, "signed_off_on": None}
    return CaseReviewFactory(**{**blank, **dates})


def test_a_review_belongs_to_each_period_in_which_it_was_notified_held_or_signed_off(periods):
    before, year = periods
    across = review(
        panel_notified_on=datetime.date(2018, 2, 1), signed_off_on=datetime.date(2019, 3, 31)
    )
    held = review(held_on=datetime.date(2018, 4, 1))
    elsewhere = review(
        commissioned_on=datetime.date(2018, 5, 1),
        signed_off_on=datetime.date(2018, 3, 1),
        published_on=datetime.date(2018, 6, 1),
    )
    assert set(CaseReview.objects.for_period(year)) == {across, held}
    assert set(CaseReview.objects.for_period(before)) == {across, elsewhere}
    assert list(CaseReview.objects.notified_in(year)) == []
    assert list(CaseReview.objects.held_in(year)) == [held]
    assert list(CaseReview.objects.signed_off_in(year)) == [across]


def test_the_report_the_check_open_data_and_themes_place_a_review_in_the_same_periods(periods):
    _, year = periods
    priority = PriorityFactory()
    across = review(
        pseudonym="Child Across",
        panel_notified_on=datetime.date(2018, 2, 1),
        signed_off_on=datetime.date(2018, 12, 1),
    )
    published_only = review(
        pseudonym="Child Published",
        signed_off_on=datetime.date(2018, 3, 1),
        published_on=datetime.date(2018, 6, 1),
    )
    for r in (across, published_only):
        r.priorities.add(priority)

    listed = case_reviews_context(year, None)
    in_report = {r for key in ("notified", "held", "signed_off") for r in listed[key]}
    assert in_report == {across}
    rows = DATASETS_BY_SLUG["case-reviews"].rows(year)
    assert [row["pseudonym"] for row in rows] == ["Child Across"]
    (theme_year,) = theme(priority, [year])
    assert theme_year.reviews == [across]
    did = check_report(year).items[0]
    assert "1 case review notified, held or signed off in the period" in did.provided


def test_an_action_is_in_a_period_while_its_plan_is_open_and_it_has_started(periods):
    before, year = periods
    group = GroupFactory()
    work_plan = ActionPlanFactory(group=group, period=year)
    review_plan = ActionPlanFactory(group=group, kind="review", review=review())
    closed = ActionPlanFactory(group=group, closed_on=datetime.date(2018, 3, 31))
    current = ActionFactory(plan=work_plan)
    answering = ActionFactory(plan=review_plan)
    later = ActionFactory(plan=review_plan, starts_on=datetime.date(2019, 4, 1), due_on=None)
    finished = ActionFactory(plan=closed)
    assert set(Action.objects.for_period(year)) == {current, answering}
    assert set(Action.objects.for_period(before)) == {answering, finished}
    assert later not in Action.objects.for_period(year)

    priority = PriorityFactory()
    answering.priorities.add(priority)
    (theme_year,) = theme(priority, [year])
    assert theme_year.actions == [answering]


def test_a_period_comes_before_another_when_it_ended_before_the_other_started(periods):
    before, year = periods
    assert list(ReportingPeriod.objects.before(year)) == [before]
    assert list(ReportingPeriod.objects.before(before)) == []

"""One scoping rule per model: "in this period" is a queryset method, never written inline.

The code check reads every module of the project's apps and fails on a period's dates
used in a lookup outside a QuerySet (or Manager) class: a `__range` lookup, a comparison
lookup against a `.start` or `.end`, or a `(x.start, x.end)` span. ReportingPeriod itself
may use its own dates. The other tests pin the rules whose answer is not obvious, and that
every reader of a period (the report, the check, open data, themes) asks the same one.
"""

import ast
import datetime
from pathlib import Path

import pytest
from django.apps import apps

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

ROOT = Path(__file__).resolve().parents[1]
COMPARISONS = ("__gt", "__gte", "__lt", "__lte", "__range")
ALLOWED_CLASSES = ("QuerySet", "Manager")
OWNER = "ReportingPeriod"  # the period's own methods use its dates


def _is_bound(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in ("start", "end")


def _mentions_bound(node) -> bool:
    return any(_is_bound(n) for n in ast.walk(node))


class InlineScoping(ast.NodeVisitor):
    """Finds a period's dates used in a lookup outside a queryset (line, what)."""

    def __init__(self):
        self.found: list[tuple[int, str]] = []
        self.classes: list[str] = []

    def allowed(self) -> bool:
        return any(c.endswith(ALLOWED_CLASSES) or c == OWNER for c in self.classes)

    def visit_ClassDef(self, node):
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_keyword(self, node):
        if not self.allowed() and node.arg:
            if node.arg.endswith("__range"):
                self.found.append((node.value.lineno, f"{node.arg}="))
            elif node.arg.endswith(COMPARISONS) and _mentions_bound(node.value):
                self.found.append((node.value.lineno, f"{node.arg}={ast.unparse(node.value)}"))
        self.generic_visit(node)

    def visit_Constant(self, node):
        # A lookup built as a string: **{f"{field}__range": ...} or {"date__gte": ...}.
        if not self.allowed() and isinstance(node.value, str) and "__range" in node.value:
            self.found.append((node.lineno, repr(node.value)))

    def visit_Tuple(self, node):
        if not self.allowed():
            bounds = {n.attr for n in node.elts if _is_bound(n)}
            if bounds == {"start", "end"}:
                self.found.append((node.lineno, ast.unparse(node)))
        self.generic_visit(node)


def inline_scoping(source: str) -> list[tuple[int, str]]:
    finder = InlineScoping()
    finder.visit(ast.parse(source))
    return finder.found


def project_modules() -> list[Path]:
    found = []
    for config in apps.get_app_configs():
        folder = ROOT / config.name.replace(".", "/")
        if folder.is_dir():
            found += [p for p in folder.rglob("*.py") if "migrations" not in p.parts]
    return sorted(set(found))


def test_the_finder_sees_each_way_of_writing_the_rule_inline_and_allows_it_in_a_queryset():
    inline = """
def section(period, span):
    Audit.objects.filter(date__range=(period.start, period.end))
    Review.objects.filter(signed_off_on__range=span)
    Meeting.objects.filter(date__gte=period.start, date__lte=period.end)
    Session.objects.filter(**{f"{field}__range": span})
    span = (period.start, period.end)
"""
    assert [line for line, _ in inline_scoping(inline)] == [3, 3, 4, 5, 5, 6, 7]
    in_a_queryset = "\n".join(
        ["class AuditQuerySet(models.QuerySet):", "    def for_period(self, period, span):"]
        + ["    " + line for line in inline.splitlines()[2:]]
    )
    assert inline_scoping(in_a_queryset) == []
    assert inline_scoping("Meeting.objects.filter(date__lt=self.date, pk__gt=other.pk)") == []


def test_period_scoping_is_written_only_in_queryset_methods():
    modules = project_modules()
    assert ROOT / "bscb/reports/report.py" in modules and ROOT / "subgroups/progress.py" in modules
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in modules
        for line, what in inline_scoping(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use the model's for_period(period) (or add one to its QuerySet)"


# The rules whose answer is not obvious.


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
    # A board's year (Working Together 2015): the reviews are the lessons item's evidence.
    lessons = check_report(year).item("Lessons from reviews undertaken in the period")
    assert "1 case review notified, held or signed off in the period" in lessons.provided


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

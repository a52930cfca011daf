"""The statutory check: does the draft report give what its framework asks of it?

The period's framework (frameworks.py: Working Together 2015, 2018 or 2023, chosen by the
period's dates unless staff choose) lists the items the guidance asks for, each with its
paragraph and the evidence that meets it. Each kind of evidence is found here by a small
function over the records: meeting entries, case reviews, training, action plans,
recommendations, priorities, audits and inspections, figure sets, child death figures,
agency statements, programmes, contributions and spending. Records count only while the
report shows a section of a kind that shows them (the kinds' `evidence=`). Each item says
what the records provide and what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count

from bscb.core.models import Board, Priority, PriorityText, ReportingPeriod
from bscb.reports import kinds
from bscb.reports.figures import has_child_death_figures, shown_figure_set_ids
from bscb.reports.frameworks import Requirement, StatutoryFramework, framework_for
from bscb.reports.models import AgencyStatement, FigureSet, ProgrammeReport
from bscb.reports.report import groups_in_report, report_sections
from funding.models import BudgetLine, Contribution, Spending
from meetings.models import Entry, Meeting
from reviews.models import (
    Audit,
    CaseReview,
    LearningEvent,
    LearningMaterial,
    NilReturn,
    Recommendation,
)
from subgroups.progress import actions_in, progress
from training.models import Session


@dataclass
class Item:
    title: str
    guidance: str
    paragraph: str = ""
    provided: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing

    def miss(self, line: str) -> None:
        if line not in self.missing:
            self.missing.append(line)


@dataclass
class Check:
    period: ReportingPeriod
    items: list[Item]
    framework: StatutoryFramework | None = None

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if not item.ok]

    def item(self, title: str) -> Item:
        return next(item for item in self.items if item.title == title)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


class Records:
    """What the check reads of a period's records, each read once."""

    def __init__(self, period: ReportingPeriod):
        self.period = period
        self.sections = report_sections(period)
        self.shown = {s.kind.key for s in self.sections}

    @cached_property
    def board(self) -> Board:
        return Board.load()  # the headings the report gives the entries

    @cached_property
    def entries(self) -> dict[str, int]:
        meetings = Meeting.objects.for_period(self.period).public()
        in_report = meetings.filter(group__in=groups_in_report(self.period, self.sections))
        rows = (
            Entry.objects.public()
            .filter(meeting__in=in_report)
            .values("kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row["kind"]: row["n"] for row in rows}

    @cached_property
    def figure_sets_shown(self) -> set[int]:
        return set(shown_figure_set_ids(self.period))


# What one kind of evidence found: (state, line). GIVEN: the records give it. ABSENT: they
# do not (missing when the item needs it). GAP: they give it with a hole (always missing).
GIVEN, ABSENT, GAP = "given", "absent", "gap"
Found = list[tuple[str, str]]


@dataclass(frozen=True)
class Evidence:
    key: str
    what: str  # "The report shows no section with {what}"
    find: Callable[[Records], Found]


EVIDENCE: dict[str, Evidence] = {}


def evidence(key: str, what: str):
    def register(find: Callable[[Records], Found]) -> Callable[[Records], Found]:
        EVIDENCE[key] = Evidence(key, what, find)
        return find

    return register


def _count(n: int, given: str, absent: str) -> Found:
    return [(GIVEN, given)] if n else [(ABSENT, absent)]


@evidence("did", "the board's or a group's work")
def did_entries(r: Records) -> Found:
    n = r.entries.get(Entry.Kind.DID, 0)
    heading = r.board.did_heading
    return _count(n, f"{_plural(n, 'entry')} under “{heading}”", f"No “{heading}” entries")


@evidence("difference", "the board's or a group's work")
def difference_entries(r: Records) -> Found:
    n = r.entries.get(Entry.Kind.DIFFERENCE, 0)
    heading = r.board.difference_heading
    return _count(n, f"{_plural(n, 'entry')} under “{heading}”", f"No “{heading}” entries")


@evidence("voice", "the board's or a group's work")
def voice_entries(r: Records) -> Found:
    n = r.entries.get(Entry.Kind.VOICE, 0)
    return _count(
        n,
        f"{_plural(n, 'entry')} of what children, young people and families told us",
        "No entries of what children, young people and families told us",
    )


@evidence("case-reviews", "case reviews")
def case_reviews(r: Records) -> Found:
    n = CaseReview.objects.public().for_period(r.period).count()
    # A nil return is a true statement about reviews: "none were commissioned" is evidence.
    nil = NilReturn.objects.in_period(r.period).count()
    found = []
    if n:
        found.append(
            (GIVEN, f"{_plural(n, 'case review')} notified, held or signed off in the period")
        )
    if nil:
        found.append((GIVEN, f"{_plural(nil, 'nil return')} (no reviews of a type)"))
    return found or [(ABSENT, "No case review activity")]


@evidence("training", "training")
def training_held(r: Records) -> Found:
    n = Session.objects.for_period(r.period).held().count()
    return _count(n, f"{_plural(n, 'training session')} held", "No training held")


@evidence("progress", "priorities' or work plans' progress")
def actions_progress(r: Records) -> Found:
    summary = progress(list(actions_in(r.period)), r.period)
    if not summary.total:
        return [(ABSENT, "No action plans with actions in the period")]
    found = [(GIVEN, f"{_plural(summary.total, 'action')} with progress at the period's end")]
    unexplained = [s for s in summary.stalled if not s.being_done]
    if unexplained:
        found.append(
            (
                GAP,
                f"{_plural(len(unexplained), 'action')} with little or no progress and no "
                "update saying what is being done",
            )
        )
    elif summary.stalled:
        found.append(
            (
                GIVEN,
                f"{_plural(len(summary.stalled), 'action')} with little progress, each explained",
            )
        )
    return found


@evidence("recommendations", "review recommendations")
def recommendations_answered(r: Records) -> Found:
    recommendations = Recommendation.objects.public()
    answered = recommendations.filter(action__isnull=False).count()
    if not answered:
        return [(ABSENT, "No review recommendation is answered by an action")]
    found = [(GIVEN, f"{_plural(answered, 'recommendation')} answered by an action")]
    unanswered = recommendations.filter(action__isnull=True).exclude(status="not_accepted").count()
    if unanswered:
        found.append((GAP, f"{_plural(unanswered, 'recommendation')} without an action"))
    return found


@evidence("priorities", "the priorities")
def priority_assessments(r: Records) -> Found:
    """The period's priorities, in the wording of the period."""
    n = Priority.objects.in_period(r.period).count()
    return _count(
        n, f"{_plural(n, 'priority', 'priorities')} for the period", "No priorities for the period"
    )


@evidence("assessments", "priorities' assessments")
def assessed_priorities(r: Records) -> Found:
    """Priorities whose assessment for the period says what worries the partners and what
    needs to happen: an analysis of where progress is slow, and what is being done."""
    n = (
        PriorityText.objects.filter(period=r.period)
        .exclude(worried_about__regex=r"^\s*$")
        .exclude(needs_to_happen__regex=r"^\s*$")
        .count()
    )
    return _count(
        n,
        f"{_plural(n, 'priority', 'priorities')} assessed: what we are worried about and what "
        "needs to happen",
        "No priority is assessed for the period",
    )


@evidence("audits", "audits")
def audits_and_inspections(r: Records) -> Found:
    counts = dict(
        Audit.objects.for_period(r.period).values_list("kind").annotate(n=Count("pk")).order_by()
    )
    inspections = counts.pop(Audit.Kind.INSPECTION, 0)
    audits = sum(counts.values())
    parts = [
        p
        for p in (
            audits and _plural(audits, "audit"),
            inspections and _plural(inspections, "inspection"),
        )
        if p
    ]
    return _count(
        audits + inspections,
        f"{' and '.join(parts)} in the period",
        "No audits or inspections in the period",
    )


@evidence("learning", "learning from reviews")
def learning_published(r: Records) -> Found:
    n = LearningMaterial.objects.public().for_period(r.period).count()
    events = LearningEvent.objects.public().in_period(r.period).count()
    found = []
    if n:
        found.append((GIVEN, f"{_plural(n, 'learning material')} published in the period"))
    if events:
        found.append((GIVEN, f"{_plural(events, 'learning event')} held after reviews"))
    return found or [(ABSENT, "No learning materials published or learning events held")]


@evidence("figure-sets", "figure sets")
def figure_sets(r: Records) -> Found:
    sets = list(
        FigureSet.objects.filter(period=r.period)
        .annotate(n=Count("figures"))
        .filter(n__gt=0)
        .values_list("pk", "title")
    )
    shown = [title for pk, title in sets if pk in r.figure_sets_shown]
    if shown:
        names = ", ".join(f"“{t}”" for t in shown)
        return [(GIVEN, f"{_plural(len(shown), 'figure set')} shown: {names}")]
    if sets:
        return [(ABSENT, f"{_plural(len(sets), 'figure set')}, none in a section the report shows")]
    return [(ABSENT, "No figure sets for the period")]


@evidence("child-deaths", "the child death review")
def child_deaths(r: Records) -> Found:
    return _count(
        has_child_death_figures(r.period),
        "Child death figures for the period",
        "No child death figures for the period",
    )


@evidence("statements", "agency statements")
def agency_statements(r: Records) -> Found:
    names = list(
        AgencyStatement.objects.filter(period=r.period).values_list("organisation__name", flat=True)
    )
    return _count(
        len(names),
        f"{_plural(len(names), 'agency statement')}: {', '.join(names)}",
        "No agency statements for the period",
    )


@evidence("programmes", "programmes")
def programmes(r: Records) -> Found:
    names = list(
        ProgrammeReport.objects.filter(period=r.period).values_list("programme__name", flat=True)
    )
    return _count(
        len(names),
        f"{_plural(len(names), 'programme')}: {', '.join(names)}",
        "No programmes reported for the period",
    )


@evidence("contributions", "funding")
def contributions(r: Records) -> Found:
    n = Contribution.objects.filter(period=r.period).count()
    return _count(
        n, f"{_plural(n, 'partner contribution')} recorded", "No partner contributions recorded"
    )


@evidence("spending", "funding")
def spending(r: Records) -> Found:
    categories = set(Spending.objects.filter(period=r.period).values_list("category", flat=True))
    lines = BudgetLine.objects.filter(
        period=r.period, direction=BudgetLine.Direction.SPENDING
    ).count()
    if not categories and not lines:
        return [(ABSENT, "No spending recorded")]
    named = [
        label
        for value, label in Spending.Category.choices
        if value in categories
        and value in (Spending.Category.CASE_REVIEWS, Spending.Category.TRAINING)
    ]
    parts = [
        categories and f"spending in {_plural(len(categories), 'category', 'categories')}",
        lines and f"{_plural(lines, 'spending line')} of the budget",
    ]
    found = " and ".join(p for p in parts if p).capitalize()
    if named:
        found += f", including {' and '.join(n.lower() for n in named)}"
    return [(GIVEN, found)]


def carriers(key: str) -> set[str]:
    """The section kinds that show this evidence."""
    return {kind.key for kind in kinds.KINDS.values() if key in kind.evidence}


def _meet(requirement: Requirement, records: Records, found: dict[str, Found]) -> Item:
    item = Item(requirement.title, requirement.guidance, requirement.paragraph)

    def take(key: str, required: bool) -> bool:
        """List what one kind of evidence gave; whether it counts towards the item."""
        shown = bool(records.shown & carriers(key))
        given = False
        for state, line in found[key]:
            if state == GIVEN:
                given = True
                if shown:
                    item.provided.append(line)
            elif required or (state == GAP and shown):
                item.miss(line)
        if required and not shown:
            item.miss(f"The report shows no section with {EVIDENCE[key].what}")
        return given and shown

    for key in requirement.needs:
        take(key, required=True)
    if requirement.any_of:
        counted = [key for key in requirement.any_of if take(key, required=False)]
        if not counted:
            # None of the evidence that would meet it is in the report: say what each lacks.
            for key in requirement.any_of:
                for state, line in found[key]:
                    if state == ABSENT:
                        item.miss(line)
                    elif state == GIVEN:
                        item.miss(
                            f"{line}, but the report shows no section with {EVIDENCE[key].what}"
                        )
    for key in requirement.also:
        take(key, required=False)
    return item


def check_report(period: ReportingPeriod) -> Check:
    framework = framework_for(period)
    records = Records(period)
    wanted = {key for r in framework.requirements for key in (*r.needs, *r.any_of, *r.also)}
    found = {key: EVIDENCE[key].find(records) for key in wanted}
    items = [_meet(requirement, records, found) for requirement in framework.requirements]
    return Check(period, items, framework)

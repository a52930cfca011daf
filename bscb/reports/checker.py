"""The statutory check: does the draft report give what Working Together asks of it?

Working Together to Safeguard Children (2018, ch. 3; 2023, ch. 2): what the
partners did, including on child safeguarding practice reviews; evidence of
impact, including training; areas with little or no progress and what is being
done; decisions and actions on review recommendations; how feedback from
children and families was sought and used. Each item says what the records
provide and what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bscb.core.models import Board, PriorityText, ReportingPeriod
from bscb.reports import kinds
from bscb.reports.report import groups_in_report, report_sections
from meetings.models import Entry, Meeting
from reviews.models import CaseReview, Recommendation
from subgroups.progress import actions_in, progress
from training.models import Session


@dataclass
class Item:
    title: str
    guidance: str
    provided: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing


@dataclass
class Check:
    period: ReportingPeriod
    items: list[Item]

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if not item.ok]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _carried(item: Item, shown: set[str], keys: set[str], what: str) -> None:
    """An item the records give is only in the report when a section of its kind is shown."""
    if not shown & keys:
        item.missing.append(f"The report shows no section with {what}")


def check_report(period: ReportingPeriod) -> Check:
    sections = report_sections(period)
    shown = {s.kind.key for s in sections}
    meetings = Meeting.objects.for_period(period).public()
    entries = Entry.objects.public().filter(
        meeting__in=meetings.filter(group__in=groups_in_report(period, sections))
    )
    reviews = CaseReview.objects.public().for_period(period)
    held_training = Session.objects.for_period(period).held().count()
    board = Board.load()  # the headings the report gives these entries

    did = Item(
        "What the partners did, including on child safeguarding practice reviews",
        "A report sets out what the partners have done as a result of the arrangements, "
        "including on child safeguarding practice reviews.",
    )
    n = entries.filter(kind=Entry.Kind.DID).count()
    (did.provided if n else did.missing).append(
        f"{_plural(n, 'entry')} under “{board.did_heading}”"
        if n
        else f"No “{board.did_heading}” entries"
    )
    n = reviews.count()
    (did.provided if n else did.missing).append(
        f"{_plural(n, 'case review')} notified, held or signed off in the period"
        if n
        else "No case review activity"
    )

    _carried(did, shown, {kinds.BOARD, kinds.GROUP}, "the board's or a group's work")
    _carried(did, shown, {kinds.CASE_REVIEWS}, "case reviews")

    impact = Item(
        "Evidence of impact, including training",
        "Evidence of the impact of the partners' and agencies' work, including training, on "
        "outcomes for children and families.",
    )
    n = entries.filter(kind=Entry.Kind.DIFFERENCE).count()
    (impact.provided if n else impact.missing).append(
        f"{_plural(n, 'entry')} under “{board.difference_heading}”"
        if n
        else f"No “{board.difference_heading}” entries"
    )
    (impact.provided if held_training else impact.missing).append(
        f"{_plural(held_training, 'training session')} held"
        if held_training
        else "No training held"
    )

    _carried(impact, shown, {kinds.TRAINING}, "training")

    stalled = Item(
        "Areas with little or no progress, and what is being done",
        "An analysis of any areas with little or no evidence of progress on agreed priorities, "
        "and the action being taken about them.",
    )
    summary = progress(list(actions_in(period)), period)
    # A priority's assessment for the period says what is worrying and what needs to happen.
    assessed = (
        PriorityText.objects.filter(period=period)
        .exclude(worried_about__regex=r"^\s*$", needs_to_happen__regex=r"^\s*$")
        .count()
    )
    if assessed:
        stalled.provided.append(
            f"{assessed} {'priority' if assessed == 1 else 'priorities'} assessed: what we are "
            "worried about and what needs to happen"
        )
    if not summary.total:
        if not assessed:
            stalled.missing.append("No action plans with actions in the period")
    else:
        stalled.provided.append(
            f"{_plural(summary.total, 'action')} with progress at the period's end"
        )
        unexplained = [s for s in summary.stalled if not s.being_done]
        if unexplained:
            stalled.missing.append(
                f"{_plural(len(unexplained), 'action')} with little or no progress and no update "
                "saying what is being done"
            )
        elif summary.stalled:
            stalled.provided.append(
                f"{_plural(len(summary.stalled), 'action')} with little progress, each explained"
            )

    _carried(stalled, shown, {kinds.BOARD, kinds.GROUP}, "priorities' or work plans' progress")

    decisions = Item(
        "Decisions and actions on review recommendations",
        "A record of decisions and actions taken, or planned, to implement the recommendations of "
        "local and national reviews, and the improvements that followed.",
    )
    recommendations = Recommendation.objects.public()
    answered = recommendations.filter(action__isnull=False).count()
    if answered:
        decisions.provided.append(f"{_plural(answered, 'recommendation')} answered by an action")
    else:
        decisions.missing.append("No review recommendation is answered by an action")
    unanswered = recommendations.filter(action__isnull=True).exclude(status="not_accepted").count()
    if answered and unanswered:
        decisions.missing.append(f"{_plural(unanswered, 'recommendation')} without an action")

    _carried(decisions, shown, {kinds.CASE_REVIEWS}, "review recommendations")

    voice = Item(
        "How feedback from children and families was sought and used",
        "How the partners sought and used feedback from children and families.",
    )
    n = entries.filter(kind=Entry.Kind.VOICE).count()
    (voice.provided if n else voice.missing).append(
        f"{_plural(n, 'entry')} of what children, young people and families told us"
        if n
        else "No entries of what children, young people and families told us"
    )

    return Check(period, [did, impact, stalled, decisions, voice])

"""Work-plan progress for the public report: RAG at the period's end, completed, little or no progress."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import ngettext

from bscb.core.illustrative import share
from bscb.core.models import ReportingPeriod
from subgroups.models import Action, ProgressUpdate, Rag


@dataclass
class Stalled:
    action: Action
    being_done: str  # the latest update's note by the period's end


@dataclass
class PlanProgress:
    actions: list[Action] = field(default_factory=list)
    by_rag: list[tuple[str, str, int]] = field(default_factory=list)  # (code, label, count)
    completed: list[Action] = field(default_factory=list)
    stalled: list[Stalled] = field(default_factory=list)
    illustrative: str = ""  # "all", "some" or "": how many of its actions are demo data

    @property
    def total(self) -> int:
        return len(self.actions)

    def sentence(self) -> str:
        """The plan at a day, in words: "3 actions: 1 red, 1 amber, 1 without a RAG rating;
        1 complete." or "1 action, with no RAG rating recorded; none complete."."""
        actions = ngettext("%d action", "%d actions", self.total) % self.total
        rated = [f"{n} {label.lower()}" for code, label, n in self.by_rag if code]
        unrated = sum(n for code, _, n in self.by_rag if not code)
        if not rated:
            ratings = f"{actions}, with no RAG rating recorded"
        else:
            if unrated:
                rated.append(f"{unrated} without a RAG rating")
            ratings = f"{actions}: {', '.join(rated)}"
        done = len(self.completed)
        completed = "none" if not done else ("all" if done == self.total > 1 else str(done))
        return f"{ratings}; {completed} complete."


def actions_in(period: ReportingPeriod):
    """Actions of plans open during the period that the public may see, with their updates."""
    return (
        Action.objects.for_period(period)
        .public()
        .select_related("plan")
        .prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("date", "pk"))
        )
    )


def progress(actions: list[Action], period: ReportingPeriod) -> PlanProgress:
    end = period.end
    result = PlanProgress(actions=actions)
    rags = Counter()
    for action in actions:
        rag = action.rag_on(end)
        rags[rag] += 1
        done = action.status == Action.Status.COMPLETE and (
            action.completed_on is None or action.completed_on <= end
        )
        if done:
            result.completed.append(action)
        elif rag == Rag.RED or (action.due_on and action.due_on < end and rag != Rag.GREEN):
            notes = [u.note for u in action.updates.all() if u.date <= end]
            result.stalled.append(Stalled(action, notes[-1] if notes else ""))
    result.illustrative = share(action.is_illustrative for action in actions)
    labels = dict(Rag.choices)
    result.by_rag = [(code, labels[code], rags[code]) for code in Rag.values if rags[code]]
    if rags[""]:
        result.by_rag.append(("", "No RAG rating", rags[""]))
    return result

"""A plan's progress in words, as the group's and the board's pages print it."""

import pytest

from subgroups.progress import PlanProgress


def plan(rags, completed=0):
    """A plan's progress with one action per RAG code given ("" for none recorded)."""
    labels = {"red": "Red", "amber": "Amber", "green": "Green", "": "No RAG rating"}
    counts = {}
    for code in rags:
        counts[code] = counts.get(code, 0) + 1
    by_rag = [(code, labels[code], n) for code, n in counts.items() if code]
    if "" in counts:
        by_rag.append(("", labels[""], counts[""]))
    return PlanProgress(actions=list(rags), by_rag=by_rag, completed=list(range(completed)))


@pytest.mark.parametrize(
    "progress,words",
    [
        (plan([""]), "1 action, with no RAG rating recorded; none complete."),
        (plan(["", ""], completed=1), "2 actions, with no RAG rating recorded; 1 complete."),
        (
            plan(["red", "amber", ""], completed=1),
            "3 actions: 1 red, 1 amber, 1 without a RAG rating; 1 complete.",
        ),
        (plan(["green", "green"], completed=2), "2 actions: 2 green; all complete."),
        (plan(["green"], completed=1), "1 action: 1 green; 1 complete."),
    ],
)
def test_a_plans_progress_reads_as_a_sentence(progress, words):
    assert progress.sentence() == words

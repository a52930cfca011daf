"""The words a report uses for reviews, in one place: each kind's name, and the kinds of an era.

A Local Safeguarding Children Board (Working Together 2015) commissioned serious case
reviews; the safeguarding partnerships that replaced boards (Working Together 2018 and
2023) hold rapid reviews and commission local child safeguarding practice reviews. A
period's pages use the words of its era (`ReportingPeriod.is_board_era`) and each review
the words of its own kind. Kinds are named by their stored values so that the models can
use this module.
"""

from __future__ import annotations

# kind: (one, several)
NAMES = {
    "scr": ("serious case review", "serious case reviews"),
    "rapid": ("rapid review", "rapid reviews"),
    "lcspr": (
        "local child safeguarding practice review",
        "local child safeguarding practice reviews",
    ),
    "thematic": ("thematic review", "thematic reviews"),
    "review_of_review": ("review of earlier reviews", "reviews of earlier reviews"),
}
BOARD_ERA_KINDS = ("scr",)
PARTNERSHIP_ERA_KINDS = ("rapid", "lcspr")


def singular(kind: str) -> str:
    return NAMES.get(kind, ("review", "reviews"))[0]


def plural(kind: str) -> str:
    return NAMES.get(kind, ("review", "reviews"))[1]


def era_kinds(period) -> tuple[str, ...]:
    """The statutory review kinds of the period's era."""
    return BOARD_ERA_KINDS if period.is_board_era else PARTNERSHIP_ERA_KINDS


def era_reviews(period) -> str:
    """The era's statutory reviews in words: "serious case reviews", or "rapid reviews and
    local child safeguarding practice reviews"."""
    names = [plural(kind) for kind in era_kinds(period)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def era_reviews_or(period) -> str:
    """The same joined with "or", for saying that none were recorded."""
    names = [plural(kind) for kind in era_kinds(period)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

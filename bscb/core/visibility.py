"""What the public may see of any record, asked by every app without importing the app that decides.

Apps higher up register a rule (the reviews app registers the embargo); a domain app low in
the graph, such as meetings, asks `public(queryset)` and gets every registered rule applied.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

_rules: list[Callable[[QuerySet], QuerySet]] = []


def register(rule: Callable[[QuerySet], QuerySet]) -> None:
    if rule not in _rules:
        _rules.append(rule)


def public(queryset: QuerySet) -> QuerySet:
    for rule in _rules:
        queryset = rule(queryset)
    return queryset

"""The dated records that belong to a reporting period by their date.

Domain apps register them (meetings registers Meeting), so that the core app can keep
"nothing dated is left without a period" without importing the apps above it. A registered
model's queryset says which of its records a period holds, with `for_period(period)`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model

# model -> (date field, how to name one record in a message)
_dated: dict[type[Model], tuple[str, Callable[[Model], str]]] = {}


def register(model: type[Model], field: str, describe: Callable[[Model], str] = str) -> None:
    _dated[model] = (field, describe)


def dated_records() -> dict[type[Model], tuple[str, Callable[[Model], str]]]:
    return dict(_dated)

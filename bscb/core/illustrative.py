"""Illustrative records: demo data that stands in for what the board's records lost.

Every model that can hold such data has an `is_illustrative` field, and wherever a page or
a download shows one of its records, it says so. On a page the element that shows the
record carries `data-illustrative` with the record's key (so a test can find it) and a
visible "Illustrative" tag (so a reader, and the PDF, can).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import models


def illustrative_models() -> list[type[models.Model]]:
    """Every model whose records can be marked illustrative."""
    return [
        model
        for model in apps.get_models()
        if any(f.name == "is_illustrative" for f in model._meta.get_fields())
    ]


def record_key(record: models.Model) -> str:
    """The record's name in the `data-illustrative` attribute, e.g. "meetings.attendance:12"."""
    return f"{record._meta.label_lower}:{record.pk}"


def illustrative_keys(records: Iterable[models.Model]) -> str:
    """The keys of the illustrative records among these, space-separated; "" when none is."""
    return " ".join(
        sorted({record_key(r) for r in records if getattr(r, "is_illustrative", False)})
    )


def share(flags: Iterable[bool]) -> str:
    """ "all" when every record is illustrative, "some" when some are, "" when none (or no
    record) is: the words a page uses to say how much of what it shows is demo data."""
    flags = list(flags)
    if not any(flags):
        return ""
    return "all" if all(flags) else "some"

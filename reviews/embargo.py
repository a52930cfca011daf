"""The embargo, in one place: whether a case review, and everything that belongs to it or
answers it, may be public.

A record is linked to a review when its own relations lead to the review: an entry that
concerns it, a learning material or recommendation of it, a plan answering it, that plan's
actions and their progress updates, an action answering one of its recommendations. The
paths are found from the models, so a new kind of linked record is covered without being
listed here. Shared records that many things point at (groups, meetings, organisations,
priorities, periods, people) are where the walk stops: a group that runs a held-back
review is not itself held back.
"""

from __future__ import annotations

import datetime
from functools import cache, lru_cache

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from reviews.models import CaseReview

# Shared records: a relation through one of these is context, not belonging.
SHARED = {
    ("auth", "user"),
    ("bscb", "reportingperiod"),
    ("bscb", "organisation"),
    ("bscb", "priority"),
    ("reports", "edition"),
    ("subgroups", "group"),
    ("meetings", "meeting"),
    ("reviews", "audit"),
}
MAX_DEPTH = 4


def _shared(model) -> bool:
    return (model._meta.app_label, model._meta.model_name) in SHARED


def _part_of_review(model) -> str | None:
    """The foreign key of a record that exists only as part of a review (a recommendation)."""
    for field in model._meta.get_fields():
        if (
            field.many_to_one
            and field.concrete
            and field.related_model is CaseReview
            and not field.null
        ):
            return field.name
    return None


@cache
def review_paths(model) -> tuple[str, ...]:
    """The lookups from a model to the case reviews its records belong to or answer.

    Forward relations (a record's parents) any number of times, then at most one step
    back from a record that exists only as part of a review (an action that answers a
    recommendation).
    """
    if model is CaseReview:
        return ("pk",)
    if _shared(model):
        return ()
    paths: list[str] = []

    def walk(current, prefix: str, seen: frozenset, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        for field in current._meta.get_fields():
            target = field.related_model
            if target is None or target in seen:
                continue
            forward = field.concrete and (field.many_to_one or field.one_to_one)
            if forward and target is CaseReview:
                paths.append(f"{prefix}{field.name}")
            elif forward and not _shared(target):
                walk(target, f"{prefix}{field.name}__", seen | {target}, depth + 1)
            elif field.auto_created and not field.concrete and field.one_to_many:
                own = _part_of_review(target)
                if own:
                    paths.append(f"{prefix}{field.get_accessor_name()}__{own}")

    walk(model, "", frozenset({model}), 1)
    return tuple(sorted(set(paths)))


def linked_models() -> list:
    """Every model whose records can belong to or answer a case review, the review itself first."""
    found = [m for m in apps.get_models() if m is not CaseReview and review_paths(m)]
    return [CaseReview, *sorted(found, key=lambda m: m._meta.label)]


def withheld_reviews(today: datetime.date | None = None) -> models.QuerySet:
    return CaseReview.objects.withheld(today)


def _withheld_condition(model, today) -> Q | None:
    withheld = withheld_reviews(today).values("pk")
    condition = None
    for path in review_paths(model):
        lookup = Q(pk__in=withheld) if path == "pk" else Q(**{f"{path}__in": withheld})
        condition = lookup if condition is None else condition | lookup
    return condition


def public(queryset: models.QuerySet, today: datetime.date | None = None) -> models.QuerySet:
    """The records of the queryset that may be public: none belonging to a held-back review."""
    if not review_paths(queryset.model):
        return queryset
    hidden = _hidden_sql(queryset.model, today or timezone.localdate(), queryset.db)
    return queryset.exclude(pk__in=RawSQL(*hidden))


@lru_cache(maxsize=256)
def _hidden_sql(model, today: datetime.date, using: str) -> tuple[str, tuple]:
    """The SQL that selects the model's records held back on `today`, and its parameters.

    Made from `_withheld_condition` like every other question here, once a day for each
    model: building and compiling its nested subqueries was 1-2 ms of Python at each public
    query, the most of a staff preview's report of actions (issue 18 item 6)."""
    condition = _withheld_condition(model, today)
    hidden = model._default_manager.filter(condition).order_by().values("pk")
    return hidden.query.get_compiler(using=using).as_sql()


def agenda_items_public(queryset: models.QuerySet, today: datetime.date | None = None):
    """No agenda item (nor its paper) linked to a held-back review reaches the public: the link
    is a many-to-many relation, which the walk of review_paths does not follow."""
    from meetings.models import AgendaItem, Paper

    if queryset.model is AgendaItem:
        return queryset.exclude(case_reviews__in=withheld_reviews(today).values("pk"))
    if queryset.model is Paper:
        return queryset.exclude(agenda_item__case_reviews__in=withheld_reviews(today).values("pk"))
    return queryset


def held_back(queryset: models.QuerySet, today: datetime.date | None = None) -> models.QuerySet:
    """The records of the queryset that belong to or answer a held-back review."""
    condition = _withheld_condition(queryset.model, today)
    if condition is None:
        return queryset.none()
    return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))


def public_review_ids() -> set[int]:
    """The reviews the public may see now."""
    return set(public(CaseReview.objects.all()).values_list("pk", flat=True))


def held_back_records(today: datetime.date | None = None) -> dict[str, list[int]]:
    """Every record held back now, by model label: what an edition must not show."""
    found = {}
    for model in linked_models():
        pks = sorted(held_back(model._default_manager.all(), today).values_list("pk", flat=True))
        if pks:
            found[model._meta.label] = pks
    return found


def newest_keys() -> dict[str, int]:
    """The highest primary key of each linked model: records above it did not exist yet."""
    return {
        model._meta.label: model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
        for model in linked_models()
    }

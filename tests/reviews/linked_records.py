"""Records linked to a case review, of every kind the models allow, built from the models.

For each model with a path to a review (reviews/embargo.py finds them), one record is
built along each path, its text fields filled with a marker of its own, so a test can
look for every linked record's words on every public byte without knowing the kinds.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from bscb.core.models import Organisation, Priority, ReportingPeriod
from meetings.models import Meeting
from reviews.embargo import linked_models, review_paths
from reviews.models import Audit, CaseReview
from subgroups.models import Group

_numbers = itertools.count(1)


@dataclass
class World:
    period: ReportingPeriod
    review: CaseReview
    shared: dict = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)  # every linked record's words
    shown: dict[str, str] = field(default_factory=dict)  # a label and words the report prints

    @property
    def day(self) -> datetime.date:
        return self.period.start + datetime.timedelta(days=100)


def _value(world: World, f: models.Field):
    if f.choices:
        return f.choices[0][0]
    if isinstance(f, (models.URLField, models.FileField, models.EmailField, models.SlugField)):
        return "" if f.blank else f"x{next(_numbers)}"
    if isinstance(f, (models.CharField, models.TextField)):
        marker = f"LNK{next(_numbers):05d}Q"
        world.markers.append(marker)
        return marker
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return world.day
    if isinstance(f, models.BooleanField):
        return f.get_default()
    if isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField)):
        return f.get_default() if f.has_default() else next(_numbers)
    return f.get_default()


def build(world: World, model, given: dict):
    """One record of the model: given values, shared records, the review, markers elsewhere."""
    values = dict(given)
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in values or f.attname in values or not f.editable:
            continue
        if f.name == "version":
            continue
        if f.is_relation:
            target = f.related_model
            if target is CaseReview:
                values[f.name] = None if f.null else world.review
            elif target in world.shared:
                values[f.name] = world.shared[target]
            elif not f.null:
                values[f.name] = build(world, target, {})
            continue
        if f.has_default() and not isinstance(
            f, (models.CharField, models.TextField, models.DateField)
        ):
            continue
        values[f.name] = _value(world, f)
    obj = model._default_manager.create(**values)
    for m2m in model._meta.many_to_many:
        if m2m.related_model in world.shared:
            getattr(obj, m2m.name).add(world.shared[m2m.related_model])
    return obj


def build_along(world: World, model, segments: list[str]):
    """A record of the model linked to the world's review through the path's segments."""
    f = model._meta.get_field(segments[0])
    if segments[1:] == [] or segments[1:] == ["pk"]:
        return build(world, model, {f.name: world.review})
    if f.concrete:
        parent = build_along(world, f.related_model, segments[1:])
        return build(world, model, {f.name: parent})
    # One step back: a record that is part of the review points at this one.
    obj = build(world, model, {})
    build(world, f.related_model, {f.field.name: obj, segments[1]: world.review})
    return obj


def linked_world(period: ReportingPeriod, review: CaseReview) -> World:
    """A review with a record of every linked kind along every path, all in the period."""
    world = World(period=period, review=review)
    group = Group.objects.create(
        name=f"Group {next(_numbers)}", short_name="Group", slug=f"group-{next(_numbers)}"
    )
    world.shared = {
        ReportingPeriod: period,
        Group: group,
        Organisation: Organisation.objects.create(
            name=f"Agency {next(_numbers)}", short_name=f"A{next(_numbers)}"
        ),
        Priority: Priority.objects.create(
            name=f"Priority {next(_numbers)}", slug=f"priority-{next(_numbers)}"
        ),
        Meeting: Meeting.objects.create(group=group, date=world.day, is_public=True),
        Audit: Audit.objects.create(title=f"Audit {next(_numbers)}", date=world.day),
        get_user_model(): get_user_model().objects.create_user(f"author{next(_numbers)}"),
    }
    # An unlinked entry at the same meeting keeps the group's page in the report.
    world.shared[Meeting].entries.create(text="An entry about nothing held back.")
    for model in linked_models():
        if model is CaseReview:
            continue
        for path in review_paths(model):
            build_along(world, model, path.split("__"))
    return world

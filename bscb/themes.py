"""Themes: one priority followed across periods and groups, newest first.

Only published periods, only public meetings, and never an entry about a
review that is held back (the same querysets as the report).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from bscb.models import Priority, ReportingPeriod
from meetings.models import Entry
from reviews.models import CaseReview
from subgroups.models import Action
from training.models import Session


@dataclass
class ThemeYear:
    period: ReportingPeriod
    entries: list[Entry] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    reviews: list[CaseReview] = field(default_factory=list)
    courses: list[tuple[str, int]] = field(default_factory=list)  # (course, sessions held)


def theme(priority: Priority) -> list[ThemeYear]:
    periods = list(ReportingPeriod.objects.published().order_by("-start"))
    years = {p.pk: ThemeYear(p) for p in periods}

    def period_of(day):
        return next((p for p in periods if day and p.start <= day <= p.end), None)

    entries = (
        Entry.objects.public()
        .filter(priorities=priority, meeting__is_public=True)
        .select_related("meeting__group")
        .order_by("-meeting__date", "position", "pk")
    )
    for entry in entries:
        period = period_of(entry.meeting.date)
        if period:
            years[period.pk].entries.append(entry)

    publishable = CaseReview.objects.publishable()
    actions = (
        Action.objects.filter(priorities=priority, plan__period__in=periods)
        .filter(Q(plan__review__isnull=True) | Q(plan__review__in=publishable))
        .select_related("plan__group", "plan__period")
    )
    for action in actions:
        years[action.plan.period_id].actions.append(action)

    for review in publishable.filter(priorities=priority):
        dates = [
            review.panel_notified_on,
            review.held_on,
            review.signed_off_on,
            review.published_on,
        ]
        period = next((period_of(d) for d in dates if period_of(d)), None)
        if period:
            years[period.pk].reviews.append(review)

    for period in periods:
        sessions = (
            Session.objects.for_period(period)
            .held()
            .filter(course__priorities=priority)
            .values("course__title")
            .annotate(held=Count("pk"))
            .order_by("course__title")
        )
        years[period.pk].courses = [(row["course__title"], row["held"]) for row in sessions]
    return [y for y in years.values() if y.entries or y.actions or y.reviews or y.courses]

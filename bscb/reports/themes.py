"""Themes: one priority followed across periods and groups, newest first.

Publishing stores each priority's year with the edition (only public meetings,
never anything of a review that is held back: the same querysets as the
report); the theme page shows the stored years of the current editions, so it
changes only when a report is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from bscb.core import visibility
from bscb.core.models import Priority, ReportingPeriod
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


def theme(priority: Priority, periods: list[ReportingPeriod]) -> list[ThemeYear]:
    """The priority's year in each of the periods, from the records (publishing stores it)."""
    years = {p.pk: ThemeYear(p) for p in periods}

    def period_of(day):
        return next((p for p in periods if day and p.start <= day <= p.end), None)

    entries = (
        Entry.objects.public()
        .filter(priorities=priority, meeting__is_public=True)
        .filter(meeting__date__range=(min(p.start for p in periods), max(p.end for p in periods)))
        .select_related("meeting__group")
        .order_by("-meeting__date", "position", "pk")
    )
    for entry in entries:
        period = period_of(entry.meeting.date)
        if period:
            years[period.pk].entries.append(entry)

    actions = visibility.public(
        Action.objects.filter(priorities=priority, plan__period__in=periods)
    ).select_related("plan__group", "plan__period")
    for action in actions:
        years[action.plan.period_id].actions.append(action)

    for review in visibility.public(CaseReview.objects.filter(priorities=priority)):
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


THEME_FRAGMENT = "application/vnd.bscb.theme+html"


def theme_fragments(period: ReportingPeriod) -> dict[str, str]:
    """Each priority's year in the period, as HTML to store with the period's edition."""
    from django.template.loader import render_to_string

    fragments = {}
    for priority in Priority.objects.all():
        for year in theme(priority, [period]):
            fragments[f"theme:{priority.slug}"] = render_to_string(
                "bscb/theme_year.html", {"year": year}
            )
    return fragments


def stored_theme_years(priority: Priority) -> list[str]:
    """The priority's years as the current editions stored them, newest period first."""
    from django.utils.safestring import mark_safe

    from bscb.reports.models import EditionPage

    bodies = (
        EditionPage.objects.filter(
            edition__is_current=True,
            edition__period__status=ReportingPeriod.Status.PUBLISHED,
            path=f"theme:{priority.slug}",
        )
        .order_by("-edition__period__start")
        .values_list("body", flat=True)
    )
    return [mark_safe(body) for body in bodies]

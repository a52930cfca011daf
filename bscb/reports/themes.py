"""Themes: one priority followed across periods and groups, newest first.

Publishing stores each priority's year with the edition (only public meetings,
never anything of a review that is held back: the same querysets as the
report); the theme page shows the stored years of the current editions, so it
changes only when a report is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from bscb.core.models import Organisation, Priority, PriorityText, ReportingPeriod
from bscb.reports.report import groups_in_report
from meetings.models import Entry, Meeting
from reviews.models import CaseReview
from subgroups.models import Action
from training.models import Session


@dataclass
class ThemeYear:
    period: ReportingPeriod
    text: PriorityText | None = None  # the priority as the period's report words it
    entries: list[Entry] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    reviews: list[CaseReview] = field(default_factory=list)
    courses: list[tuple[str, int]] = field(default_factory=list)  # (course, sessions held)


def theme(
    priority: Priority,
    periods: list[ReportingPeriod],
    groups: dict[int, set[int]] | None = None,
    texts: dict[int, PriorityText] | None = None,
) -> list[ThemeYear]:
    """The priority's year in each of the periods, from the records (publishing stores it).

    Each period holds what the period's report holds, by the same queryset methods.
    `groups` gives each period's groups in the report where the caller has them already,
    `texts` the priority's text for each period (by period id).
    """
    groups = groups or {}
    if texts is None:
        texts = {
            text.period_id: text
            for text in priority.texts.filter(period__in=periods)
            .select_related("lead_person")
            .prefetch_related(
                Prefetch("lead_organisations", queryset=Organisation.objects.order_by("name"))
            )
        }
    years = []
    for period in periods:
        in_report = groups[period.pk] if period.pk in groups else groups_in_report(period)
        year = ThemeYear(period, texts.get(period.pk))
        year.entries = list(
            Entry.objects.public()
            .filter(
                priorities=priority,
                meeting__in=Meeting.objects.for_period(period).public().filter(group__in=in_report),
            )
            .select_related("meeting__group")
            .order_by("-meeting__date", "position", "pk")
        )
        year.actions = list(
            Action.objects.for_period(period)
            .public()
            .filter(priorities=priority)
            .select_related("plan__group", "plan__period")
        )
        year.reviews = list(
            CaseReview.objects.public().for_period(period).filter(priorities=priority)
        )
        sessions = (
            Session.objects.for_period(period)
            .held()
            .filter(course__priorities=priority)
            .values("course__title")
            .annotate(held=Count("pk"))
            .order_by("course__title")
        )
        year.courses = [(row["course__title"], row["held"]) for row in sessions]
        if year.text or year.entries or year.actions or year.reviews or year.courses:
            years.append(year)
    return years


THEME_FRAGMENT = "application/vnd.bscb.theme+html"


def theme_fragments(period: ReportingPeriod) -> dict[str, str]:
    """Each priority's year in the period, as HTML to store with the period's edition."""
    from django.template.loader import render_to_string

    fragments = {}
    groups = {period.pk: groups_in_report(period)}  # once, not once a priority
    texts = {
        text.priority_id: text
        for text in PriorityText.objects.filter(period=period)
        .select_related("lead_person")
        .prefetch_related(
            Prefetch("lead_organisations", queryset=Organisation.objects.order_by("name"))
        )
    }
    for priority in Priority.objects.all():
        text = texts.get(priority.pk)
        for year in theme(priority, [period], groups, {period.pk: text} if text else {}):
            fragments[f"theme:{priority.slug}"] = render_to_string(
                "bscb/theme_year.html", {"year": year}
            )
    return fragments


def stored_theme_years(priority: Priority) -> list[str]:
    """The priority's years as the current editions stored them, newest period first."""
    from django.utils.safestring import mark_safe

    from bscb.reports.models import EditionPage

    bodies = (
        EditionPage.objects.current()
        .filter(
            path=f"theme:{priority.slug}",
        )
        .order_by("-edition__period__start")
        .values_list("body", flat=True)
    )
    return [mark_safe(body) for body in bodies]

"""The annual report of a period: its sections in the source's order, and what each one shows.

Each section has a partial template and a function that gathers its context
from the records. Section pages, the whole report on one page, the PDF and
the published editions all render sections through here, so they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Sum
from django.template.loader import render_to_string
from django.urls import reverse

from bscb.core import visibility
from bscb.core.models import KeyFigure, Organisation, ReportingPeriod
from funding.models import funding_for
from meetings.attendance import who_attends
from meetings.models import Meeting
from reviews.models import Audit, CaseReview, ChildDeathFigures, LearningMaterial, Recommendation
from subgroups.models import Group
from subgroups.progress import actions_in, progress
from training.figures import training_figures

# Heading elements: a section page starts at h2 under its h1; the whole report one level lower.
PAGE_LEVELS = {"h2": "h2", "h3": "h3", "h4": "h4"}
REPORT_LEVELS = {"h2": "h3", "h3": "h4", "h4": "h5"}


def report_meetings(period: ReportingPeriod, groups) -> list[Meeting]:
    return list(Meeting.objects.for_period(period).public().filter(group__in=groups).with_entries())


def previous_period(period: ReportingPeriod, viewer) -> ReportingPeriod | None:
    """The period before this one that the viewer may see, for year-on-year figures."""
    return (
        ReportingPeriod.objects.visible_to(viewer)
        .filter(end__lt=period.start)
        .order_by("-end")
        .first()
    )


def board_context(period, viewer):
    groups = list(
        Group.objects.for_period(period).filter(kind__in=[Group.Kind.BOARD, Group.Kind.EXECUTIVE])
    )
    meetings = report_meetings(period, groups)
    # "The Board met N times" counts every meeting, public in the report or not.
    totals = dict(
        Meeting.objects.for_period(period)
        .filter(group__in=groups)
        .values_list("group")
        .annotate(total=Count("id"))
        .order_by()
    )
    for group in groups:
        group.report_meetings = [m for m in meetings if m.group_id == group.pk]
        group.meeting_total = totals.get(group.pk, 0)
    priorities = list(
        period.priorities.prefetch_related(
            Prefetch("lead_organisations", queryset=Organisation.objects.order_by("name"))
        )
    )
    # Each priority's progress: the actions tagged with it, in plans open during the period.
    tagged = list(
        actions_in(period)
        .filter(priorities__in=priorities)
        .distinct()
        .prefetch_related("priorities")
    )
    for priority in priorities:
        priority.progress = progress([a for a in tagged if priority in a.priorities.all()], period)
    return {"groups": groups, "priorities": priorities}


def group_context(period, viewer, group):
    return {
        "group": group,
        "meetings": report_meetings(period, [group]),
        "work_plan": progress(list(actions_in(period).filter(plan__group=group)), period),
    }


def local_context(period, viewer):
    return {"key_figures": KeyFigure.objects.filter(period=period).select_related("source")}


def sources_context(period, viewer):
    return {"sources": period.sources.all()}


def child_deaths_context(period, viewer):
    meetings = list(
        Meeting.objects.for_period(period)
        .public()
        .filter(panel_cases__isnull=False)
        .with_entries()
        .select_related("panel_cases")
        .order_by("date", "pk")
    )
    return {
        "panel": Group.objects.filter(kind=Group.Kind.PANEL).order_by("position").first(),
        "meetings": meetings,
        # Every panel meeting of the period counts, public in the report or not.
        "total": Meeting.objects.for_period(period)
        .filter(panel_cases__isnull=False)
        .aggregate(total=Sum("panel_cases__cases_reviewed"))["total"]
        or 0,
        "figures": ChildDeathFigures.objects.filter(period=period).first(),
    }


def case_reviews_context(period, viewer):
    """Only publishable reviews; a held-back one only as a count."""
    span = (period.start, period.end)
    publishable = CaseReview.objects.publishable()
    review_groups = Group.objects.filter(
        kind=Group.Kind.SUBGROUP, case_reviews__isnull=False
    ).distinct()
    return {
        "notified": publishable.filter(panel_notified_on__range=span).order_by("panel_notified_on"),
        "held": publishable.filter(held_on__range=span).order_by("held_on"),
        "signed_off": publishable.filter(signed_off_on__range=span).order_by("signed_off_on"),
        "withheld": CaseReview.objects.withheld().filter(signed_off_on__range=span).count(),
        "learning": LearningMaterial.objects.publishable()
        .for_period(period)
        .select_related("review", "audit"),
        # The record of decisions and actions on review recommendations: recommendation -> action.
        "recommendations": visibility.public(Recommendation.objects.all())
        .select_related("review", "agency", "action__plan")
        .order_by("review__pseudonym", "number"),
        "meetings_held": Meeting.objects.for_period(period)
        .filter(group__in=review_groups)
        .values("group__name")
        .annotate(total=Count("pk"))
        .order_by("group__name"),
    }


def audits_context(period, viewer):
    return {
        "audits": Audit.objects.filter(date__range=(period.start, period.end))
        .select_related("lead_group")
        .prefetch_related(
            Prefetch(
                "learning_materials",
                queryset=LearningMaterial.objects.publishable(),
                to_attr="public_learning",
            )
        )
    }


def training_context(period, viewer):
    return {"figures": training_figures(period)}


def who_attends_context(period, viewer):
    return {
        "who": who_attends(period),
        "statutory": [
            ("local_authority", "Local authority"),
            ("police", "Police"),
            ("health", "Health"),
        ],
    }


def funding_context(period, viewer):
    return {"funding": funding_for(period, previous_period(period, viewer))}


def no_context(period, viewer):
    return {}


@dataclass
class Section:
    slug: str
    title: str
    template: str
    context: Callable
    url_name: str
    shown: Callable[[ReportingPeriod], bool] = field(default=lambda period: True)
    group: Group | None = None

    def url(self, period: ReportingPeriod) -> str:
        if self.group is not None:
            return reverse("group_detail", args=[period.slug, self.group.slug])
        return reverse(self.url_name, args=[period.slug])

    def render(self, period, viewer, request=None, levels=PAGE_LEVELS) -> str:
        extra = (
            self.context(period, viewer, self.group) if self.group else self.context(period, viewer)
        )
        return render_to_string(
            self.template, {"period": period, **extra, **levels}, request=request
        )


# The source's order. Groups come after the Board (see report_sections).
SECTIONS = [
    Section(
        "foreword",
        "Foreword",
        "report/sections/foreword.html",
        no_context,
        "foreword",
        shown=lambda p: bool(p.foreword),
    ),
    Section(
        "local-context",
        "Local context",
        "report/sections/local_context.html",
        local_context,
        "local_context",
        shown=lambda p: bool(p.local_context) or p.key_figures.exists(),
    ),
    Section(
        "board",
        "The work of the Board",
        "report/sections/board.html",
        board_context,
        "board_detail",
    ),
    Section(
        "child-death-overview-panel",
        "Child Death Overview Panel",
        "report/sections/child_deaths.html",
        child_deaths_context,
        "child_deaths",
    ),
    Section(
        "case-reviews",
        "Serious case reviews",
        "report/sections/case_reviews.html",
        case_reviews_context,
        "case_reviews",
    ),
    Section(
        "audits", "Audits and assurance", "report/sections/audits.html", audits_context, "audits"
    ),
    Section("training", "Training", "report/sections/training.html", training_context, "training"),
    Section(
        "who-attends",
        "Who attends",
        "report/sections/who_attends.html",
        who_attends_context,
        "who_attends",
    ),
    Section(
        "funding", "How were we funded?", "report/sections/funding.html", funding_context, "funding"
    ),
    Section(
        "whats-next",
        "What's next for the Board?",
        "report/sections/whats_next.html",
        no_context,
        "whats_next",
        shown=lambda p: bool(p.whats_next),
    ),
    Section(
        "sources",
        "Sources",
        "report/sections/sources.html",
        sources_context,
        "sources",
        shown=lambda p: p.sources.exists(),
    ),
    Section(
        "scrutiny",
        "Independent scrutineer's statement",
        "report/sections/scrutiny.html",
        no_context,
        "scrutiny",
        shown=lambda p: bool(p.scrutineer_statement),
    ),
]
SECTIONS_BY_SLUG = {s.slug: s for s in SECTIONS}


def report_groups(period: ReportingPeriod):
    """The groups with a section of their own: those with public meetings in the period."""
    return (
        Group.objects.for_period(period)
        .exclude(kind__in=[Group.Kind.BOARD, Group.Kind.EXECUTIVE, Group.Kind.PANEL])
        .filter(meetings__date__range=(period.start, period.end), meetings__is_public=True)
        .distinct()
        .order_by("position", "name")
    )


def group_section(group: Group) -> Section:
    return Section(
        f"groups/{group.slug}",
        group.name,
        "report/sections/group.html",
        group_context,
        "group_detail",
        group=group,
    )


def report_sections(period: ReportingPeriod) -> list[Section]:
    """Every section the period's report has, in order."""
    sections = [s for s in SECTIONS if s.shown(period)]
    board_at = next(i for i, s in enumerate(sections) if s.slug == "board") + 1
    groups = [group_section(g) for g in report_groups(period)]
    return sections[:board_at] + groups + sections[board_at:]


def neighbours(sections: list[Section], slug: str) -> tuple[Section | None, Section | None]:
    index = next((i for i, s in enumerate(sections) if s.slug == slug), None)
    if index is None:
        return None, None
    before = sections[index - 1] if index > 0 else None
    after = sections[index + 1] if index + 1 < len(sections) else None
    return before, after


def find_section(period: ReportingPeriod, slug: str) -> Section | None:
    """The section of this period's report at this address (a group's: "groups/<slug>")."""
    return next((s for s in report_sections(period) if s.slug == slug), None)

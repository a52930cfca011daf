from django.db.models import Count, Sum
from django.shortcuts import render

from bscb.views import period_for
from meetings.models import Meeting
from reviews.models import (
    Audit,
    CaseReview,
    ChildDeathFigures,
    LearningMaterial,
    Recommendation,
)
from subgroups.models import Group


def case_reviews_section(request, period):
    """Serious case reviews: only publishable reviews; a held-back one only as a count."""
    period = period_for(request, period)
    span = (period.start, period.end)
    publishable = CaseReview.objects.publishable()
    notified = publishable.filter(panel_notified_on__range=span).order_by("panel_notified_on")
    held = publishable.filter(held_on__range=span).order_by("held_on")
    signed_off = publishable.filter(signed_off_on__range=span).order_by("signed_off_on")
    withheld = CaseReview.objects.withheld().filter(signed_off_on__range=span).count()
    learning = (
        LearningMaterial.objects.publishable().for_period(period).select_related("review", "audit")
    )
    # The record of decisions and actions on review recommendations: recommendation -> action.
    recommendations = (
        Recommendation.objects.filter(review__in=publishable)
        .select_related("review", "agency", "action__plan")
        .order_by("review__pseudonym", "number")
    )
    review_groups = Group.objects.filter(
        kind=Group.Kind.SUBGROUP, case_reviews__isnull=False
    ).distinct()
    meetings_held = (
        Meeting.objects.for_period(period)
        .filter(group__in=review_groups)
        .values("group__name")
        .annotate(total=Count("pk"))
        .order_by("group__name")
    )
    return render(
        request,
        "reviews/case_reviews_section.html",
        {
            "period": period,
            "notified": notified,
            "held": held,
            "signed_off": signed_off,
            "withheld": withheld,
            "learning": learning,
            "meetings_held": meetings_held,
            "recommendations": recommendations,
        },
    )


def child_deaths_section(request, period):
    period = period_for(request, period)
    meetings = list(
        Meeting.objects.for_period(period)
        .public()
        .filter(panel_cases__isnull=False)
        .with_entries()
        .select_related("panel_cases")
        .order_by("date", "pk")
    )
    panel = Group.objects.filter(kind=Group.Kind.PANEL).order_by("position").first()
    return render(
        request,
        "reviews/child_deaths_section.html",
        {
            "period": period,
            "panel": panel,
            "meetings": meetings,
            # Every panel meeting of the period counts, public in the report or not.
            "total": Meeting.objects.for_period(period)
            .filter(panel_cases__isnull=False)
            .aggregate(total=Sum("panel_cases__cases_reviewed"))["total"]
            or 0,
            "figures": ChildDeathFigures.objects.filter(period=period).first(),
        },
    )


def audits_section(request, period):
    period = period_for(request, period)
    audits = (
        Audit.objects.filter(date__range=(period.start, period.end))
        .select_related("lead_group")
        .prefetch_related("learning_materials")
    )
    return render(request, "reviews/audits_section.html", {"period": period, "audits": audits})

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from bscb.models import Organisation, ReportingPeriod
from meetings.models import Meeting
from subgroups.models import Group
from subgroups.progress import actions_in, progress


def period_for(request, slug: str) -> ReportingPeriod:
    """The period named in the address, if this visitor may see it: drafts are staff-only."""
    return get_object_or_404(ReportingPeriod.objects.visible_to(request.user), slug=slug)


def previous_period_for(request, period: ReportingPeriod) -> ReportingPeriod | None:
    """The period before this one that this visitor may see, for year-on-year figures."""
    return (
        ReportingPeriod.objects.visible_to(request.user)
        .filter(end__lt=period.start)
        .order_by("-end")
        .first()
    )


def report_meetings(period: ReportingPeriod, groups):
    return list(Meeting.objects.for_period(period).public().filter(group__in=groups).with_entries())


def home(request):
    periods = ReportingPeriod.objects.visible_to(request.user)
    return render(request, "bscb/home.html", {"periods": periods})


def period_detail(request, period):
    period = period_for(request, period)
    groups = Group.objects.for_period(period)
    return render(request, "bscb/period_detail.html", {"period": period, "period_groups": groups})


def board_detail(request, period):
    period = period_for(request, period)
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
        actions = [a for a in tagged if priority in a.priorities.all()]
        priority.progress = progress(actions, period)
    return render(
        request,
        "bscb/board_detail.html",
        {"period": period, "groups": groups, "priorities": priorities},
    )

from django.shortcuts import get_object_or_404, render

from bscb.views import period_for, report_meetings
from subgroups.models import Group
from subgroups.progress import actions_in, progress


def group_detail(request, period, group):
    period = period_for(request, period)
    group = get_object_or_404(
        Group.objects.for_period(period).select_related("chair_organisation"), slug=group
    )
    meetings = report_meetings(period, [group])
    work_plan = progress(list(actions_in(period).filter(plan__group=group)), period)
    return render(
        request,
        "subgroups/group_detail.html",
        {"period": period, "group": group, "meetings": meetings, "work_plan": work_plan},
    )

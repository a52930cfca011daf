from django.shortcuts import get_object_or_404, render

from bscb.core.shortcuts import period_for
from meetings.models import Meeting


def meeting_detail(request, period, group, pk):
    period = period_for(request, period)
    meeting = get_object_or_404(
        Meeting.objects.for_period(period).public().with_entries(), group__slug=group, pk=pk
    )
    attendances = meeting.attendances.select_related("organisation")
    # Meetings whose date was lost are told apart by their place in the group's year.
    number = None if meeting.date_known else meeting.number_in(period)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "period": period,
            "group": meeting.group,
            "meeting": meeting,
            "attendances": attendances,
            "number": number,
        },
    )

"""The chairs' workspace for meetings: the agenda, papers and minutes of a group's meetings.

One helper gives each view its meeting: the group's rules (subgroups/rules.py) decide who may
read it (404 to anyone else) and who may change it (403 to a reader); meetings/rules.py
decides whose page links the papers.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from meetings.forms import MinutesForm
from meetings.minutes import ActionArising, minutes_actions_raise, minutes_agree
from meetings.models import AgendaItem, Meeting, MinutesStatus, Paper
from meetings.rules import readable_papers, reads_in_confidence, reads_minutes
from subgroups.models import Action
from subgroups.workspace import _check, _revision, workspace_view


def _get_meeting_for_user(request, pk: int, *, write: bool = False) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    _check(request, meeting.group, write=write)
    return meeting


def _get_item_for_user(request, pk: int, item: int, *, write: bool = False) -> AgendaItem:
    meeting = _get_meeting_for_user(request, pk, write=write)
    found = get_object_or_404(
        AgendaItem.objects.select_related("action_plan"), pk=item, meeting=meeting
    )
    found.meeting = meeting
    return found


@workspace_view
def meeting_detail(request, pk):
    """The meeting's agenda, papers and minutes; a reader not on the group (a board member)
    sees a confidential item as no more than that, and the minutes once approved
    (meetings/rules.py)."""
    meeting = _get_meeting_for_user(request, pk)
    items = list(
        meeting.agenda_items.prefetch_related(
            Prefetch("papers", queryset=Paper.objects.order_by("id")),
            Prefetch(
                "actions_arising",
                queryset=Action.objects.select_related("owner_organisation", "plan"),
            ),
        )
    )
    in_confidence = reads_in_confidence(request.user, meeting.group)
    readable = set(readable_papers(request.user, meeting).values_list("pk", flat=True))
    for item in items:
        item.shown = item.named_to(in_confidence)
        item.papers_shown = [p for p in item.papers.all() if p.pk in readable]
        item.papers_held = len(item.papers.all()) - len(item.papers_shown)
    can_change = request.user.has_perm("subgroups.change_group_work", meeting.group)
    return render(
        request,
        "workspace/meeting_detail.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "items": items,
            "minutes_shown": reads_minutes(request.user, meeting),
            "can_change": can_change,
            "can_write_minutes": can_change and meeting.minutes_status == MinutesStatus.DRAFT,
        },
    )


@workspace_view
@transaction.atomic
def item_minutes(request, pk, item):
    """Minutes, decisions and an action arising of one item, saved in one step."""
    item = _get_item_for_user(request, pk, item, write=True)
    meeting = item.meeting
    form = MinutesForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arising = []
        if data["action"]:
            arising.append(
                ActionArising(
                    description=data["action"],
                    owner_organisation=data["owner_organisation"],
                    lead=data["lead"],
                    due_on=data["due_on"],
                )
            )
        try:
            with transaction.atomic(), _revision(request, "Minutes recorded in the workspace"):
                minutes_actions_raise(
                    item=item,
                    minutes_text=data["minutes_text"],
                    decisions=data["decisions"],
                    actions=arising,
                )
        except ValidationError as error:
            form.add_model_error(error)
        else:
            messages.success(
                request,
                "The minutes are saved"
                + (", and the action is in the group's action plan." if arising else "."),
            )
            return redirect("workspace_meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "workspace/minutes_form.html",
        {"meeting": meeting, "group": meeting.group, "item": item, "form": form},
    )


@workspace_view
@transaction.atomic
def agree_minutes(request, pk):
    """The chair agrees the draft minutes (a POST: the button is on the meeting's page)."""
    meeting = _get_meeting_for_user(request, pk, write=True)
    if request.method != "POST":
        return redirect("workspace_meetings:meeting", pk=meeting.pk)
    try:
        with _revision(request, "Minutes agreed by the chair"):
            minutes_agree(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The minutes are agreed.")
    return redirect("workspace_meetings:meeting", pk=meeting.pk)

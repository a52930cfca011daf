"""The public meetings pages, and the downloads of papers and packs (meetings/rules.py decides who)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from bscb.core.uploads import document_response
from meetings.minutes import public_minutes
from meetings.models import AgendaItem, Meeting, Paper
from meetings.rules import pack_for, public_meeting_papers, public_pack_still_public, public_papers
from subgroups.models import Group


def _open_items():
    return AgendaItem.objects.public()


# Past meetings are listed this many to a page.
PAST_PER_PAGE = 20


def upcoming_meetings(request):
    """The coming meetings of the groups that publish their agendas, soonest first; then each
    group with past meetings whose minutes are public, leading to their list."""
    meetings = (
        Meeting.objects.with_public_agenda()
        .upcoming(timezone.localdate())
        .select_related("group")
        .annotate(open_items=Count("agenda_items", filter=Q(agenda_items__in=_open_items())))
        .order_by("date", "start_time", "id")
    )
    past = (
        Meeting.objects.with_public_minutes()
        .values("group__name", "group__slug")
        .annotate(total=Count("pk"))
        .order_by("group__position", "group__name")
    )
    return render(request, "meetings/upcoming.html", {"meetings": meetings, "past": past})


def past_meetings(request, group: str):
    """A group's meetings whose minutes are public, newest first, a page at a time (a page
    number that is no number, or past the end, gets the first or the last page)."""
    group = get_object_or_404(Group, slug=group, publishes_agendas=True)
    meetings = (
        Meeting.objects.with_public_minutes()
        .filter(group=group)
        .select_related("group")
        .order_by("-date", "-pk")
    )
    page = Paginator(meetings, PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "meetings/past.html", {"group": group, "page": page})


def meeting(request, pk: int):
    """A meeting of a group that publishes its agendas: the open items once the agenda is out."""
    meeting = get_object_or_404(
        Meeting.objects.with_public_agenda().select_related("group", "minutes_approved_at"), pk=pk
    )
    items, confidential, papers_out = [], 0, False
    minutes_out = public_minutes(meeting)
    if meeting.is_agenda_published or minutes_out:
        papers_out = public_meeting_papers(meeting)
        papers = Prefetch("papers", queryset=public_papers(meeting))
        items = list(meeting.agenda_items.public().prefetch_related(papers))
        confidential = meeting.agenda_items.count() - len(items)
    context = {
        "meeting": meeting,
        "items": items,
        "confidential": confidential,
        "papers_out": papers_out,
        "minutes_out": minutes_out,
        "public_pack": papers_out
        and bool(meeting.public_pack)
        and public_pack_still_public(meeting),
    }
    return render(request, "meetings/meeting.html", context)


def paper(request, pk: int, paper: int):
    """A paper, to whoever may read it (meetings.read_paper); 404 to anyone else."""
    found = get_object_or_404(
        Paper.objects.select_related("agenda_item__meeting__group"), pk=paper, meeting_id=pk
    )
    if not request.user.has_perm("meetings.read_paper", found):
        raise Http404
    return document_response(found.file)


def pack(request, pk: int):
    """The meeting pack this person may have: the whole one, or the public one (?public=1
    asks for the public one); 404 when neither."""
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    file = pack_for(request.user, meeting, want_public=bool(request.GET.get("public")))
    if file is None:
        raise Http404
    return document_response(file)

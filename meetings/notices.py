"""The meeting cycle's emails: the agenda and papers are out (with the meeting as an iCalendar
attachment), papers due soon, draft minutes for the chair to agree.

Recipients: the group's chairs with an email and the support team's address; the agenda and
papers also go to each member and deputy whose person on record has a sign-in with an email.
Who an email is for is asked again before a held one goes in a digest (`audience`)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bscb.core.models import Board
from bscb.core.working_days import subtract_working_days
from bscb.notices.models import Kind
from bscb.notices.send import audience, key_pk, meeting_calendar, notify, people, site_url
from meetings.models import Meeting
from subgroups.models import Membership

# Paper authors are reminded this many working days before the papers are due.
PAPERS_REMINDER_WORKING_DAYS = 3


def meeting_chairs(meeting: Meeting):
    """Who is asked to agree the minutes and reminded of missing papers: the group's chairs."""
    return meeting.group.chairs.all()


def meeting_members(meeting: Meeting):
    """Who the agenda and papers go to: the group's chairs, and the members and deputies who
    sit on it today."""
    seated = Membership.objects.on().filter(group=meeting.group_id).sign_ins()
    return [*meeting.group.chairs.all(), *seated]


def _meeting_of(key: str) -> Meeting | None:
    return Meeting.objects.select_related("group").filter(pk=key_pk(key)).first()


@audience(Kind.PAPERS_CIRCULATED)
def _members_of(key: str):
    meeting = _meeting_of(key)
    return meeting_members(meeting) if meeting else []


@audience(Kind.PAPERS_DUE, Kind.MINUTES_FOR_AGREEMENT)
def _chairs_of(key: str):
    meeting = _meeting_of(key)
    return meeting_chairs(meeting) if meeting else []


def _link(meeting: Meeting) -> str:
    return site_url(reverse("workspace:group", args=[meeting.group.slug]))


def calendar_for(meeting: Meeting):
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "localhost"
    return meeting_calendar(
        uid=f"meeting-{meeting.pk}@{host}",
        summary=f"{meeting.display_title} ({meeting.group.short_name})",
        day=meeting.date,
        start=meeting.start_time,
        place=meeting.place,
        stamp=meeting.updated_at or timezone.now(),
        url=_link(meeting),
        prodid=f"-//{Board.load().name}//Meetings//EN",
    )


def notify_papers_circulated(meeting: Meeting):
    """To the group's chairs, the members and deputies who sit on it today, and the support
    team; once per person and meeting: circulating again (a late paper) sends nothing more."""
    items = list(meeting.agenda_items.all())
    return notify(
        Kind.PAPERS_CIRCULATED,
        people(meeting_members(meeting), settings.SUPPORT_TEAM_EMAIL),
        key=f"meeting:{meeting.pk}",
        template="papers_circulated",
        context={"meeting": meeting, "items": items, "link": _link(meeting)},
        subject=f"Agenda and papers: {meeting.display_title}, {meeting.display_date}",
        attachment=calendar_for(meeting) if meeting.date_known else None,
    )


def notify_minutes_for_agreement(meeting: Meeting):
    """The draft minutes are ready: the group's chairs are asked to agree them. Once per
    chair and meeting. For the minutes' "send to the chair" step to call."""
    return notify(
        Kind.MINUTES_FOR_AGREEMENT,
        people(meeting_chairs(meeting)),
        key=f"meeting:{meeting.pk}",
        template="minutes_for_agreement",
        context={"meeting": meeting, "link": _link(meeting)},
        subject=f"Draft minutes to agree: {meeting.display_title}, {meeting.display_date}",
    )


def papers_due_on(meeting: Meeting) -> datetime.date | None:
    """Papers go out with the agenda: they are due the day it is due."""
    return meeting.agenda_due_on


def remind_papers_due(today: datetime.date | None = None):
    """Meetings whose papers are due within the next few working days, not yet circulated,
    with items still without a paper: one reminder per person and due date."""
    today = today or timezone.localdate()
    made = []
    meetings = (
        Meeting.objects.upcoming(today)
        .filter(date_known=True, papers_circulated_at__isnull=True)
        .select_related("group")
        .prefetch_related("group__chairs", "agenda_items__papers")
    )
    for meeting in meetings:
        due = papers_due_on(meeting)
        if due is None or due < today:
            continue
        if subtract_working_days(due, PAPERS_REMINDER_WORKING_DAYS) > today:
            continue
        missing = [item for item in meeting.agenda_items.all() if not item.papers.all()]
        if not missing:
            continue
        made += notify(
            Kind.PAPERS_DUE,
            people(meeting_chairs(meeting), settings.SUPPORT_TEAM_EMAIL),
            key=f"meeting:{meeting.pk}:{due.isoformat()}",
            template="papers_due",
            context={"meeting": meeting, "items": missing, "due": due, "link": _link(meeting)},
            subject=f"Papers due by {due.day} {due:%B %Y}: {meeting.display_title}",
        )
    return made

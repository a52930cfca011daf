"""The meeting cycle's steps the support team takes: publishing the agenda, circulating the papers."""

from __future__ import annotations

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from meetings.models import Meeting
from meetings.notices import notify_papers_circulated
from meetings.pack import PackResult, build_packs


def publish_agenda(meeting: Meeting, user) -> Meeting:
    """The agenda goes out: members read it, and the public its open items where the group
    publishes its agendas. Publishing again keeps the first time."""
    with transaction.atomic(), reversion.create_revision():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.agenda_published_at is None:
            meeting.agenda_published_at = timezone.now()
            meeting.save()
        reversion.set_user(user)
        reversion.set_comment("Published the agenda.")
    return meeting


def circulate_papers(meeting: Meeting, user) -> PackResult:
    """The papers go out with the agenda (published now if it was not), and the meeting pack is
    made from them. Circulating again (a late paper) makes the packs afresh and keeps the
    first time the papers went out."""
    with transaction.atomic(), reversion.create_revision():
        locked = Meeting.objects.select_related("group").select_for_update(of=("self",))
        meeting = locked.get(pk=meeting.pk)
        now = timezone.now()
        meeting.agenda_published_at = meeting.agenda_published_at or now
        meeting.papers_circulated_at = meeting.papers_circulated_at or now
        result = build_packs(meeting)
        meeting.save()
        # Sent once the papers are committed as circulated; once per person and meeting.
        notify_papers_circulated(meeting)
        reversion.set_user(user)
        reversion.set_comment("Circulated the papers and made the meeting pack.")
    return result


def publish_explanation(meeting: Meeting) -> str:
    due = meeting.agenda_due_on
    when = f" It is due out by {date_format(due)}." if due else ""
    public = (
        " The public meetings page will show its open items (never a confidential item)."
        if meeting.is_public and meeting.group.publishes_agendas
        else " The public will not see it: this group does not publish its agendas."
    )
    return f"Members will be able to read the agenda of {meeting}.{when}{public}"


def circulate_explanation(meeting: Meeting) -> str:
    public = (
        " The public may download the open items' papers and the public pack."
        if meeting.is_public and meeting.group.publishes_papers
        else " The public will not see them: this group does not publish its papers."
    )
    again = (
        " The papers went out before: the packs will be made afresh with the papers as they are now."
        if meeting.papers_circulated_at
        else ""
    )
    return (
        f"This makes the meeting pack of {meeting} (the agenda, then each PDF paper in "
        f"agenda order) and marks the papers as circulated, publishing the agenda if it is "
        f"not yet.{again}{public}"
    )

"""The meeting cycle's steps the support team takes: publishing the agenda, circulating the papers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from meetings.models import Meeting, MinutesStatus, Paper
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


def circulate_papers(meeting: Meeting, user, progress=None, circulated=None) -> PackResult:
    """The papers go out with the agenda (published now if it was not), and the meeting pack is
    made from them. Circulating again (a late paper) makes the packs afresh and keeps the
    first time the papers went out.

    The packs are made first, outside any transaction (a few seconds a pack, with WeasyPrint),
    into new files: members get the old packs until the one short transaction below names the
    new ones, and a failure on the way leaves the old ones. `progress(step, done, total)`
    hears each paper (the background task's run records it); `circulated(result)` is called
    inside the transaction that circulates, so that the run says "circulated" exactly when
    the papers are.
    """
    meeting = Meeting.objects.select_related("group").get(pk=meeting.pk)
    result = build_packs(meeting, **({"progress": progress} if progress else {}))
    storage = meeting.pack.storage
    if progress:
        progress("Circulating the papers")
    committed = []  # once the meeting names the new files, they stay whatever fails after
    try:
        with transaction.atomic(), reversion.create_revision():
            transaction.on_commit(lambda: committed.append(True))
            locked = Meeting.objects.select_related("group").select_for_update(of=("self",))
            row = locked.get(pk=meeting.pk)
            now = timezone.now()
            row.agenda_published_at = row.agenda_published_at or now
            row.papers_circulated_at = row.papers_circulated_at or now
            # The files the meeting names now go once this commits (another circulation
            # may have replaced those the packs were made beside).
            result.replaced = [
                name
                for name in (row.pack.name, row.public_pack.name)
                if name and name not in result.written
            ]
            row.pack = meeting.pack.name
            row.public_pack = meeting.public_pack.name
            row.public_pack_contents = meeting.public_pack_contents
            row.save()
            result.keep(storage)
            # Every paper is in the packs now: those not yet out go out (an update: the file
            # is the one circulated, so Paper.save has nothing to compare).
            # Only those the packs were made from, as they were: one uploaded or replaced
            # meanwhile waits for the next time.
            waiting = row.papers.select_for_update().filter(
                pk__in=result.papers, circulated_at__isnull=True
            )
            in_the_pack = [
                pk for pk, name in waiting.values_list("pk", "file") if result.papers[pk] == name
            ]
            row.papers.filter(pk__in=in_the_pack).update(circulated_at=now)
            # Sent once the papers are committed as circulated; once per person and meeting.
            notify_papers_circulated(row)
            reversion.set_user(user)
            reversion.set_comment("Circulated the papers and made the meeting pack.")
            if circulated:
                circulated(result)
    except BaseException:
        if not committed:
            result.discard(storage)
        raise
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


def papers_not_out_text(count: int) -> str:
    return (
        f"{count} paper{'s' if count != 1 else ''} added or replaced since the papers were "
        "circulated: in no pack and not public until you circulate the papers again"
    )


# The meeting cycle view's window: the meetings to prepare, and those just held to finish.
WEEKS_AHEAD = 8
WEEKS_BEHIND = 4


def minutes_not_agreed(meeting: Meeting) -> bool:
    """Whether a held meeting's minutes still wait for the chair to agree them (a field of
    the meeting: no query)."""
    return meeting.minutes_status == MinutesStatus.DRAFT


@dataclass
class CycleRow:
    meeting: Meeting
    agenda_due_on: datetime.date | None
    missing: list[str] = field(default_factory=list)
    # What is coming, not yet late: "Agenda due out by 3 December 2026".
    next_step: str = ""


def _late(moment, due: datetime.date) -> bool:
    return moment is not None and timezone.localdate(moment) > due


def cycle_rows(today: datetime.date | None = None) -> list[CycleRow]:
    """The meetings of the last WEEKS_BEHIND and the next WEEKS_AHEAD weeks, each with what is
    missing: an agenda not out by its due date, papers not circulated by then, a held
    meeting's register not filled, its minutes not agreed. One query, whatever the number of
    meetings."""
    today = today or timezone.localdate()
    meetings = (
        Meeting.objects.between(
            today - datetime.timedelta(weeks=WEEKS_BEHIND),
            today + datetime.timedelta(weeks=WEEKS_AHEAD),
        )
        # A meeting whose date was lost is neither coming nor just held: its date only orders it.
        .filter(date_known=True)
        .select_related("group")
        .annotate(
            attendance_total=Count("attendances", distinct=True),
            item_total=Count("agenda_items", distinct=True),
            # A subquery, not a third join: the counts above already multiply rows.
            papers_not_out=Coalesce(
                Subquery(
                    Paper.objects.filter(meeting=OuterRef("pk"), circulated_at__isnull=True)
                    .order_by()
                    .values("meeting")
                    .annotate(total=Count("pk"))
                    .values("total")
                ),
                0,
            ),
        )
        .order_by("date", "start_time", "pk")
    )
    rows = []
    for meeting in meetings:
        due = meeting.agenda_due_on
        row = CycleRow(meeting, due)
        if due is not None:
            if meeting.agenda_published_at is None and today > due:
                row.missing.append(f"Agenda not out: it was due by {date_format(due)}.")
            elif _late(meeting.agenda_published_at, due):
                row.missing.append(
                    f"Agenda went out late, on "
                    f"{date_format(timezone.localdate(meeting.agenda_published_at))} "
                    f"(due by {date_format(due)})."
                )
            if meeting.papers_circulated_at is None and today > due:
                row.missing.append(f"Papers late: not circulated by {date_format(due)}.")
            elif _late(meeting.papers_circulated_at, due):
                row.missing.append(
                    f"Papers late: circulated on "
                    f"{date_format(timezone.localdate(meeting.papers_circulated_at))} "
                    f"(due by {date_format(due)})."
                )
            if meeting.agenda_published_at is None and today <= due:
                items = meeting.item_total
                row.next_step = (
                    f"Agenda due out by {date_format(due)} "
                    f"({items} item{'s' if items != 1 else ''} so far)."
                )
        if meeting.papers_circulated_at and meeting.papers_not_out:
            row.missing.append(papers_not_out_text(meeting.papers_not_out) + ".")
        if meeting.date < today:
            if not meeting.attendance_total:
                row.missing.append("Register not filled.")
            if minutes_not_agreed(meeting):
                row.missing.append("Minutes not agreed.")
        rows.append(row)
    return rows

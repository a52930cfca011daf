"""Minutes: an item's minutes, decisions and actions arising in one step; the chair agrees them,
a later meeting approves them; the support officer turns chosen points into the report's entries.

Every write is one transaction with full_clean: a refused action arising saves no minutes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from meetings.models import AgendaItem, Entry, Meeting, MinutesStatus
from subgroups.escalation import notify_action_assigned
from subgroups.models import Action, ActionPlan


@dataclass
class ActionArising:
    description: str
    owner_organisation: object = None
    lead: str = ""
    due_on: datetime.date | None = None


def plan_for_actions(item: AgendaItem) -> ActionPlan | None:
    """The plan an item's actions go into: the plan the item reviews when it is open, else the
    group's newest open work plan."""
    if item.action_plan_id and not item.action_plan.is_closed:
        return item.action_plan
    return (
        ActionPlan.objects.filter(
            group=item.meeting.group_id,
            kind=ActionPlan.Kind.WORK_PLAN,
            closed_on__isnull=True,
        )
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def minutes_actions_raise(
    *,
    item: AgendaItem,
    minutes_text: str,
    decisions: str = "",
    actions: list[ActionArising] = (),
) -> list[Action]:
    """Record an item's minutes and decisions, and put its actions arising into the group's
    action plan, each linked back to the item. Raises ValidationError (field-keyed, on the
    item's or the action's fields) and saves nothing when any part is refused."""
    meeting = item.meeting
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise ValidationError(
            f"The minutes are {meeting.get_minutes_status_display().lower()}: "
            "they can no longer be changed."
        )
    if not meeting.has_happened:
        raise ValidationError(
            {
                "minutes_text": f"This meeting is on {date_format(meeting.date)} and has not "
                "happened yet: write its minutes after it has met."
            }
        )
    item.minutes_text = minutes_text
    item.decisions = decisions
    item.full_clean()
    item.save(update_fields=["minutes_text", "decisions"])
    raised = []
    if not actions:
        return raised
    plan = plan_for_actions(item)
    if plan is None:
        raise ValidationError(
            {
                "description": f"{meeting.group.short_name} has no open work plan to take "
                "this action: open one first, or link the item to an open action plan."
            }
        )
    for arising in actions:
        problem = meeting.arising_due_error(arising.due_on)
        if problem:
            raise ValidationError({"due_on": problem})
        action = Action(
            plan=plan,
            description=(arising.description or "").strip(),
            owner_organisation=arising.owner_organisation,
            lead=arising.lead,
            starts_on=meeting.date if meeting.date_known else None,
            due_on=arising.due_on,
            arose_from=item,
        )
        action.full_clean(exclude=["version"])
        action.save()
        # Its owner's side hears of it once the whole step commits (never for a refused one).
        notify_action_assigned(action)
        raised.append(action)
    return raised


@transaction.atomic
def minutes_send_to_chair(*, meeting: Meeting) -> int:
    """The support officer sends the draft minutes to the group's chairs to agree: each chair
    is emailed once per meeting (sending again tells nobody twice). Returns how many were told."""
    from meetings.notices import notify_minutes_for_agreement

    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise ValidationError("These minutes are not a draft: there is nothing to agree.")
    if not meeting.has_happened:
        raise ValidationError("This meeting has not happened yet: it has no minutes to send.")
    if not meeting.agenda_items.exclude(minutes_text="").exists():
        raise ValidationError("No item has minutes yet: write them before sending them.")
    if not meeting.group.chairs.exists():
        raise ValidationError(
            f"{meeting.group.short_name} has no chair with a sign-in to agree the minutes: "
            "invite its chair first."
        )
    return len(notify_minutes_for_agreement(meeting))


@transaction.atomic
def minutes_agree(*, meeting: Meeting, user) -> None:
    """The chair agrees the draft minutes."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise ValidationError("These minutes are not a draft: there is nothing to agree.")
    if not meeting.has_happened:
        raise ValidationError("This meeting has not happened yet: it has no minutes to agree.")
    if not meeting.agenda_items.exclude(minutes_text="").exists():
        raise ValidationError("No item has minutes yet: there is nothing to agree.")
    # A save (not an update) so that the meeting's history keeps who agreed them and when.
    meeting.minutes_status = MinutesStatus.AGREED
    meeting.minutes_agreed_at = timezone.now()
    meeting.minutes_agreed_by = user
    meeting.save()


@transaction.atomic
def minutes_approve(*, meeting: Meeting, at: Meeting) -> None:
    """A later meeting of the group approves the minutes (agreed by the chair or not)."""
    fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
    fresh.minutes_status = MinutesStatus.APPROVED
    fresh.minutes_approved_at = at
    fresh.full_clean(exclude=["version"])
    fresh.save()
    meeting.minutes_status, meeting.minutes_approved_at = MinutesStatus.APPROVED, at
    meeting.version = fresh.version


def public_minutes(meeting: Meeting) -> bool:
    """Whether the public may read the minutes of the open `items` of this meeting: a public
    meeting of a group that publishes its meetings, once approved (for many meetings:
    Meeting.objects.with_public_minutes). Callers pass only AgendaItem.objects.public()
    items: confidential ones never are."""
    return bool(
        meeting.is_public and meeting.group.publishes_agendas and meeting.are_minutes_approved
    )


@transaction.atomic
def entries_from_minutes(
    items, *, kind: str = Entry.Kind.DID, text_from: str = "decisions"
) -> list[Entry]:
    """The support officer's pick: one report entry per chosen item, from its decisions (or its
    minutes), placed last in its meeting. Items with nothing to copy are skipped. A
    confidential item, or one a held-back review keeps from the public, is refused: an entry
    is printed in the public report."""
    items = list(items)
    public = set(
        AgendaItem.objects.public()
        .filter(pk__in=[i.pk for i in items], is_confidential=False)
        .values_list("pk", flat=True)
    )
    kept_back = [i.title for i in items if i.pk not in public]
    if kept_back:
        raise ValidationError(
            "Not public, so not for the report: " + "; ".join(sorted(kept_back)) + "."
        )
    made = []
    for item in items:
        text = (getattr(item, text_from) or "").strip()
        if not text:
            continue
        entry = Entry(meeting=item.meeting, kind=kind, text=text)
        entry.full_clean()
        entry.save()
        made.append(entry)
    return made

"""Escalation: overdue actions and late risk reviews, emailed once each to chairs and the support team."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bscb.notices.models import Kind
from bscb.notices.send import notify, people, site_url
from subgroups.models import Action, EscalationNotice, Risk


@dataclass
class Item:
    key: str
    group: object
    subject: str
    body: str
    action: Action | None = None
    risk: Risk | None = None


def items_to_escalate(today: datetime.date | None = None) -> list[Item]:
    """Overdue actions of open plans and risks whose review is late, each keyed by its due date."""
    today = today or timezone.localdate()
    items = []
    actions = (
        Action.objects.overdue(today)
        .filter(plan__closed_on__isnull=True)
        .select_related("plan__group")
        .order_by("due_on", "pk")
    )
    for action in actions:
        items.append(
            Item(
                key=f"action:{action.pk}:{action.due_on.isoformat()}",
                group=action.plan.group,
                subject=f"Overdue action: {action.plan.group.short_name}",
                body=(
                    f"The action “{action.description}” of the plan “{action.plan}” was due on "
                    f"{date_format(action.due_on)} and is not complete."
                ),
                action=action,
            )
        )
    risks = Risk.objects.open().select_related("owner_group").with_reviews()
    for risk in risks:
        if risk.is_review_late(today):
            due = risk.review_due_on()
            items.append(
                Item(
                    key=f"risk:{risk.pk}:{due.isoformat()}",
                    group=risk.owner_group,
                    subject=f"Risk review late: {risk.owner_group.short_name}",
                    body=f"The risk “{risk}” was due for review on {date_format(due)}.",
                    risk=risk,
                )
            )
    return items


def escalate(today: datetime.date | None = None) -> list[EscalationNotice]:
    """Email each item not escalated before; the notice's unique key makes a second send impossible."""
    today = today or timezone.localdate()
    already = set(EscalationNotice.objects.values_list("item_key", flat=True))
    sent = []
    for item in items_to_escalate(today):
        if item.key in already:
            continue
        recipients = sorted(
            {u.email for u in item.group.chairs.all() if u.email} | {settings.SUPPORT_TEAM_EMAIL}
        )
        try:
            # The notice is written first, in the same transaction as the send: a
            # concurrent run hits the unique key and sends nothing.
            with transaction.atomic():
                notice = EscalationNotice.objects.create(
                    item_key=item.key,
                    action=item.action,
                    risk=item.risk,
                    sent_on=today,
                    recipients=", ".join(recipients),
                )
                send_mail(item.subject, item.body, None, recipients)
        except IntegrityError:
            continue
        sent.append(notice)
    return sent


# Reminders before things fall due, one per person and due date, through the notices (each
# person takes them at once or in the weekly digest). What is overdue or late is escalated
# above, to the chairs and the support team together.
ACTION_DUE_SOON_DAYS = 7
RISK_REVIEW_DUE_DAYS = 14


def _workspace(name: str, pk: int) -> str:
    return site_url(reverse(f"workspace:{name}", args=[pk]))


def notify_action_assigned(action: Action):
    """An action is assigned: the chairs of its plan's group are told (the owner too, once an
    owner has a sign-in). For the minutes' "actions arising" step to call. Once per action."""
    plan = action.plan
    return notify(
        Kind.ACTION_ASSIGNED,
        people(plan.group.chairs.all()),
        key=f"action:{action.pk}",
        template="action_assigned",
        context={"action": action, "plan": plan, "link": _workspace("action", action.pk)},
        subject=f"Action assigned: {plan.group.short_name}",
    )


def remind_due(today: datetime.date | None = None) -> list:
    """Actions due within ACTION_DUE_SOON_DAYS and risks due for review within
    RISK_REVIEW_DUE_DAYS, not yet late: the group's chairs are reminded once per due date."""
    today = today or timezone.localdate()
    made = []
    actions = (
        Action.objects.filter(
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=ACTION_DUE_SOON_DAYS),
            plan__closed_on__isnull=True,
        )
        .exclude(status=Action.Status.COMPLETE)
        .select_related("plan__group")
        .prefetch_related("plan__group__chairs")
        .order_by("due_on", "pk")
    )
    for action in actions:
        plan = action.plan
        made += notify(
            Kind.ACTION_DUE_SOON,
            people(plan.group.chairs.all()),
            key=f"action:{action.pk}:{action.due_on.isoformat()}",
            template="action_due_soon",
            context={"action": action, "plan": plan, "link": _workspace("action", action.pk)},
            subject=f"Action due {date_format(action.due_on)}: {plan.group.short_name}",
        )
    risks = (
        Risk.objects.open()
        .select_related("owner_group")
        .with_reviews()
        .prefetch_related("owner_group__chairs")
    )
    for risk in risks:
        due = risk.review_due_on()
        if due is None or not today <= due <= today + datetime.timedelta(days=RISK_REVIEW_DUE_DAYS):
            continue
        made += notify(
            Kind.RISK_REVIEW_DUE,
            people(risk.owner_group.chairs.all()),
            key=f"risk:{risk.pk}:{due.isoformat()}",
            template="risk_review_due",
            context={"risk": risk, "due": due, "link": _workspace("risk", risk.pk)},
            subject=f"Risk review due {date_format(due)}: {risk.owner_group.short_name}",
        )
    return made

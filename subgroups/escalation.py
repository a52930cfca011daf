"""Escalation: overdue actions and late risk reviews, escalated once each to the group's chairs
(each as they chose: at once, in the weekly digest, or not at all) and to the support team."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bscb.notices.models import Kind
from bscb.notices.send import audience, key_pk, notify, people, site_url
from subgroups.models import Action, EscalationNotice, Risk


def action_audience(action: Action):
    """The people an action's emails are for: the chairs of its plan's group."""
    return action.plan.group.chairs.all()


def risk_audience(risk: Risk):
    """The people a risk's emails are for: the chairs of the group that owns it."""
    return risk.owner_group.chairs.all()


@audience(Kind.ACTION_ASSIGNED, Kind.ACTION_DUE_SOON, Kind.ACTION_OVERDUE)
def _action_audience_of(key: str):
    action = Action.objects.select_related("plan__group").filter(pk=key_pk(key)).first()
    return action_audience(action) if action else []


@audience(Kind.RISK_REVIEW_DUE, Kind.RISK_REVIEW_LATE)
def _risk_audience_of(key: str):
    risk = Risk.objects.select_related("owner_group").filter(pk=key_pk(key)).first()
    return risk_audience(risk) if risk else []


def _workspace(name: str, pk: int) -> str:
    return site_url(reverse(f"workspace:{name}", args=[pk]))


@dataclass
class Item:
    key: str
    group: object
    subject: str
    body: str
    action: Action | None = None
    risk: Risk | None = None
    # The email: its kind (each person's choice), whom it is for besides the support team,
    # its template and what the template reads.
    kind: str = ""
    audience: object = ()
    template: str = ""
    context: dict = field(default_factory=dict)


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
                kind=Kind.ACTION_OVERDUE,
                audience=action_audience(action),
                template="action_overdue",
                context={
                    "action": action,
                    "plan": action.plan,
                    "link": _workspace("action", action.pk),
                },
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
                    kind=Kind.RISK_REVIEW_LATE,
                    audience=risk_audience(risk),
                    template="risk_review_late",
                    context={"risk": risk, "due": due, "link": _workspace("risk", risk.pk)},
                )
            )
    return items


def escalate(today: datetime.date | None = None) -> list[EscalationNotice]:
    """Escalate each item not escalated before: one email to each of the group's chairs, as
    each chose, and one to the support team's address. The escalation's unique key, written
    in the same transaction as the emails, makes a second escalation impossible."""
    today = today or timezone.localdate()
    already = set(EscalationNotice.objects.values_list("item_key", flat=True))
    sent = []
    for item in items_to_escalate(today):
        if item.key in already:
            continue
        try:
            # One transaction: a concurrent run hits the escalation's unique key and keeps
            # nothing; the emails leave once this commits (notify), each as its person chose.
            with transaction.atomic():
                made = notify(
                    item.kind,
                    people(item.audience, settings.SUPPORT_TEAM_EMAIL),
                    key=item.key,
                    template=item.template,
                    context=item.context,
                    subject=item.subject,
                )
                notice = EscalationNotice.objects.create(
                    item_key=item.key,
                    action=item.action,
                    risk=item.risk,
                    sent_on=today,
                    recipients=", ".join(sorted(n.recipient for n in made)),
                )
        except IntegrityError:
            continue
        sent.append(notice)
    return sent


# Reminders before things fall due, one per person and due date, through the notices (each
# person takes them at once or in the weekly digest), like the escalations above.
ACTION_DUE_SOON_DAYS = 7
RISK_REVIEW_DUE_DAYS = 14


def notify_action_assigned(action: Action):
    """An action is assigned: the chairs of its plan's group are told (the owner too, once an
    owner has a sign-in). For the minutes' "actions arising" step to call. Once per action."""
    plan = action.plan
    return notify(
        Kind.ACTION_ASSIGNED,
        people(action_audience(action)),
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
            people(action_audience(action)),
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
            people(risk_audience(risk)),
            key=f"risk:{risk.pk}:{due.isoformat()}",
            template="risk_review_due",
            context={"risk": risk, "due": due, "link": _workspace("risk", risk.pk)},
            subject=f"Risk review due {date_format(due)}: {risk.owner_group.short_name}",
        )
    return made

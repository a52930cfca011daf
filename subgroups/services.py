"""Writes that span an action and its updates, or a risk and its reviews."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from subgroups.models import Action, ProgressUpdate, Risk, RiskReview


@transaction.atomic
def action_add_update(
    *,
    action: Action,
    author,
    rag: str,
    note: str,
    evidence: str = "",
    complete: bool = False,
    date: datetime.date | None = None,
) -> ProgressUpdate:
    """Record progress on an action; its RAG (and status) follow the update.

    One transaction: an update saved without the action's new RAG would make the
    report disagree with the action's history.
    """
    update = ProgressUpdate(
        action=action,
        author=author,
        rag=rag,
        note=note,
        evidence=evidence,
        date=date or timezone.localdate(),
    )
    update.full_clean()
    update.save()
    action.rag = rag
    if evidence:
        action.evidence = (
            f"{action.evidence}\n\n{evidence}".strip() if action.evidence else evidence
        )
    if complete:
        action.status = Action.Status.COMPLETE
        action.completed_on = update.date
    elif action.status == Action.Status.NOT_STARTED:
        action.status = Action.Status.IN_PROGRESS
    action.full_clean()
    action.save()
    return update


@transaction.atomic
def risk_add_review(
    *,
    risk: Risk,
    author,
    note: str,
    likelihood: int | None = None,
    impact: int | None = None,
    meeting=None,
    date: datetime.date | None = None,
) -> RiskReview:
    """Record a review of a risk; the risk's scores follow the review when it gives them."""
    review = RiskReview(
        risk=risk,
        author=author,
        note=note,
        likelihood=likelihood,
        impact=impact,
        meeting=meeting,
        date=date or timezone.localdate(),
    )
    review.full_clean()
    review.save()
    if likelihood:
        risk.likelihood = likelihood
    if impact:
        risk.impact = impact
    risk.full_clean()
    risk.save()
    return review


@transaction.atomic
def action_reopen(*, action: Action, author, reason: str, rag: str = "amber") -> ProgressUpdate:
    """Reopen a completed action: the reason is recorded as a progress update, and the action
    is in progress again (its evidence so far is kept)."""
    if action.status != Action.Status.COMPLETE:
        raise ValidationError("This action is not complete: there is nothing to reopen.")
    update = ProgressUpdate(
        action=action,
        author=author,
        rag=rag,
        note=f"Reopened: {reason.strip()}",
        date=timezone.localdate(),
    )
    update.full_clean()
    update.save()
    action.status = Action.Status.IN_PROGRESS
    action.completed_on = None
    action.rag = rag
    action.full_clean()
    action.save()
    return update


@transaction.atomic
def risk_set_next_review(*, risk: Risk, day: datetime.date) -> Risk:
    risk.next_review_on = day
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def action_add(*, form) -> Action:
    """Save a new action from a validated NewActionForm, checked as a whole."""
    action = form.save(commit=False)
    action.full_clean()
    action.save()
    form.save_m2m()
    return action


@transaction.atomic
def risk_add(*, form) -> Risk:
    risk = form.save(commit=False)
    risk.full_clean()
    risk.save()
    form.save_m2m()
    return risk

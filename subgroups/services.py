"""Writes that span an action and its updates, or a risk and its reviews."""

from __future__ import annotations

import datetime

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

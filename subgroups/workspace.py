"""The chairs' workspace: a chair sees and updates only their own groups' plans and risks.

Every view asks one helper for its object; the helper asks the rules in
subgroups/rules.py. Someone who may not read an object gets 404 (its existence
stays private); someone who may read but not change it gets 403 on a write.
"""

from contextlib import contextmanager
from functools import wraps

import reversion
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from bscb.core.roles import is_trusted
from bscb.core.sign_in import second_factor_redirect
from subgroups.forms import (
    ActionPlanningForm,
    CompleteActionForm,
    NewActionForm,
    NewRiskForm,
    NextReviewForm,
    ProgressUpdateForm,
    ReopenActionForm,
    RiskReviewForm,
)
from subgroups.models import Action, ActionPlan, Group, ProgressUpdate, Risk
from subgroups.services import (
    action_add,
    action_add_update,
    action_reopen,
    risk_add,
    risk_add_review,
    risk_set_next_review,
)


def workspace_view(view):
    """Signed in, with the second factor too where it is required (bscb.core.roles.is_trusted)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_trusted(request.user):
            return second_factor_redirect(request, request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


@contextmanager
def _revision(request, comment: str):
    """A change made in the workspace, kept in the record's history with who made it."""
    with reversion.create_revision():
        reversion.set_user(request.user)
        reversion.set_comment(comment)
        yield


def _action_form_page(request, action, form, title: str):
    context = {"action": action, "group": action.plan.group, "form": form, "title": title}
    return render(request, "workspace/action_form.html", context)


def _check(request, obj, *, write: bool):
    if not request.user.has_perm("subgroups.read_group_work", obj):
        raise Http404
    if write and not request.user.has_perm("subgroups.change_group_work", obj):
        raise PermissionDenied


def _get_action_for_user(request, pk: int, *, write: bool = False) -> Action:
    action = get_object_or_404(
        Action.objects.select_related(
            "plan__group", "owner_organisation", "arose_from__meeting__group"
        ).prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author"))
        ),
        pk=pk,
    )
    _check(request, action, write=write)
    return action


def _get_risk_for_user(request, pk: int, *, write: bool = False) -> Risk:
    risk = get_object_or_404(
        Risk.objects.select_related("owner_group", "lead_organisation").prefetch_related(
            "reviews__meeting__group", "reviews__author"
        ),
        pk=pk,
    )
    _check(request, risk, write=write)
    return risk


def _get_plan_for_user(request, pk: int, *, write: bool = False) -> ActionPlan:
    plan = get_object_or_404(ActionPlan.objects.select_related("group"), pk=pk)
    _check(request, plan, write=write)
    return plan


def _get_group_for_user(request, slug: str, *, write: bool = False) -> Group:
    group = get_object_or_404(Group, slug=slug)
    _check(request, group, write=write)
    return group


def _groups_for(user):
    """The groups whose work this user may read: all of them, or the ones they chair."""
    if user.has_perm("subgroups.read_all_group_work"):
        return Group.objects.all()
    return user.chaired_groups.all()


@workspace_view
def home(request):
    if not request.user.has_perm("subgroups.use_workspace"):
        raise PermissionDenied
    groups = _groups_for(request.user).prefetch_related(
        Prefetch(
            "action_plans",
            queryset=ActionPlan.objects.filter(closed_on__isnull=True).prefetch_related("actions"),
        ),
        Prefetch("risks", queryset=Risk.objects.open()),
    )
    return render(request, "workspace/home.html", {"groups": groups})


@workspace_view
def group_detail(request, slug):
    group = _get_group_for_user(request, slug)
    plans = group.action_plans.prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("owner_organisation"))
    )
    risks = group.risks.open().with_reviews()
    return render(
        request,
        "workspace/group_detail.html",
        {
            "group": group,
            "plans": plans,
            "risks": risks,
            "meetings": group.meetings.order_by("-date", "-pk")[:12],
            "can_change": request.user.has_perm("subgroups.change_group_work", group),
        },
    )


@workspace_view
def action_detail(request, pk):
    action = _get_action_for_user(request, pk)
    item = action.arose_from
    return render(
        request,
        "workspace/action_detail.html",
        {
            "action": action,
            "group": action.plan.group,
            "can_change": request.user.has_perm("subgroups.change_group_work", action),
            # A confidential item's title is for those who read its group in confidence
            # (meetings/rules.py, asked by name: the meetings app sits above this one).
            "arose_from_named": item is not None
            and (
                not item.is_confidential
                or request.user.has_perm("meetings.read_in_confidence", item.meeting.group)
            ),
        },
    )


@workspace_view
@transaction.atomic
def action_update(request, pk):
    action = _get_action_for_user(request, pk, write=True)
    form = ProgressUpdateForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        with _revision(request, "Progress update in the chairs' workspace"):
            action_add_update(action=action, author=request.user, **form.cleaned_data)
        messages.success(request, "Your update has been saved.")
        return redirect("workspace:action", pk=action.pk)
    return _action_form_page(request, action, form, "Add a progress update")


@workspace_view
@transaction.atomic
def action_complete(request, pk):
    action = _get_action_for_user(request, pk, write=True)
    form = CompleteActionForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        with _revision(request, "Marked complete in the chairs' workspace"):
            action_add_update(
                action=action,
                author=request.user,
                rag="green",
                note=form.cleaned_data["note"] or "Marked complete.",
                evidence=form.cleaned_data["evidence"],
                complete=True,
            )
        messages.success(request, "The action is marked complete.")
        return redirect("workspace:action", pk=action.pk)
    return _action_form_page(request, action, form, "Mark the action complete")


@workspace_view
@transaction.atomic
def action_edit(request, pk):
    action = _get_action_for_user(request, pk, write=True)
    form = ActionPlanningForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        with _revision(request, "Lead and dates changed in the chairs' workspace"):
            form.save()
        messages.success(request, "The action's dates are saved.")
        return redirect("workspace:action", pk=action.pk)
    return _action_form_page(request, action, form, "Change the lead and dates")


@workspace_view
def risk_detail(request, pk):
    risk = _get_risk_for_user(request, pk)
    return render(
        request,
        "workspace/risk_detail.html",
        {
            "risk": risk,
            "group": risk.owner_group,
            "can_change": request.user.has_perm("subgroups.change_group_work", risk),
        },
    )


@workspace_view
@transaction.atomic
def risk_review(request, pk):
    risk = _get_risk_for_user(request, pk, write=True)
    form = RiskReviewForm(request.POST or None, risk=risk)
    if request.method == "POST" and form.is_valid():
        with _revision(request, "Risk review in the chairs' workspace"):
            risk_add_review(risk=risk, author=request.user, **form.cleaned_data)
        messages.success(request, "The review has been saved.")
        return redirect("workspace:risk", pk=risk.pk)
    return render(
        request, "workspace/risk_form.html", {"risk": risk, "group": risk.owner_group, "form": form}
    )


@workspace_view
@transaction.atomic
def action_add_view(request, pk):
    """A chair adds an action to an open plan of their group."""
    plan = _get_plan_for_user(request, pk, write=True)
    form = NewActionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        with _revision(request, "Action added in the chairs' workspace"):
            action = action_add(form=form)
        messages.success(request, "The action is added to the plan.")
        return redirect("workspace:action", pk=action.pk)
    context = {"group": plan.group, "plan": plan, "form": form, "title": "Add an action"}
    return render(request, "workspace/new_form.html", context)


@workspace_view
@transaction.atomic
def risk_add_view(request, slug):
    """A chair adds a risk to their group's risk log."""
    group = _get_group_for_user(request, slug, write=True)
    form = NewRiskForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        with _revision(request, "Risk added in the chairs' workspace"):
            risk = risk_add(form=form)
        messages.success(request, "The risk is added.")
        return redirect("workspace:risk", pk=risk.pk)
    context = {"group": group, "form": form, "title": "Add a risk"}
    return render(request, "workspace/new_form.html", context)


@workspace_view
@transaction.atomic
def action_reopen_view(request, pk):
    action = _get_action_for_user(request, pk, write=True)
    form = ReopenActionForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        with _revision(request, "Reopened in the chairs' workspace"):
            action_reopen(
                action=action,
                author=request.user,
                reason=form.cleaned_data["reason"],
                rag=form.cleaned_data["rag"],
            )
        messages.success(request, "The action is reopened.")
        return redirect("workspace:action", pk=action.pk)
    return _action_form_page(request, action, form, "Reopen the action")


@workspace_view
@transaction.atomic
def risk_next_review(request, pk):
    risk = _get_risk_for_user(request, pk, write=True)
    form = NextReviewForm(request.POST or None, risk=risk)
    if request.method == "POST" and form.is_valid():
        with _revision(request, "Next review set in the chairs' workspace"):
            risk_set_next_review(risk=risk, day=form.cleaned_data["next_review_on"])
        messages.success(request, "The next review date is saved.")
        return redirect("workspace:risk", pk=risk.pk)
    context = {
        "risk": risk,
        "group": risk.owner_group,
        "form": form,
        "title": "Set the next review",
    }
    return render(request, "workspace/risk_form.html", context)

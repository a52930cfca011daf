"""Every back-office and workspace URL, walked as each kind of person."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM
from meetings.admin import HistoryInConfidence
from meetings.rules import reads_in_confidence
from subgroups.models import Action, Group, Risk
from tests import factories as f

OUR_APPS = {"bscb", "reports", "subgroups", "meetings", "reviews", "training", "funding"}


def admin_urls():
    """Changelist, add, change, history and delete of every registered model with a record."""
    urls = []
    for model in admin.site._registry:
        if model._meta.app_label not in OUR_APPS:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append((model, "changelist", None, reverse(f"{prefix}_changelist")))
        urls.append((model, "add", None, reverse(f"{prefix}_add")))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            for view in ("change", "history", "delete"):
                urls.append((model, view, obj, reverse(f"{prefix}_{view}", args=[obj.pk])))
    return urls


def workspace_urls():
    urls = [reverse("workspace:home")]
    urls += [reverse("workspace:group", args=[g.slug]) for g in Group.objects.all()]
    for action in Action.objects.all():
        for name in ("action", "action_update", "action_complete", "action_edit"):
            urls.append(reverse(f"workspace:{name}", args=[action.pk]))
    for risk in Risk.objects.all():
        for name in ("risk", "risk_review"):
            urls.append(reverse(f"workspace:{name}", args=[risk.pk]))
    return urls


@pytest.fixture
def people(small_year):
    # A record of every model the back office shows, beyond the year's.
    f.EscalationNoticeFactory()
    f.AgencyStatementFactory(period=small_year.period, organisation=small_year.police)
    f.ProgrammeReportFactory(period=small_year.period)
    users = [
        f.UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM]),
        f.UserFactory(username="chair.exploitation"),
        f.UserFactory(username="board.member", is_staff=True, roles=[BOARD_MEMBERS]),
    ]
    small_year.exploitation.chairs.add(users[1])
    clients = {"anonymous": Client()}
    for user in users:
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    return clients


def test_every_admin_url_as_each_person(people):
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username="support")
    walked = 0
    for model, view, obj, url in admin_urls():
        for closed in ("anonymous", "chair.exploitation"):  # a chair is not staff
            response = people[closed].get(url)
            assert response.status_code == 302 and response.url.startswith(
                reverse("admin:login")
            ), url
        model_admin = admin.site._registry[model]
        allowed = {
            "add": lambda ma=model_admin: ma.has_add_permission(request),
            "delete": lambda ma=model_admin, o=obj: ma.has_delete_permission(request, o),
        }.get(view, lambda: True)()
        staff = people["support"].get(url)
        assert staff.status_code == (200 if allowed else 403), (url, staff.status_code)
        member = people["board.member"].get(url)
        expected = 200 if view in ("changelist", "change", "history") else 403
        if view == "history" and isinstance(model_admin, HistoryInConfidence):
            # A meeting's, item's or paper's history: for those who read the group in confidence.
            group_id = model._default_manager.filter(pk=obj.pk).values_list(
                f"{model_admin.group_path}__pk", flat=True
            )[0]
            board_member = get_user_model().objects.get(username="board.member")
            in_confidence = reads_in_confidence(board_member, Group.objects.get(pk=group_id))
            expected = 200 if in_confidence else 403
        assert member.status_code == expected, (url, member.status_code)
        walked += 1
    assert walked > 100


def _belongs_to(url, group) -> bool:
    if url == reverse("workspace:group", args=[group.slug]):
        return True
    actions = Action.objects.filter(plan__group=group)
    risks = Risk.objects.filter(owner_group=group)
    return any(f"/workspace/actions/{a.pk}/" in url for a in actions) or any(
        f"/workspace/risks/{r.pk}/" in url for r in risks
    )


def test_every_workspace_url_as_each_person(people):
    exploitation = Group.objects.get(slug="child-exploitation")
    for url in workspace_urls():
        anonymous = people["anonymous"].get(url)
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login")), url
        assert people["support"].get(url).status_code == 200, url
        writes = any(part in url for part in ("/update/", "/complete/", "/edit/", "/review/"))
        assert people["board.member"].get(url).status_code == (403 if writes else 200), url
        own = url == reverse("workspace:home") or _belongs_to(url, exploitation)
        chair = people["chair.exploitation"].get(url)
        assert chair.status_code == (200 if own else 404), (url, chair.status_code)

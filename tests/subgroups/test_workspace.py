"""The chairs' workspace: each chair sees and changes only their own groups' work."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bscb.core.roles import BOARD_MEMBERS
from meetings.models import Meeting
from subgroups.escalation import escalate
from subgroups.models import Action, ActionPlan, Group, ProgressUpdate, Risk
from tests.admin_forms import signed_version
from tests.sign_in import give_password

User = get_user_model()


@pytest.fixture
def esafety(db):
    return Group.objects.create(name="E-Safety Subgroup", short_name="E-Safety", slug="e-safety")


def chair_of(group, username):
    user = User.objects.create_user(username, email=f"{username}@example.org", password="x")
    group.chairs.add(user)
    return user


@pytest.fixture
def exploitation_chair(exploitation):
    return chair_of(exploitation, "cara")


@pytest.fixture
def esafety_chair(esafety):
    return chair_of(esafety, "eli")


@pytest.fixture
def board_member(db):
    user = User.objects.create_user("bo", password="x")
    user.groups.add(AuthGroup.objects.get(name=BOARD_MEMBERS))
    return user


def work_of(group):
    plan = ActionPlan.objects.create(group=group, title=f"{group.short_name} work plan")
    action = Action.objects.create(
        plan=plan,
        description=f"Review the {group.short_name} profile",
        due_on=datetime.date(2019, 3, 31),
    )
    risk = Risk.objects.create(
        title=f"{group.short_name} risk", owner_group=group, opened_on=datetime.date(2018, 4, 1)
    )
    return {"plan": plan, "action": action, "risk": risk}


@pytest.fixture
def work(exploitation, esafety):
    return {"mine": work_of(exploitation), "theirs": work_of(esafety)}


def urls(w):
    a, r = w["action"].pk, w["risk"].pk
    return {
        "group": reverse("workspace:group", args=[w["plan"].group.slug]),
        "action": reverse("workspace:action", args=[a]),
        "risk": reverse("workspace:risk", args=[r]),
        "action_update": reverse("workspace:action_update", args=[a]),
        "action_complete": reverse("workspace:action_complete", args=[a]),
        "action_edit": reverse("workspace:action_edit", args=[a]),
        "risk_review": reverse("workspace:risk_review", args=[r]),
        "action_add": reverse("workspace:action_add", args=[w["plan"].pk]),
        "risk_add": reverse("workspace:risk_add", args=[w["plan"].group.slug]),
        "action_reopen": reverse("workspace:action_reopen", args=[a]),
        "risk_next_review": reverse("workspace:risk_next_review", args=[r]),
    }


READS = ["group", "action", "risk"]
WRITES = [
    "action_update",
    "action_complete",
    "action_edit",
    "risk_review",
    "action_add",
    "risk_add",
    "action_reopen",
    "risk_next_review",
]
NEXT_REVIEW = timezone.localdate() + datetime.timedelta(days=30)
VALID_POSTS = {
    "action_update": {"rag": "amber", "note": "Profile drafted; partners to comment."},
    "action_complete": {"evidence": "The profile shaped the spring campaign.", "note": ""},
    "action_edit": {
        "lead": "Head of Service",
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2018",
        "due_on_0": "30",
        "due_on_1": "6",
        "due_on_2": "2019",
    },
    "risk_review": {"likelihood": "3", "impact": "4", "note": "Reviewed at the subgroup."},
    "action_add": {"description": "Map the exploitation hot spots", "lead": "Police lead"},
    "risk_add": {"title": "Too few return-home interviews", "likelihood": "3", "impact": "4"},
    "action_reopen": {"reason": "The profile is out of date again.", "rag": "amber"},
    "risk_next_review": {
        "next_review_on_0": str(NEXT_REVIEW.day),
        "next_review_on_1": str(NEXT_REVIEW.month),
        "next_review_on_2": str(NEXT_REVIEW.year),
    },
}


def complete(action):
    Action.objects.filter(pk=action.pk).update(
        status="complete", evidence="Done.", completed_on=datetime.date(2019, 3, 1)
    )


@pytest.mark.parametrize("name", ["home", *READS, *WRITES])
def test_anonymous_visitors_are_sent_to_sign_in(client, work, name):
    url = reverse("workspace:home") if name == "home" else urls(work["mine"])[name]
    for response in (client.get(url), client.post(url, VALID_POSTS.get(name, {}))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", READS + WRITES)
def test_a_chair_reads_and_changes_their_own_groups_work(client, work, exploitation_chair, name):
    client.force_login(exploitation_chair)
    url = urls(work["mine"])[name]
    if name == "action_reopen":
        complete(work["mine"]["action"])
    assert client.get(url).status_code == 200
    if name in WRITES:
        data = dict(VALID_POSTS[name])
        if name == "action_edit":
            data["version"] = signed_version(client, url)
        response = client.post(url, data)
        assert response.status_code == 302, (
            response.context["form"].errors if response.context else ""
        )


@pytest.mark.parametrize("name", READS + WRITES)
def test_a_chair_gets_404_on_another_groups_work(client, work, exploitation_chair, name):
    client.force_login(exploitation_chair)
    url = urls(work["theirs"])[name]
    assert client.get(url).status_code == 404
    if name in WRITES:
        assert client.post(url, VALID_POSTS[name]).status_code == 404
    assert not ProgressUpdate.objects.filter(action=work["theirs"]["action"]).exists()
    assert Action.objects.filter(plan=work["theirs"]["plan"]).count() == 1
    assert Risk.objects.filter(owner_group=work["theirs"]["plan"].group).count() == 1
    assert Risk.objects.get(pk=work["theirs"]["risk"].pk).next_review_on is None


@pytest.mark.parametrize("name", READS + WRITES)
def test_a_board_member_reads_everything_and_changes_nothing(client, work, board_member, name):
    client.force_login(board_member)
    for side in ("mine", "theirs"):
        url = urls(work[side])[name]
        if name in READS:
            assert client.get(url).status_code == 200
        else:
            assert client.get(url).status_code == 403
            assert client.post(url, VALID_POSTS[name]).status_code == 403
    assert ProgressUpdate.objects.count() == 0
    assert Action.objects.count() == 2 and Risk.objects.count() == 2


def test_the_home_page_lists_only_the_chairs_groups(client, work, esafety_chair):
    client.force_login(esafety_chair)
    content = client.get(reverse("workspace:home")).content.decode()
    assert "E-Safety Subgroup" in content
    assert "Child Exploitation Subgroup" not in content


def test_someone_with_no_role_cannot_use_the_workspace(client, work):
    client.force_login(User.objects.create_user("nobody"))
    assert client.get(reverse("workspace:home")).status_code == 403
    assert client.get(urls(work["mine"])["action"]).status_code == 404


def test_an_update_keeps_who_and_when_and_reaches_the_report(
    client, work, exploitation_chair, year
):
    client.force_login(exploitation_chair)
    action = work["mine"]["action"]
    client.post(
        reverse("workspace:action_update", args=[action.pk]),
        {"rag": "red", "note": "Data sharing stalled; escalated to the Board."},
    )
    update = ProgressUpdate.objects.get(action=action)
    assert update.author == exploitation_chair
    page = client.get(reverse("workspace:action", args=[action.pk])).content.decode()
    assert "by cara" in page and "Data sharing stalled" in page
    action.refresh_from_db()
    assert action.rag == "red" and action.status == "in_progress"
    # The public report's summary: at the period's end the action had little or no progress.
    ProgressUpdate.objects.filter(pk=update.pk).update(date=datetime.date(2019, 2, 1))
    # The group is in the report: it met in public during the period.
    Meeting.objects.create(group=action.plan.group, date=datetime.date(2018, 6, 1))
    report = client.get(
        reverse("group_detail", args=[year.slug, action.plan.group.slug])
    ).content.decode()
    assert "1 red" in report
    assert "What is being done: Data sharing stalled; escalated to the Board." in report


# Bad input: a clear message in the GOV.UK error summary, nothing saved.


def error_summary(response) -> str:
    content = response.content.decode()
    start = content.index('class="govuk-error-summary"')
    return content[start : content.index("</ul>", start)]


def test_complete_without_evidence_is_refused(client, work, exploitation_chair):
    client.force_login(exploitation_chair)
    action = work["mine"]["action"]
    response = client.post(
        reverse("workspace:action_complete", args=[action.pk]), {"evidence": " "}
    )
    assert "Give the evidence of impact before marking the action complete." in error_summary(
        response
    )
    action.refresh_from_db()
    assert action.status != "complete" and ProgressUpdate.objects.count() == 0


def test_a_due_date_before_the_start_is_refused(client, work, exploitation_chair):
    client.force_login(exploitation_chair)
    action = work["mine"]["action"]
    url = reverse("workspace:action_edit", args=[action.pk])
    data = {
        **VALID_POSTS["action_edit"],
        "version": signed_version(client, url),
        "due_on_0": "1",
        "due_on_1": "1",
        "due_on_2": "2018",
    }
    response = client.post(url, data)
    assert "an action cannot be due before it starts" in error_summary(response)
    action.refresh_from_db()
    assert action.due_on == datetime.date(2019, 3, 31)


@pytest.mark.parametrize("likelihood", ["0", "6", "high"])
def test_likelihood_outside_one_to_five_is_refused(client, work, exploitation_chair, likelihood):
    client.force_login(exploitation_chair)
    risk = work["mine"]["risk"]
    response = client.post(
        reverse("workspace:risk_review", args=[risk.pk]),
        {**VALID_POSTS["risk_review"], "likelihood": likelihood},
    )
    assert "Enter a number from 1 to 5." in error_summary(response)
    risk.refresh_from_db()
    assert risk.likelihood is None and not risk.reviews.exists()


def test_an_update_on_a_closed_plan_is_refused(client, work, exploitation_chair):
    client.force_login(exploitation_chair)
    plan = work["mine"]["plan"]
    plan.closed_on = datetime.date(2019, 3, 31)
    plan.save()
    response = client.post(
        reverse("workspace:action_update", args=[work["mine"]["action"].pk]),
        VALID_POSTS["action_update"],
    )
    assert "it takes no more updates" in error_summary(response)
    assert ProgressUpdate.objects.count() == 0


def test_escalation_run_twice_on_one_day_emails_each_item_once(
    work, exploitation_chair, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_TEAM_EMAIL = "team@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        first = escalate(today=datetime.date(2019, 4, 2))
        second = escalate(today=datetime.date(2019, 4, 2))
    # Two overdue actions and two risks not reviewed for 90 days: each to the support team,
    # and the two of Child Exploitation to its chair too, each person apart.
    assert len(first) == 4 and second == []
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert len([m for m in mail.outbox if m.to == ["team@example.org"]]) == 4
    assert len([m for m in mail.outbox if m.to == ["cara@example.org"]]) == 2
    assert len(mail.outbox) == 6


def test_the_back_office_front_page_lists_what_needs_attention(client, work, support_officer):
    client.force_login(support_officer)
    content = client.get(reverse("admin:index")).content.decode()
    assert "Needs attention" in content
    assert "Overdue action: Child Exploitation" in content


def test_a_chair_is_invited_by_email_and_the_link_works_once(client, support_officer, exploitation):
    import re

    client.force_login(support_officer)
    response = client.post(
        reverse("admin:subgroups_group_invite", args=[exploitation.pk]),
        {"full_name": "Cara Chair", "email": "cara@example.org"},
    )
    assert response.status_code == 302
    chair = User.objects.get(email="cara@example.org")
    assert not chair.has_usable_password()
    assert list(exploitation.chairs.all()) == [chair]
    (invitation,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/reset/\S+)", invitation.body).group(1)
    client.logout()
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    new = {"new_password1": "a long chair password 42", "new_password2": "a long chair password 42"}
    assert client.post(set_url, new).status_code == 302
    signed_in = give_password(client, chair.username, "a long chair password 42")
    assert signed_in.status_code == 302
    client.logout()
    again = client.get(link, follow=True)
    assert "This link has expired" in again.content.decode()


def test_in_the_admin_the_same_rule_lets_a_staff_chair_change_only_their_group(
    client, work, exploitation_chair
):
    exploitation_chair.is_staff = True
    exploitation_chair.save()
    client.force_login(exploitation_chair)
    mine = reverse("admin:subgroups_action_change", args=[work["mine"]["action"].pk])
    theirs = reverse("admin:subgroups_action_change", args=[work["theirs"]["action"].pk])
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code in (302, 403, 404)


# The chair's story: add an action and a risk, reopen an action with a reason, set a review date.


def test_the_chair_adds_an_action_and_a_risk_to_their_groups_plans(
    client, work, exploitation_chair
):
    client.force_login(exploitation_chair)
    mine = work["mine"]
    client.post(urls(mine)["action_add"], VALID_POSTS["action_add"])
    action = Action.objects.get(description="Map the exploitation hot spots")
    assert action.plan == mine["plan"] and action.lead == "Police lead"
    client.post(urls(mine)["risk_add"], VALID_POSTS["risk_add"])
    risk = Risk.objects.get(title="Too few return-home interviews")
    assert risk.owner_group == mine["plan"].group and risk.score == 12
    page = client.get(urls(mine)["group"]).content.decode()
    assert "Map the exploitation hot spots" in page and "Too few return-home interviews" in page


def test_the_chair_reopens_a_completed_action_with_a_reason(client, work, exploitation_chair):
    client.force_login(exploitation_chair)
    action = work["mine"]["action"]
    complete(action)
    client.post(urls(work["mine"])["action_reopen"], VALID_POSTS["action_reopen"])
    action.refresh_from_db()
    assert action.status == "in_progress" and action.completed_on is None
    update = ProgressUpdate.objects.get(action=action)
    assert update.note == "Reopened: The profile is out of date again."
    assert update.author == exploitation_chair
    assert (
        "Reopened: The profile is out of date again."
        in client.get(urls(work["mine"])["action"]).content.decode()
    )


def test_reopening_needs_a_reason_and_a_completed_action(client, work, exploitation_chair):
    client.force_login(exploitation_chair)
    action = work["mine"]["action"]
    url = urls(work["mine"])["action_reopen"]
    response = client.post(url, VALID_POSTS["action_reopen"])
    assert "This action is not complete" in error_summary(response)
    complete(action)
    response = client.post(url, {"reason": "  ", "rag": "amber"})
    assert "Give the reason for reopening the action." in error_summary(response)
    assert Action.objects.get(pk=action.pk).status == "complete"
    assert not ProgressUpdate.objects.exists()


def test_the_chair_sets_a_risks_next_review_date(client, work, exploitation_chair):
    client.force_login(exploitation_chair)
    risk = work["mine"]["risk"]
    client.post(urls(work["mine"])["risk_next_review"], VALID_POSTS["risk_next_review"])
    risk.refresh_from_db()
    assert risk.next_review_on == NEXT_REVIEW and risk.review_due_on() == NEXT_REVIEW
    assert not risk.is_review_late()
    page = client.get(urls(work["mine"])["risk"]).content.decode()
    assert NEXT_REVIEW.strftime("%-d %B %Y") in page


def test_a_review_date_in_the_past_is_refused_beside_the_field(client, work, exploitation_chair):
    client.force_login(exploitation_chair)
    response = client.post(
        urls(work["mine"])["risk_next_review"],
        {"next_review_on_0": "1", "next_review_on_1": "1", "next_review_on_2": "2019"},
    )
    assert "The next review cannot be in the past." in error_summary(response)
    assert Risk.objects.get(pk=work["mine"]["risk"].pk).next_review_on is None


def test_an_action_without_a_description_is_refused(client, work, exploitation_chair):
    client.force_login(exploitation_chair)
    response = client.post(urls(work["mine"])["action_add"], {"description": " "})
    assert "Say what the action is." in error_summary(response)
    assert Action.objects.count() == 2

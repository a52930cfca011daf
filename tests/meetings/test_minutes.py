"""Minutes, decisions and actions arising: the support officer writes an item's minutes and its
actions land in the group's action plan in one step; the chair agrees the draft; a later
meeting approves them; only then do the open items' minutes reach the public meeting page."""

import datetime

import pytest
import reversion
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from bscb.core.roles import BOARD_MEMBERS
from meetings.minutes import (
    ActionArising,
    entries_from_minutes,
    minutes_actions_raise,
    minutes_approve,
)
from meetings.models import AgendaItem, Entry, Meeting
from subgroups.models import Action
from tests import factories as f
from tests.pages import page_text

TODAY = timezone.localdate()
LAST_MONTH = TODAY - datetime.timedelta(days=30)


@pytest.fixture
def neglect(db):
    return f.GroupFactory(
        name="Neglect Subgroup", short_name="Neglect", slug="neglect", publishes_agendas=True
    )


@pytest.fixture
def plan(neglect):
    return f.ActionPlanFactory(group=neglect, title="Neglect work plan 2026/27")


@pytest.fixture
def met(neglect, plan, this_year):
    """Last month's meeting: an open item and a confidential one, agenda published."""
    meeting = f.MeetingFactory(
        group=neglect,
        date=LAST_MONTH,
        title="Neglect subgroup meeting",
        agenda_published_at=timezone.now() - datetime.timedelta(days=40),
    )
    f.AgendaItemFactory(meeting=meeting, title="Neglect strategy refresh", purpose="decision")
    f.AgendaItemFactory(meeting=meeting, title="Rapid review of Child Q", is_confidential=True)
    return meeting


def items(meeting):
    return {i.title: i for i in meeting.agenda_items.all()}


@pytest.fixture
def chair(neglect):
    user = f.UserFactory(username="nadia")
    neglect.chairs.add(user)
    return user


@pytest.fixture
def other_chair(db):
    group = f.GroupFactory(name="E-Safety Subgroup", short_name="E-Safety", slug="e-safety")
    user = f.UserFactory(username="eli")
    group.chairs.add(user)
    return user


@pytest.fixture
def board_member(db):
    user = f.UserFactory(username="bo")
    user.groups.add(AuthGroup.objects.get(name=BOARD_MEMBERS))
    return user


def test_an_action_arising_lands_in_the_groups_plan_in_one_step_and_links_back(met, plan):
    strategy = items(met)["Neglect strategy refresh"]
    health = f.OrganisationFactory(name="Northmoor Health")
    with reversion.create_revision():
        raised = minutes_actions_raise(
            item=strategy,
            minutes_text="The subgroup discussed the draft strategy.",
            decisions="- The strategy goes to the Board for sign-off.",
            actions=[
                ActionArising(
                    description="Take the strategy to the Board",
                    owner_organisation=health,
                    lead="Designated nurse",
                    due_on=TODAY + datetime.timedelta(days=60),
                )
            ],
        )
    action = Action.objects.get(plan=plan)
    assert raised == [action]
    assert action.arose_from == strategy and action.arose_from.meeting == met
    assert action.owner_organisation == health and action.lead == "Designated nurse"
    assert action.starts_on == met.date
    strategy.refresh_from_db()
    assert strategy.decisions == "- The strategy goes to the Board for sign-off."
    # History keeps the change.
    assert Version.objects.get_for_object(strategy).count() == 1


def test_an_action_goes_into_the_plan_the_item_reviews(met, plan, neglect):
    other = f.ActionPlanFactory(group=neglect, title="Neglect audit plan")
    strategy = items(met)["Neglect strategy refresh"]
    strategy.action_plan = other
    strategy.save()
    minutes_actions_raise(
        item=strategy, minutes_text="Discussed.", actions=[ActionArising("Re-audit in spring")]
    )
    assert Action.objects.get().plan == other


def test_a_due_date_before_the_meeting_saves_nothing(met, plan):
    strategy = items(met)["Neglect strategy refresh"]
    with pytest.raises(ValidationError) as refused:
        minutes_actions_raise(
            item=strategy,
            minutes_text="Discussed the strategy.",
            actions=[ActionArising("Too late already", due_on=LAST_MONTH - datetime.timedelta(1))],
        )
    assert "before the meeting" in refused.value.message_dict["due_on"][0]
    assert not Action.objects.exists()
    assert AgendaItem.objects.get(pk=strategy.pk).minutes_text == ""


def test_decisions_without_minutes_are_refused_beside_the_minutes(met):
    strategy = items(met)["Neglect strategy refresh"]
    with pytest.raises(ValidationError) as refused:
        minutes_actions_raise(item=strategy, minutes_text="  ", decisions="- Agreed.")
    assert "Write the minutes of this item" in refused.value.message_dict["minutes_text"][0]
    assert AgendaItem.objects.get(pk=strategy.pk).decisions == ""


def test_a_group_without_an_open_plan_is_told_so(neglect):
    meeting = f.MeetingFactory(group=neglect, date=LAST_MONTH)
    item = f.AgendaItemFactory(meeting=meeting)
    with pytest.raises(ValidationError) as refused:
        minutes_actions_raise(item=item, minutes_text="x", actions=[ActionArising("Do it")])
    assert "no open work plan" in refused.value.message_dict["description"][0]


def test_minutes_of_a_meeting_not_yet_held_are_refused(neglect):
    meeting = f.MeetingFactory(group=neglect, date=TODAY + datetime.timedelta(days=7))
    item = f.AgendaItemFactory(meeting=meeting)
    with pytest.raises(ValidationError) as refused:
        minutes_actions_raise(item=item, minutes_text="We met.")
    assert "has not happened yet" in refused.value.message_dict["minutes_text"][0]


def write_minutes(met):
    found = items(met)
    minutes_actions_raise(
        item=found["Neglect strategy refresh"],
        minutes_text="The subgroup **discussed** the refreshed neglect strategy.",
        decisions="- Adopt the neglect toolkit across the partnership.",
    )
    minutes_actions_raise(
        item=found["Rapid review of Child Q"],
        minutes_text="Child Q's family moved out of the area in March.",
        decisions="- Refer Child Q for a local review.",
    )


def test_minutes_are_public_only_once_approved_and_confidential_ones_never(client, met, neglect):
    write_minutes(met)
    url = reverse("public_meeting", args=[met.pk])
    text = page_text(client.get(url))
    assert "discussed the refreshed neglect strategy" not in text
    assert "The minutes are not approved yet." in text

    Meeting.objects.filter(pk=met.pk).update(minutes_status="agreed")
    assert "discussed the refreshed neglect strategy" not in page_text(client.get(url))

    next_meeting = f.MeetingFactory(group=neglect, date=TODAY)
    minutes_approve(meeting=Meeting.objects.get(pk=met.pk), at=next_meeting)
    text = page_text(client.get(url))
    assert "The subgroup discussed the refreshed neglect strategy." in text
    assert "Adopt the neglect toolkit" in text
    assert f"approved at the meeting of {next_meeting.display_date}" in text
    assert "Child Q" not in text and "moved out of the area" not in text
    assert "1 confidential item" in text


def test_a_group_that_does_not_publish_its_meetings_shows_no_minutes(client, met, neglect):
    write_minutes(met)
    minutes_approve(meeting=met, at=f.MeetingFactory(group=neglect, date=TODAY))
    neglect.publishes_agendas = False
    neglect.save()
    assert client.get(reverse("public_meeting", args=[met.pk])).status_code == 404


def test_approval_must_name_a_later_meeting_of_the_same_group(met, neglect):
    with pytest.raises(ValidationError) as refused:
        minutes_approve(meeting=met, at=f.MeetingFactory(group=neglect, date=LAST_MONTH))
    assert "not after this one" in refused.value.message_dict["minutes_approved_at"][0]
    with pytest.raises(ValidationError) as refused:
        minutes_approve(meeting=met, at=f.MeetingFactory(date=TODAY))
    assert "same group" in refused.value.message_dict["minutes_approved_at"][0]
    met.minutes_status = "approved"
    with pytest.raises(ValidationError) as refused:
        met.full_clean()
    assert refused.value.message_dict["minutes_approved_at"] == [
        "Choose the meeting that approved these minutes."
    ]
    assert Meeting.objects.get(pk=met.pk).minutes_status == "draft"


def test_the_support_officer_picks_decisions_that_become_the_reports_entries(
    client, support_officer, met
):
    write_minutes(met)
    strategy = items(met)["Neglect strategy refresh"]
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:meetings_agendaitem_changelist"),
        {
            "action": "entries_did_from_decisions",
            "_selected_action": [strategy.pk],
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(meeting=met)
    assert entry.kind == Entry.Kind.DID
    assert entry.text == "- Adopt the neglect toolkit across the partnership."
    assert Version.objects.get_for_object(entry).count() == 1
    entries_from_minutes([strategy], kind=Entry.Kind.DIFFERENCE, text_from="minutes_text")
    assert met.entries.filter(kind=Entry.Kind.DIFFERENCE).get().text.startswith("The subgroup")


def test_a_confidential_items_decisions_never_become_a_report_entry(client, support_officer, met):
    write_minutes(met)
    child_q = items(met)["Rapid review of Child Q"]
    child_q.minutes_text = "The panel discussed the rapid review."
    child_q.decisions = "- Refer to the National Panel."
    child_q.save()
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:meetings_agendaitem_changelist"),
        {"action": "entries_did_from_decisions", "_selected_action": [child_q.pk]},
        follow=True,
    )
    assert "Not public, so not for the report: Rapid review of Child Q." in page_text(response)
    assert not Entry.objects.filter(meeting=met).exists()


# The chairs' workspace: the chair sees the agenda, papers and minutes, and agrees the draft.


def test_the_chair_writes_minutes_with_an_action_and_agrees_them(client, chair, met, plan):
    strategy = items(met)["Neglect strategy refresh"]
    f.PaperFactory(agenda_item=strategy, title="Draft neglect strategy")
    client.force_login(chair)
    page = page_text(client.get(reverse("workspace_meetings:meeting", args=[met.pk])))
    assert "Rapid review of Child Q" in page and "Draft neglect strategy" in page
    assert "Minutes Draft" in page

    due = TODAY + datetime.timedelta(days=90)
    response = client.post(
        reverse("workspace_meetings:item_minutes", args=[met.pk, strategy.pk]),
        {
            "minutes_text": "Discussed the strategy.",
            "decisions": "- Adopt it.",
            "action": "Publish the toolkit",
            "owner_organisation": "",
            "lead": "Neglect lead",
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(plan=plan)
    assert action.arose_from == strategy and action.due_on == due
    # The action is in the chair's workspace, linked to the meeting.
    assert "Publish the toolkit" in page_text(
        client.get(reverse("workspace:group", args=[plan.group.slug]))
    )
    assert "Neglect subgroup meeting" in page_text(
        client.get(reverse("workspace:action", args=[action.pk]))
    )

    response = client.post(reverse("workspace_meetings:agree_minutes", args=[met.pk]))
    assert response.status_code == 302
    met.refresh_from_db()
    assert met.minutes_status == "agreed" and met.minutes_agreed_by == chair
    agreed = Version.objects.get_for_object(met).first()
    assert agreed.revision.user == chair
    assert agreed.revision.comment == "Minutes agreed by the chair"
    # Agreed minutes are no longer written in the workspace.
    response = client.post(
        reverse("workspace_meetings:item_minutes", args=[met.pk, strategy.pk]),
        {"minutes_text": "Changed after agreement."},
    )
    assert "can no longer be changed" in page_text(response)
    assert AgendaItem.objects.get(pk=strategy.pk).minutes_text == "Discussed the strategy."


def test_bad_minutes_get_a_message_beside_the_field_and_save_nothing(client, chair, met, plan):
    strategy = items(met)["Neglect strategy refresh"]
    client.force_login(chair)
    url = reverse("workspace_meetings:item_minutes", args=[met.pk, strategy.pk])
    early = LAST_MONTH - datetime.timedelta(days=3)
    response = client.post(
        url,
        {
            "minutes_text": "",
            "decisions": "- Adopt it.",
            "action": "Publish the toolkit",
            "due_on_0": early.day,
            "due_on_1": early.month,
            "due_on_2": early.year,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Write the minutes of this item" in errors["minutes_text"][0]
    assert "before the meeting" in errors["due_on"][0]
    assert 'class="govuk-error-message"' in response.content.decode()
    assert not Action.objects.exists()
    assert AgendaItem.objects.get(pk=strategy.pk).decisions == ""


def test_a_chair_of_another_group_gets_404(client, other_chair, met):
    write_minutes(met)
    strategy = items(met)["Neglect strategy refresh"]
    client.force_login(other_chair)
    assert client.get(reverse("workspace_meetings:meeting", args=[met.pk])).status_code == 404
    minutes = reverse("workspace_meetings:item_minutes", args=[met.pk, strategy.pk])
    assert client.get(minutes).status_code == 404
    assert client.post(minutes, {"minutes_text": "Hijacked."}).status_code == 404
    agree = reverse("workspace_meetings:agree_minutes", args=[met.pk])
    assert client.post(agree).status_code == 404
    assert Meeting.objects.get(pk=met.pk).minutes_status == "draft"


def test_a_board_member_reads_the_meeting_but_cannot_write(client, board_member, met):
    write_minutes(met)
    strategy = items(met)["Neglect strategy refresh"]
    paper = f.PaperFactory(
        agenda_item=items(met)["Rapid review of Child Q"], title="Child Q chronology"
    )
    client.force_login(board_member)
    page = client.get(reverse("workspace_meetings:meeting", args=[met.pk]))
    assert page.status_code == 200
    # Not a member of the group: the confidential paper is not linked.
    assert paper.get_absolute_url() not in page.content.decode()
    assert "Agree the minutes" not in page_text(page)
    minutes = reverse("workspace_meetings:item_minutes", args=[met.pk, strategy.pk])
    assert client.post(minutes, {"minutes_text": "Changed."}).status_code == 403
    agree = reverse("workspace_meetings:agree_minutes", args=[met.pk])
    assert client.post(agree).status_code == 403
    assert Meeting.objects.get(pk=met.pk).minutes_status == "draft"
    assert AgendaItem.objects.get(pk=strategy.pk).minutes_text.startswith("The subgroup")


def test_the_actions_back_office_page_says_which_meeting_it_arose_from(
    client, support_officer, met, plan
):
    strategy = items(met)["Neglect strategy refresh"]
    (action,) = minutes_actions_raise(
        item=strategy, minutes_text="Discussed.", actions=[ActionArising("Publish the toolkit")]
    )
    client.force_login(support_officer)
    page = page_text(client.get(reverse("admin:subgroups_action_change", args=[action.pk])))
    assert f"{met}, item “Neglect strategy refresh”" in page


def test_the_meetings_back_office_page_lists_its_actions_arising_with_links_to_each(
    client, support_officer, met, plan
):
    police = f.OrganisationFactory(name="Thames Valley Police")
    strategy, child_q = (
        items(met)["Neglect strategy refresh"],
        items(met)["Rapid review of Child Q"],
    )
    due = TODAY + datetime.timedelta(days=60)
    (toolkit,) = minutes_actions_raise(
        item=strategy,
        minutes_text="Discussed.",
        actions=[ActionArising("Publish the toolkit", owner_organisation=police, due_on=due)],
    )
    (learning,) = minutes_actions_raise(
        item=child_q, minutes_text="Discussed.", actions=[ActionArising("Share the learning")]
    )
    url = reverse("admin:meetings_meeting_change", args=[met.pk])

    client.force_login(support_officer)
    response = client.get(url)
    page = page_text(response)
    assert "Actions arising" in page
    assert (
        f"Publish the toolkit Neglect strategy refresh Thames Valley Police {date_format(due)} "
        "Not started" in page
    )
    assert "Share the learning Rapid review of Child Q Not recorded Not recorded" in page
    for action in (toolkit, learning):
        assert reverse("admin:subgroups_action_change", args=[action.pk]).encode() in (
            response.content
        )

    # A board member not on the group reads the actions, not the confidential item's title.
    reader = f.UserFactory(username="reader", is_staff=True, roles=[BOARD_MEMBERS])
    client.force_login(reader)
    page = page_text(client.get(url))
    assert "Share the learning A confidential item" in page
    assert "Rapid review of Child Q" not in page


def test_the_groups_chairs_hear_of_an_action_arising_once_the_step_commits(
    met, plan, mailoutbox, django_capture_on_commit_callbacks
):
    chair = f.UserFactory(email="chair@example.org")
    met.group.chairs.add(chair)
    strategy = items(met)["Neglect strategy refresh"]
    with django_capture_on_commit_callbacks(execute=True):
        minutes_actions_raise(
            item=strategy,
            minutes_text="The subgroup discussed the draft strategy.",
            actions=[
                ActionArising(
                    description="Take the strategy to the Board",
                    due_on=TODAY + datetime.timedelta(days=60),
                )
            ],
        )
    assigned = [m for m in mailoutbox if m.subject.startswith("Action assigned")]
    assert [m.to for m in assigned] == [["chair@example.org"]]


def test_an_item_cannot_name_another_groups_plan(met):
    other_plan = f.ActionPlanFactory(title="Another group's plan")
    item = items(met)["Neglect strategy refresh"]
    item.action_plan = other_plan
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "Choose a plan of" in refused.value.message_dict["action_plan"][0]


def test_the_support_officer_sends_the_draft_minutes_to_the_chair_once(
    client, support_officer, met, chair, django_capture_on_commit_callbacks
):
    from django.core import mail

    send = reverse("admin:meetings_meeting_send_minutes", args=[met.pk])
    client.force_login(support_officer)
    refused = client.post(send, follow=True)
    assert "No item has minutes yet" in page_text(refused)
    assert mail.outbox == []

    minutes_actions_raise(
        item=items(met)["Neglect strategy refresh"], minutes_text="The strategy was agreed."
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(send, follow=True)
        again = client.post(send, follow=True)
    assert "sent to the chair to agree (1 email)" in page_text(done)
    assert "already had the draft minutes" in page_text(again)
    (email,) = mail.outbox
    assert email.to == [chair.email] and email.subject.startswith("Draft minutes to agree")


def test_draft_minutes_of_a_meeting_not_held_are_not_sent_and_a_board_member_sends_nothing(
    client, support_officer, board_reader, neglect, chair
):
    coming = f.MeetingFactory(group=neglect, date=TODAY + datetime.timedelta(days=7))
    send = reverse("admin:meetings_meeting_send_minutes", args=[coming.pk])
    client.force_login(support_officer)
    assert "has not happened yet" in page_text(client.post(send, follow=True))
    client.force_login(board_reader)
    assert client.post(send).status_code == 403

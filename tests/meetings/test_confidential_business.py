"""A group's confidential business: the title, minutes, decisions and papers of a confidential
item, and any minutes not yet approved, are read only by those who sit on the group (its
members, their deputies, its chairs) and by the support team; a board member who is not on
the group reads the rest of the meeting, in the chairs' workspace and in the back office.

The people, as the brief names them: the public (signed in as nobody), the chair of another
group, a board member not on the group, a board member who sits on it, the support officer.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM
from meetings.cycle import circulate_papers
from meetings.minutes import minutes_approve
from tests import factories as f

TODAY = timezone.localdate()
SECRET = "Rapid review of Child Q"
SECRET_MINUTES = "The police shared the chronology of Child Q."
SECRET_DECISION = "Refer Child Q to the National Panel."
SECRET_PAPER = "Child Q chronology"
DRAFT_MINUTES = "The strategy draft was discussed at length."
OPEN_TITLE = "Neglect strategy refresh"


@pytest.fixture
def neglect(db, this_year):
    return f.GroupFactory(name="Neglect Subgroup", short_name="Neglect", slug="neglect")


@pytest.fixture
def people(neglect):
    chair = f.UserFactory(username="nina")
    neglect.chairs.add(chair)
    other_chair = f.UserFactory(username="omar")
    f.GroupFactory(name="Exploitation Subgroup").chairs.add(other_chair)
    member = f.UserFactory(username="mo", is_staff=True, roles=[BOARD_MEMBERS])
    f.MembershipFactory(group=neglect, person=f.PersonFactory(user=member))
    return {
        "the public": None,
        "chair of another group": other_chair,
        "board member not on the group": f.UserFactory(
            username="bea", is_staff=True, roles=[BOARD_MEMBERS]
        ),
        "board member on the group": member,
        "support officer": f.UserFactory(username="sam", is_staff=True, roles=[SUPPORT_TEAM]),
        "the group's chair": chair,
    }


@pytest.fixture
def met(neglect, people):
    """A meeting held a week ago, its papers circulated, its minutes still a draft."""
    meeting = f.MeetingFactory(
        group=neglect, date=TODAY - datetime.timedelta(days=7), title="Neglect subgroup meeting"
    )
    strategy = f.AgendaItemFactory(
        meeting=meeting,
        title=OPEN_TITLE,
        minutes_text=DRAFT_MINUTES,
        decisions="- Adopt the strategy.",
    )
    child_q = f.AgendaItemFactory(
        meeting=meeting,
        title=SECRET,
        presenter="Detective Inspector Reed",
        is_confidential=True,
        minutes_text=SECRET_MINUTES,
        decisions=f"- {SECRET_DECISION}",
    )
    f.PaperFactory(agenda_item=strategy, title="Draft neglect strategy")
    f.PaperFactory(agenda_item=child_q, title=SECRET_PAPER)
    circulate_papers(meeting, people["support officer"])
    meeting.refresh_from_db()
    return meeting


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _secrets_in(content: str) -> list[str]:
    return [s for s in (SECRET, SECRET_MINUTES, SECRET_DECISION, SECRET_PAPER) if s in content]


def test_the_workspace_meeting_page_keeps_confidential_business_and_draft_minutes_in_the_group(
    met, people
):
    url = reverse("workspace_meetings:meeting", args=[met.pk])
    answers = {name: _client(user).get(url) for name, user in people.items()}

    assert answers["the public"].status_code == 302
    assert "login" in answers["the public"]["Location"]
    assert answers["chair of another group"].status_code == 404

    outsider = answers["board member not on the group"].content.decode()
    assert answers["board member not on the group"].status_code == 200
    assert _secrets_in(outsider) == []
    assert "Detective Inspector Reed" not in outsider
    assert OPEN_TITLE in outsider  # the open business is theirs to read
    assert "Confidential item" in outsider
    assert DRAFT_MINUTES not in outsider  # a draft is the group's until approved
    assert "The minutes are not approved yet" in outsider

    for insider in ("board member on the group", "support officer", "the group's chair"):
        content = answers[insider].content.decode()
        assert _secrets_in(content) == [SECRET, SECRET_MINUTES, SECRET_DECISION, SECRET_PAPER]
        assert DRAFT_MINUTES in content, insider


def test_approved_minutes_of_the_open_items_are_read_by_every_board_member_confidential_never(
    met, people, neglect
):
    later = f.MeetingFactory(group=neglect, date=TODAY - datetime.timedelta(days=1))
    minutes_approve(meeting=met, at=later)
    url = reverse("workspace_meetings:meeting", args=[met.pk])
    outsider = _client(people["board member not on the group"]).get(url).content.decode()
    assert DRAFT_MINUTES in outsider
    assert _secrets_in(outsider) == []


def test_the_back_office_meeting_page_shows_a_board_member_not_on_the_group_no_confidential_item(
    met, people
):
    url = reverse("admin:meetings_meeting_change", args=[met.pk])
    answers = {name: _client(user).get(url) for name, user in people.items()}

    # Neither the public nor a chair (not staff) reaches the back office.
    for name in ("the public", "chair of another group", "the group's chair"):
        assert answers[name].status_code == 302, name
        assert "login" in answers[name]["Location"]

    outsider = answers["board member not on the group"]
    assert outsider.status_code == 200
    content = outsider.content.decode()
    assert _secrets_in(content) == []
    assert OPEN_TITLE in content and "Draft neglect strategy" in content
    assert "1 confidential item is not shown" in content

    for insider in ("board member on the group", "support officer"):
        content = answers[insider].content.decode()
        assert SECRET in content and SECRET_PAPER in content, insider
        assert "is not shown" not in content


def test_the_back_office_lists_and_item_pages_keep_confidential_items_and_draft_minutes_in(
    met, people
):
    child_q = met.agenda_items.get(title=SECRET)
    strategy = met.agenda_items.get(title=OPEN_TITLE)
    outsider = _client(people["board member not on the group"])

    items = outsider.get(reverse("admin:meetings_agendaitem_changelist")).content.decode()
    assert OPEN_TITLE in items and SECRET not in items
    papers = outsider.get(reverse("admin:meetings_paper_changelist")).content.decode()
    assert "Draft neglect strategy" in papers and SECRET_PAPER not in papers
    # The confidential item's own page is not there for them (the admin's "does not exist").
    page = outsider.get(reverse("admin:meetings_agendaitem_change", args=[child_q.pk]))
    assert page.status_code == 302
    assert _secrets_in(outsider.get(page["Location"]).content.decode()) == []
    paper = met.papers.get(title=SECRET_PAPER)
    assert outsider.get(reverse("admin:meetings_paper_change", args=[paper.pk])).status_code == 302
    # The open item's page, without its draft minutes.
    open_page = outsider.get(reverse("admin:meetings_agendaitem_change", args=[strategy.pk]))
    assert open_page.status_code == 200
    assert OPEN_TITLE in open_page.content.decode()
    assert DRAFT_MINUTES not in open_page.content.decode()
    # A search of the meetings by a confidential title finds nothing to give it away.
    found = outsider.get(reverse("admin:meetings_meeting_changelist"), {"q": "Child Q"})
    assert "0 meetings" in found.content.decode()

    member = _client(people["board member on the group"])
    assert SECRET in member.get(reverse("admin:meetings_agendaitem_changelist")).content.decode()
    secret_page = member.get(reverse("admin:meetings_agendaitem_change", args=[child_q.pk]))
    assert SECRET_MINUTES in secret_page.content.decode()
    assert (
        DRAFT_MINUTES
        in member.get(
            reverse("admin:meetings_agendaitem_change", args=[strategy.pk])
        ).content.decode()
    )
    support = _client(people["support officer"])
    found = support.get(reverse("admin:meetings_meeting_changelist"), {"q": "Child Q"})
    assert "1 meeting" in found.content.decode()


def test_a_confidential_paper_is_downloaded_only_by_those_who_sit_on_the_group(met, people):
    secret = met.papers.get(title=SECRET_PAPER).get_absolute_url()
    got = {name: _client(user).get(secret).status_code for name, user in people.items()}
    assert got == {
        "the public": 404,
        "chair of another group": 404,
        "board member not on the group": 404,
        "board member on the group": 200,
        "support officer": 200,
        "the group's chair": 200,
    }


def test_an_action_arising_from_a_confidential_item_does_not_name_the_item_to_an_outsider(
    met, people
):
    plan = f.ActionPlanFactory(group=met.group)
    action = f.ActionFactory(
        plan=plan, arose_from=met.agenda_items.get(title=SECRET), description="Share the learning"
    )
    url = reverse("workspace:action", args=[action.pk])
    outsider = _client(people["board member not on the group"]).get(url).content.decode()
    assert "Share the learning" in outsider and SECRET not in outsider
    assert "a confidential item" in outsider
    assert SECRET in _client(people["board member on the group"]).get(url).content.decode()
    back_office = reverse("admin:subgroups_action_change", args=[action.pk])
    content = _client(people["board member not on the group"]).get(back_office).content.decode()
    assert "Share the learning" in content and SECRET not in content


def test_the_papers_email_on_record_does_not_show_a_board_member_not_on_the_group_its_agenda(
    met, people
):
    """The email lists the confidential item for the chairs; its record in the back office
    is the support team's to read."""
    from bscb.notices.models import Notice

    notice = f.NoticeFactory(
        kind="papers_circulated",
        object_key=f"meeting:{met.pk}",
        body_text=f"Agenda:\n1. {OPEN_TITLE}\n2. {SECRET} (confidential)\n",
    )
    url = reverse("admin:notices_notice_change", args=[notice.pk])
    outsider = _client(people["board member not on the group"]).get(url)
    assert outsider.status_code == 200
    assert SECRET not in outsider.content.decode()
    assert SECRET in _client(people["support officer"]).get(url).content.decode()
    assert Notice.objects.filter(pk=notice.pk).exists()


def test_a_case_review_linked_to_a_confidential_item_names_it_only_to_those_on_the_group(
    met, people
):
    review = f.CaseReviewFactory(pseudonym="Child Q")
    review.agenda_items.add(*met.agenda_items.all())
    audit = f.AuditFactory(title="Neglect audit")
    audit.agenda_items.add(*met.agenda_items.all())
    for url in (
        reverse("admin:reviews_casereview_change", args=[review.pk]),
        reverse("admin:reviews_audit_change", args=[audit.pk]),
    ):
        outsider = _client(people["board member not on the group"]).get(url).content.decode()
        assert SECRET not in outsider, url
        assert OPEN_TITLE in outsider and "A confidential item" in outsider
        assert SECRET in _client(people["board member on the group"]).get(url).content.decode()
        assert SECRET in _client(people["support officer"]).get(url).content.decode()


def test_an_open_items_paper_is_read_by_staff_and_those_on_the_group_even_where_not_public(
    met, people
):
    """The Neglect subgroup does not publish its papers: an open item's paper is for the
    group, the support team and board members (staff), not for the public or another chair."""
    open_paper = met.papers.get(title="Draft neglect strategy").get_absolute_url()
    got = {name: _client(user).get(open_paper).status_code for name, user in people.items()}
    assert got == {
        "the public": 404,
        "chair of another group": 404,
        "board member not on the group": 200,
        "board member on the group": 200,
        "support officer": 200,
        "the group's chair": 200,
    }


def test_the_workspace_links_the_papers_each_person_may_download_and_no_other(met, people):
    """The page links exactly the papers the download answers 200 for."""
    page = reverse("workspace_meetings:meeting", args=[met.pk])
    for name, user in people.items():
        if user is None or name == "chair of another group":
            continue
        content = _client(user).get(page).content.decode()
        for paper in met.papers.all():
            linked = paper.get_absolute_url() in content
            answers = _client(user).get(paper.get_absolute_url()).status_code
            assert linked == (answers == 200), (name, paper.title)


def test_the_history_of_a_meeting_item_and_paper_is_for_those_who_sit_on_the_group(met, people):
    """The back office records each change with the admin's message, which names the item or
    paper ("Changed Presenter for agenda item “Rapid review of Child Q”"); a past version shows
    the record as it stood. Neither is for a board member not on the group."""
    from reversion.models import Version

    from tests.admin_forms import form_data

    officer = _client(people["support officer"])
    change = reverse("admin:meetings_meeting_change", args=[met.pk])
    data = form_data(officer.get(change).content.decode())
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-title") and v == SECRET)
    data[f"agenda_items-{index}-presenter"] = "Detective Sergeant Cole"
    data["_continue"] = "Save and continue editing"
    assert officer.post(change, data).status_code == 302
    child_q = met.agenda_items.get(title=SECRET)
    paper = met.papers.get(title=SECRET_PAPER)
    version = Version.objects.get_for_object(met).first()
    pages = [
        reverse("admin:meetings_meeting_history", args=[met.pk]),
        reverse("admin:meetings_meeting_revision", args=[met.pk, version.pk]),
        reverse("admin:meetings_agendaitem_history", args=[child_q.pk]),
        reverse("admin:meetings_agendaitem_revision", args=[child_q.pk, version.pk]),
        reverse("admin:meetings_paper_history", args=[paper.pk]),
        reverse("admin:meetings_paper_revision", args=[paper.pk, version.pk]),
    ]
    assert SECRET in officer.get(pages[0]).content.decode()  # the message names it

    outsider = Client(raise_request_exception=False)
    outsider.force_login(people["board member not on the group"])
    for page in pages:
        response = outsider.get(page, follow=True)
        assert response.status_code == 403, page
        assert _secrets_in(response.content.decode()) == [], page
    insider = _client(people["board member on the group"])
    assert insider.get(pages[0]).status_code == 200

"""A group's members are people representing organisations, with deputies: they read the group's
papers, and the meeting's register is filled from them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM
from meetings.attendance import who_attends
from meetings.cycle import circulate_papers
from meetings.models import Attendance
from meetings.rules import sits_on
from subgroups.models import Membership
from tests import factories as f
from tests.pages import page_text

TODAY = timezone.localdate()


@pytest.fixture
def neglect(db):
    return f.GroupFactory(name="Neglect Subgroup", short_name="Neglect")


@pytest.fixture
def police(db):
    return f.OrganisationFactory(name="Thames Valley Police", sector="police")


@pytest.fixture
def health(db):
    return f.OrganisationFactory(name="Berkshire Health", sector="health")


@pytest.fixture
def support(db):
    return f.UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM])


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_group_has_people_representing_organisations_each_with_a_deputy(neglect, police):
    inspector = f.PersonFactory(name="DI Jo Smith", organisation=police)
    sergeant = f.PersonFactory(name="DS Ali Khan", organisation=police)
    seat = f.MembershipFactory(
        group=neglect, organisation=police, person=inspector, deputy=sergeant
    )
    assert str(seat) == "DI Jo Smith, Thames Valley Police on Neglect"
    assert list(inspector.memberships.all()) == [seat]
    assert list(sergeant.deputy_memberships.all()) == [seat]

    # A member is not their own deputy: refused beside the field, and by the database.
    seat.deputy = inspector
    with pytest.raises(ValidationError) as refused:
        seat.full_clean()
    assert "deputy" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        seat.save()


def test_an_organisation_with_two_people_on_the_board_is_listed_and_expected_once(year, police):
    board = f.GroupFactory(kind="board", name="The Board", short_name="Board")
    f.MembershipFactory(group=board, organisation=police, person=f.PersonFactory())
    f.MembershipFactory(group=board, organisation=police, person=f.PersonFactory())
    meeting = f.MeetingFactory(group=board, date=year.start + datetime.timedelta(days=30))
    f.AttendanceFactory(meeting=meeting, organisation=police, status="deputy")

    who = who_attends(year)
    [(group, members)] = who.members_by_group
    assert group == board
    assert [m.organisation for m in members] == [police]
    [row] = who.board_attendance
    # The deputy who attended means the police were there.
    assert (row.expected, row.present, row.apologies) == (1, 1, 0)
    assert who.board_meetings[0].present("police")


def test_the_register_is_filled_from_the_members_once(neglect, police, health, support):
    inspector = f.PersonFactory(name="DI Jo Smith", organisation=police)
    f.MembershipFactory(group=neglect, organisation=police, person=inspector)
    f.MembershipFactory(group=neglect, organisation=health, person=f.PersonFactory(name="Dr Lee"))
    # A member who left before the meeting is not on its register.
    f.MembershipFactory(group=neglect, ends_on=TODAY - datetime.timedelta(days=30))
    meeting = f.MeetingFactory(group=neglect, date=TODAY - datetime.timedelta(days=2))
    client = _client(support)
    fill = reverse("admin:meetings_meeting_fill_register", args=[meeting.pk])

    # The button is on the meeting's page, and asks before it acts.
    change = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert fill.encode() in change.content
    assert "Fill the register" in page_text(client.get(fill))
    assert not meeting.attendances.exists()

    client.post(fill)
    register = {a.organisation.name: (a.status, a.person) for a in meeting.attendances.all()}
    assert register == {
        "Berkshire Health": ("present", Membership.objects.get(organisation=health).person),
        "Thames Valley Police": ("present", inspector),
    }

    # The officer marks the police's deputy, then clicks again: nothing added, nothing undone.
    police_line = meeting.attendances.get(organisation=police)
    police_line.status = Attendance.Status.DEPUTY
    police_line.save()
    response = client.post(fill, follow=True)
    assert "already on the register" in page_text(response)
    assert meeting.attendances.count() == 2
    assert meeting.attendances.get(organisation=police).status == "deputy"

    # A guest is still a line of its own.
    guest = f.OrganisationFactory(name="Reading Borough Council")
    f.AttendanceFactory(meeting=meeting, organisation=guest, attendee="A guest speaker")
    client.post(fill)
    assert meeting.attendances.count() == 3


def test_a_future_meeting_register_is_not_filled_and_nobody_is_absent_from_it_yet(
    neglect, police, support
):
    f.MembershipFactory(group=neglect, organisation=police)
    meeting = f.MeetingFactory(group=neglect, date=TODAY + datetime.timedelta(days=7))
    _client(support).post(reverse("admin:meetings_meeting_fill_register", args=[meeting.pk]))
    assert not meeting.attendances.exists()
    line = Attendance(meeting=meeting, organisation=police, status="absent")
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert "status" in refused.value.message_dict


def test_a_board_member_cannot_fill_a_register(neglect, police):
    f.MembershipFactory(group=neglect, organisation=police)
    meeting = f.MeetingFactory(group=neglect, date=TODAY - datetime.timedelta(days=2))
    member = f.UserFactory(username="member", is_staff=True, roles=[BOARD_MEMBERS])
    response = _client(member).post(
        reverse("admin:meetings_meeting_fill_register", args=[meeting.pk])
    )
    assert response.status_code == 403
    assert not meeting.attendances.exists()


def test_a_board_member_who_sits_on_a_group_reads_its_confidential_paper(neglect, support):
    meeting = f.MeetingFactory(group=neglect, date=TODAY + datetime.timedelta(days=14))
    item = f.AgendaItemFactory(meeting=meeting, title="Child Q", is_confidential=True)
    paper = f.PaperFactory(agenda_item=item, title="Child Q chronology")
    circulate_papers(meeting, support)

    ours = f.UserFactory(username="ours", is_staff=True, roles=[BOARD_MEMBERS])
    deputy = f.UserFactory(username="deputy", is_staff=True, roles=[BOARD_MEMBERS])
    theirs = f.UserFactory(username="theirs", is_staff=True, roles=[BOARD_MEMBERS])
    former = f.UserFactory(username="former", is_staff=True, roles=[BOARD_MEMBERS])
    f.MembershipFactory(
        group=neglect,
        person=f.PersonFactory(user=ours),
        deputy=f.PersonFactory(user=deputy),
    )
    f.MembershipFactory(group=f.GroupFactory(), person=f.PersonFactory(user=theirs))
    f.MembershipFactory(
        group=neglect,
        person=f.PersonFactory(user=former),
        ends_on=TODAY - datetime.timedelta(days=1),
    )

    got = {
        user.username: _client(user).get(paper.get_absolute_url()).status_code
        for user in (ours, deputy, theirs, former)
    }
    assert got == {"ours": 200, "deputy": 200, "theirs": 404, "former": 404}
    pack = reverse("meeting_pack", args=[meeting.pk])
    assert _client(ours).get(pack).status_code == 200
    assert _client(theirs).get(pack).status_code == 404
    assert sits_on(ours, neglect) and not sits_on(theirs, neglect)


def test_a_member_named_as_their_own_deputy_is_refused_beside_the_field(neglect, police, support):
    from tests.admin_forms import form_data, inline_formset

    inspector = f.PersonFactory(name="DI Jo Smith", organisation=police)
    seat = f.MembershipFactory(group=neglect, organisation=police, person=inspector)
    client = _client(support)
    url = reverse("admin:subgroups_group_change", args=[neglect.pk])
    data = form_data(client.get(url).content.decode())
    data["memberships-0-deputy"] = str(inspector.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    errors = inline_formset(response, "memberships").errors[0]
    assert errors["deputy"] == [
        "A member cannot be their own deputy: choose someone else, or leave it blank."
    ]
    seat.refresh_from_db()
    assert seat.deputy is None


def test_a_sign_in_is_linked_to_one_person_only(db):
    member = f.UserFactory(username="member", is_staff=True, roles=[BOARD_MEMBERS])
    f.PersonFactory(user=member)
    twin = f.PersonFactory.build(name="Someone else", user=member)
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert refused.value.message_dict["user"] == [
        "This sign-in is already linked to another person."
    ]

"""People in roles: who led the partnership in a period, read from records with dates.

The story: in 2020/21 the Northmoor partnership has an independent scrutineer appointed on
1 September 2020, a business manager, and the three statutory partners' lead officers by
their titles; the adults' board's chair is its link with the Safeguarding Adults Board. A
chief constable who retired before the year began is not printed. The support team enters
people on one page each, with their roles as rows; a role that ends before it starts is
refused beside "ends on" and nothing is saved.
"""

import csv
import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bscb.core.models import Appointment, Person
from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM
from bscb.reports import kinds
from bscb.reports.opendata import DATASETS_BY_SLUG
from bscb.reports.report import report_sections
from tests.factories import (
    AppointmentFactory,
    OrganisationFactory,
    PeriodFactory,
    PersonFactory,
    ReportSectionFactory,
    UserFactory,
)
from tests.pages import page_text

LEAD = Appointment.Role.LEAD_OFFICER


@pytest.fixture
def period(db):
    period = PeriodFactory(
        name="2020/21",
        slug="2020-21",
        start=datetime.date(2020, 4, 1),
        end=datetime.date(2021, 3, 31),
        status="published",  # published before any edition: rendered live
    )
    ReportSectionFactory(
        period=period,
        kind=kinds.GOVERNANCE,
        title="Who leads the Partnership",
        slug="governance",
        introduction="",
    )
    return period


@pytest.fixture
def partners(db):
    return {
        "council": OrganisationFactory(name="Northmoor Council", sector="local_authority"),
        "police": OrganisationFactory(name="Northmoor and Fellside Police", sector="police"),
        "icb": OrganisationFactory(name="NHS Northmoor Integrated Care Board", sector="health"),
    }


def appoint(name, role, starts_on=None, ends_on=None, **fields):
    return AppointmentFactory(
        person=PersonFactory(name=name),
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )


@pytest.fixture
def leaders(period, partners):
    return [
        appoint(
            "Dr Alex Moran",
            Appointment.Role.INDEPENDENT_SCRUTINEER,
            starts_on=datetime.date(2020, 9, 1),
        ),
        appoint("Jo Finch", Appointment.Role.BUSINESS_MANAGER),
        appoint(
            "Sam Okafor",
            LEAD,
            title="Chief Executive",
            organisation=partners["council"],
            starts_on=datetime.date(2017, 1, 9),
        ),
        appoint(
            "Ruth Ellery",
            LEAD,
            title="Chief Constable",
            organisation=partners["police"],
            starts_on=datetime.date(2020, 4, 1),
        ),
        appoint(
            "Priya Natt",
            LEAD,
            title="Chief Executive of the Integrated Care Board",
            organisation=partners["icb"],
        ),
        appoint(
            "Helen Marsh",
            Appointment.Role.LINK,
            title="Independent Chair of the adults' board",
            other_board="Northmoor Safeguarding Adults Board",
            ends_on=datetime.date(2021, 1, 31),
        ),
        # Retired before the year began: not in 2020/21's report.
        appoint(
            "Graham Toller",
            LEAD,
            title="Chief Constable",
            organisation=partners["police"],
            starts_on=datetime.date(2015, 6, 1),
            ends_on=datetime.date(2020, 3, 31),
        ),
    ]


def governance_page(client, period) -> str:
    return page_text(client.get(reverse("section", args=[period.slug, "governance"])))


def test_the_report_prints_the_scrutineer_and_each_lead_officer_by_role(period, leaders, client):
    page = governance_page(client, period)
    assert (
        "Independent scrutineer Independent scrutineer Dr Alex Moran (from 1 September 2020)"
        in (page)
    )
    assert "Business manager Business manager Jo Finch" in page
    assert "The statutory partners' lead officers" in page
    for office, holder in [
        ("Chief Executive, Northmoor Council", "Sam Okafor"),
        ("Chief Constable, Northmoor and Fellside Police", "Ruth Ellery"),
        ("Chief Executive of the Integrated Care Board, NHS Northmoor Integrated Care Board", ""),
    ]:
        assert office in page
        assert holder in page
    assert "Priya Natt" in page
    # Dates only where a role starts or ends within the year: the council's chief executive
    # started in 2017, the chief constable on the year's first day.
    assert "Sam Okafor (" not in page
    assert "9 January 2017" not in page
    assert "Ruth Ellery (from 1 April 2020)" in page
    assert (
        "Independent Chair of the adults' board, link to Northmoor Safeguarding Adults Board "
        "Helen Marsh (until 31 January 2021)" in page
    )
    # In the report's order of roles.
    order = ["Dr Alex Moran", "Jo Finch", "Sam Okafor", "Helen Marsh"]
    assert sorted(order, key=page.index) == order


def test_a_role_ended_before_the_period_is_not_printed(period, leaders, client):
    page = governance_page(client, period)
    assert "Graham Toller" not in page
    assert "2015" not in page
    # ...but it is in the interim period's, which it overlaps.
    interim = PeriodFactory(
        name="2019/20 (interim)",
        slug="2019-20-interim",
        start=datetime.date(2019, 9, 1),
        end=datetime.date(2020, 3, 31),
    )
    held = Appointment.objects.during(interim)
    assert set(held.values_list("person__name", flat=True)) == {
        "Graham Toller",
        "Sam Okafor",
        "Jo Finch",
        "Priya Natt",
        "Helen Marsh",
    }


def test_a_role_with_no_dates_recorded_prints_no_date(period, partners, client):
    appoint("Priya Natt", LEAD, title="Chief Executive", organisation=partners["icb"])
    page = governance_page(client, period)
    assert "Chief Executive, NHS Northmoor Integrated Care Board Priya Natt" in page
    assert "Priya Natt (" not in page
    assert f"{timezone.localdate():%B %Y}" not in page


def test_without_anyone_in_a_role_the_section_is_left_out(period, client):
    PersonFactory(name="Nobody in a role yet")
    appoint("Gone Before", Appointment.Role.INDEPENDENT_CHAIR, ends_on=datetime.date(2019, 3, 31))
    assert kinds.GOVERNANCE not in {s.kind.key for s in report_sections(period)}
    url = reverse("section", args=[period.slug, "governance"])
    assert client.get(url).status_code == 404


def test_the_open_data_has_stable_columns_and_blanks_for_what_is_not_recorded(
    period, leaders, client
):
    dataset = DATASETS_BY_SLUG["people-in-roles"]
    assert dataset.names == [
        "role",
        "title",
        "name",
        "organisation",
        "other_board",
        "starts_on",
        "ends_on",
    ]
    response = client.get(reverse("dataset_csv", args=[period.slug, "people-in-roles"]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Every dataset's CSV names the period first.
    assert list(rows[0]) == ["period", *dataset.names]
    by_name = {row.pop("name"): row for row in rows}
    assert "Graham Toller" not in by_name
    assert by_name["Dr Alex Moran"] == {
        "period": "2020/21",
        "role": "independent_scrutineer",
        "title": "",
        "organisation": "",
        "other_board": "",
        "starts_on": "2020-09-01",
        "ends_on": "",
    }
    assert by_name["Ruth Ellery"]["organisation"] == "Northmoor and Fellside Police"
    assert by_name["Priya Natt"]["starts_on"] == ""
    assert by_name["Helen Marsh"]["other_board"] == "Northmoor Safeguarding Adults Board"
    assert by_name["Helen Marsh"]["ends_on"] == "2021-01-31"


def person_post(name="Ruth Ellery", roles=(), organisation=""):
    data = {
        "name": name,
        "organisation": organisation,
        "appointments-TOTAL_FORMS": str(len(roles)),
        "appointments-INITIAL_FORMS": "0",
        "appointments-MIN_NUM_FORMS": "0",
        "appointments-MAX_NUM_FORMS": "1000",
    }
    for i, role in enumerate(roles):
        for field in ["role", "title", "organisation", "other_board", "starts_on", "ends_on"]:
            data[f"appointments-{i}-{field}"] = role.get(field, "")
    return data


@pytest.fixture
def support(db):
    client = Client()
    client.force_login(UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM]))
    return client


def test_the_back_office_refuses_a_role_ending_before_it_starts_beside_ends_on(support, partners):
    response = support.post(
        reverse("admin:bscb_person_add"),
        person_post(
            roles=[
                {
                    "role": LEAD,
                    "title": "Chief Constable",
                    "organisation": partners["police"].pk,
                    "starts_on": "2020-04-01",
                    "ends_on": "2019-03-31",
                }
            ]
        ),
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors[0] == {
        "ends_on": ["The role cannot end (31 March 2019) before it starts (1 April 2020)."]
    }
    assert "The role cannot end (31 March 2019) before it starts (1 April 2020)." in (
        response.content.decode()
    )
    assert not Person.objects.exists()
    assert not Appointment.objects.exists()

    # The role's own page refuses it the same way.
    person = PersonFactory(name="Ruth Ellery")
    response = support.post(
        reverse("admin:bscb_appointment_add"),
        {
            "person": person.pk,
            "role": Appointment.Role.INDEPENDENT_CHAIR,
            "starts_on": "2020-04-01",
            "ends_on": "2020-03-31",
        },
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["ends_on"]
    assert not Appointment.objects.exists()


def test_the_back_office_saves_a_person_with_their_roles_on_one_page(support, partners):
    response = support.post(
        reverse("admin:bscb_person_add"),
        person_post(
            roles=[
                {
                    "role": LEAD,
                    "title": "Chief Constable",
                    "organisation": partners["police"].pk,
                    "starts_on": "2020-04-01",
                },
                {
                    "role": Appointment.Role.JOINT_CHAIR,
                    "other_board": "Northmoor Safeguarding Adults Board",
                    "starts_on": "2021-04-01",
                    "ends_on": "2021-04-01",
                },
            ]
        ),
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    person = Person.objects.get(name="Ruth Ellery")
    assert [a.office for a in person.appointments.order_by("role")] == [
        "Joint chair, shared with Northmoor Safeguarding Adults Board",
        "Chief Constable, Northmoor and Fellside Police",
    ]


@pytest.mark.parametrize(
    ("role", "field", "message"),
    [
        (
            {"role": LEAD, "title": "Chief Constable"},
            "organisation",
            "Name the statutory partner whose lead officer this is.",
        ),
        (
            {"role": LEAD, "organisation": "police"},
            "title",
            "Give the title the report prints, e.g. “Chief Constable”.",
        ),
        (
            {"role": Appointment.Role.LINK},
            "other_board",
            "Name the other board, e.g. “Safeguarding Adults Board”.",
        ),
        (
            {"role": Appointment.Role.BUSINESS_MANAGER, "other_board": "Adults Board"},
            "other_board",
            "Only a joint chair or a link to another board names one.",
        ),
    ],
)
def test_a_role_missing_what_the_report_needs_is_refused_beside_the_field(
    support, partners, role, field, message
):
    if role.get("organisation") == "police":
        role = {**role, "organisation": partners["police"].pk}
    response = support.post(reverse("admin:bscb_person_add"), person_post(roles=[role]))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0] == {field: [message]}
    assert not Person.objects.exists()


def test_the_database_refuses_a_role_ending_before_it_starts_written_past_the_form(db):
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            person=person,
            role=Appointment.Role.INDEPENDENT_CHAIR,
            starts_on=datetime.date(2020, 4, 1),
            ends_on=datetime.date(2020, 3, 1),
        )
    assert not Appointment.objects.exists()


def test_the_public_and_board_members_cannot_change_a_persons_roles(period, leaders):
    scrutineer = leaders[0]
    url = reverse("admin:bscb_person_change", args=[scrutineer.person.pk])
    data = person_post(name="Renamed")
    member = Client()
    member.force_login(UserFactory(username="board.member", is_staff=True, roles=[BOARD_MEMBERS]))
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("admin:login"))
    assert member.post(url, data).status_code == 403
    assert member.get(url).status_code == 200  # reading is theirs
    scrutineer.person.refresh_from_db()
    assert scrutineer.person.name == "Dr Alex Moran"

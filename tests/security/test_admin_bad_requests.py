"""Made-up addresses and forms in the back office get a message, never a 500, and change nothing."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.admin_forms import form_data


@pytest.fixture
def officer(support_officer):
    client = Client(raise_request_exception=False)
    client.force_login(support_officer)
    return client


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("year", ["99999999999999999999", "9999", "0"])
def test_a_year_out_of_range_in_the_meeting_list_address_is_refused(officer, year):
    f.MeetingFactory()
    url = reverse("admin:meetings_meeting_changelist")
    response = officer.get(url, {"date__year": year}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("?e=1")  # Django's "list not understood"


def test_an_export_address_with_a_made_up_filter_gets_a_message(officer):
    f.ContributionFactory()
    response = officer.get(reverse("admin:funding_contribution_export"), {"format": "99"})
    assert response.status_code == 302
    assert response.url == reverse("admin:funding_contribution_changelist")
    assert "Nothing was exported" in _messages(response)


def test_an_import_confirmed_with_a_made_up_format_gets_a_message(officer):
    attendance = f.SessionAttendanceFactory(attendees=4)
    response = officer.post(
        reverse("admin:training_sessionattendance_process_import"),
        {"format": "99", "resource": "0", "import_file_name": "x", "original_file_name": "x.csv"},
    )
    assert response.status_code == 302
    assert "Nothing was imported" in _messages(response)
    attendance.refresh_from_db()
    assert attendance.attendees == 4


def test_an_action_marked_complete_inline_without_evidence_is_refused_with_a_message(officer):
    action = f.ActionFactory()
    url = reverse("admin:subgroups_actionplan_change", args=[action.plan.pk])
    data = form_data(officer.get(url).content.decode())
    data["actions-0-status"] = "complete"
    response = officer.post(url, data)
    assert response.status_code == 200
    assert "Give the evidence of impact" in response.content.decode()
    action.refresh_from_db()
    assert action.status != "complete"

    data["actions-0-evidence"] = "Referrals now reach the team within a day."
    assert officer.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.status == "complete"


def test_an_action_whose_selection_lacks_versions_gets_a_message(officer):
    review = f.CaseReviewFactory(embargoed=True)
    url = reverse("admin:reviews_casereview_changelist")
    response = officer.post(
        url, {"action": "release_embargo", "index": "0", "_selected_action": [review.pk]}
    )
    assert response.status_code == 302
    assert "did not say which version" in _messages(response)
    review.refresh_from_db()
    assert review.is_embargoed


def test_a_line_of_attendance_added_on_its_own_page_names_its_session(officer):
    session = f.SessionFactory()
    organisation = f.OrganisationFactory()
    response = officer.post(
        reverse("admin:training_sessionattendance_add"),
        {"session": session.pk, "organisation": organisation.pk, "booked": "3", "attendees": "2"},
    )
    assert response.status_code == 302
    assert session.attendances.get().attendees == 2


def _changelists_with_dates():
    from django.contrib import admin
    from django.db import models

    cases = []
    for model in admin.site._registry:
        if model._meta.app_label not in {
            "bscb",
            "subgroups",
            "meetings",
            "reviews",
            "training",
            "funding",
            "reports",
        }:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField):  # DateTimeField too
                cases.append((model, field.name))
    return cases


DATE_FILTERS = _changelists_with_dates()


@pytest.mark.parametrize(
    ("model", "field"), DATE_FILTERS, ids=[f"{m.__name__}.{n}" for m, n in DATE_FILTERS]
)
@pytest.mark.parametrize("lookup", ["year=99999", "year=0", "month=13", "day=0"])
def test_every_list_refuses_a_date_out_of_range_in_its_address(officer, model, field, lookup):
    """Every list of the back office, every date field: the list is not understood, not a 500."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    part, value = lookup.split("=")
    response = officer.get(url, {f"{field}__{part}": value})
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response.url.endswith("?e=1")  # Django's "list not understood"


def test_a_year_out_of_range_among_other_lookups_of_a_list_is_refused(officer):
    f.AppointmentFactory()
    url = reverse("admin:bscb_appointment_changelist")
    for query in ("starts_on__year__gte=99999", "ends_on__year=-1", "starts_on__year__in=2019,0"):
        response = officer.get(f"{url}?{query}")
        assert response.status_code == 302, query
        assert response.url.endswith("?e=1"), query

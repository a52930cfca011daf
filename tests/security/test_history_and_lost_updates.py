"""Nothing lost: every change kept with who and when, deletions recoverable, no silent overwrite."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from meetings.models import Entry, Meeting
from subgroups.models import Action, ActionPlan
from tests.admin_forms import form_data, meeting_post, signed_version


@pytest.fixture
def officer_client(client, support_officer):
    client.force_login(support_officer)
    return client


def test_a_meeting_and_its_entries_are_one_revision_with_who_and_when(
    officer_client, support_officer, exploitation, year
):
    officer_client.post(
        reverse("admin:meetings_meeting_add"),
        meeting_post(
            group=exploitation,
            date=datetime.date(2018, 9, 12),
            entries=[("did", "We met."), ("did", "We agreed.")],
        ),
    )
    meeting = Meeting.objects.get()
    (version,) = Version.objects.get_for_object(meeting)
    assert version.revision.user == support_officer
    assert version.revision.date_created.date() == timezone.localdate()
    in_revision = {v.content_type.model for v in version.revision.version_set.all()}
    assert {"meeting", "entry"} <= in_revision
    history = officer_client.get(
        reverse("admin:meetings_meeting_history", args=[meeting.pk])
    ).content.decode()
    assert "sam" in history


def test_a_deleted_meeting_is_recovered_with_its_entries(officer_client, exploitation, year):
    officer_client.post(
        reverse("admin:meetings_meeting_add"),
        meeting_post(
            group=exploitation,
            date=datetime.date(2018, 9, 12),
            entries=[("did", "We met."), ("difference", "Safer taxis.")],
        ),
    )
    meeting = Meeting.objects.get()
    officer_client.post(
        reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"}
    )
    assert not Meeting.objects.exists() and not Entry.objects.exists()
    recover_list = officer_client.get(
        reverse("admin:meetings_meeting_recoverlist")
    ).content.decode()
    version_id = re.search(r"/recover/(\d+)/", recover_list).group(1)
    recover_url = reverse("admin:meetings_meeting_recover", args=[version_id])
    form_page = officer_client.get(recover_url)
    assert form_page.status_code == 200
    data = form_data(form_page.content.decode(), form_index=-1)
    assert data["entries-0-text"].strip() == "We met."
    response = officer_client.post(recover_url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    recovered = Meeting.objects.get()
    assert [e.text for e in recovered.entries.all()] == ["We met.", "Safer taxis."]


def test_a_save_over_a_change_never_seen_is_refused_with_the_newer_version(
    support_officer, exploitation, django_user_model, year
):
    meeting = Meeting.objects.create(
        group=exploitation, date=datetime.date(2018, 9, 12), title="Autumn meeting"
    )
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    first, second = Client(), Client()
    first.force_login(support_officer)
    second.force_login(
        django_user_model.objects.create_user("alex", is_staff=True, is_superuser=True)
    )
    seen_by_first, seen_by_second = signed_version(first, url), signed_version(second, url)
    saved = first.post(
        url,
        {
            **meeting_post(
                group=exploitation, date=datetime.date(2018, 9, 12), title="Autumn Board meeting"
            ),
            "version": seen_by_first,
        },
    )
    assert saved.status_code == 302
    refused = second.post(
        url,
        {
            **meeting_post(
                group=exploitation, date=datetime.date(2018, 9, 13), title="Autumn meeting (moved)"
            ),
            "version": seen_by_second,
        },
    )
    assert refused.status_code == 200
    message = " ".join(refused.context["adminform"].form.non_field_errors())
    assert (
        "Someone else saved this record after you opened it, so your changes were not saved."
        in message
    )
    assert "Title: Autumn Board meeting" in message and "Date: 12 September 2018" in message
    meeting.refresh_from_db()
    assert (meeting.title, meeting.date) == ("Autumn Board meeting", datetime.date(2018, 9, 12))


def test_the_workspace_refuses_a_lost_update_too(exploitation, django_user_model):
    chair = django_user_model.objects.create_user("cara")
    exploitation.chairs.add(chair)
    plan = ActionPlan.objects.create(group=exploitation, title="Work plan")
    action = Action.objects.create(plan=plan, description="Map hotspots", lead="Head of Service")
    url = reverse("workspace:action_edit", args=[action.pk])
    first, second = Client(), Client()
    for c in (first, second):
        c.force_login(chair)
    v1, v2 = signed_version(first, url), signed_version(second, url)
    dates = {
        "starts_on_0": "",
        "starts_on_1": "",
        "starts_on_2": "",
        "due_on_0": "",
        "due_on_1": "",
        "due_on_2": "",
    }
    assert (
        first.post(url, {"lead": "Detective Inspector", "version": v1, **dates}).status_code == 302
    )
    refused = second.post(url, {"lead": "Service Manager", "version": v2, **dates})
    assert refused.status_code == 200
    assert (
        "The newer version reads: Lead (name or role): Detective Inspector"
        in refused.content.decode()
    )
    action.refresh_from_db()
    assert action.lead == "Detective Inspector"

"""The support officer records a meeting in the back office, and the public reads it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bscb.core.models import Organisation
from meetings.models import Attendance, Entry, Meeting
from tests.admin_forms import inline_formset, meeting_post, signed_version

ADD_MEETING = reverse("admin:meetings_meeting_add")


@pytest.fixture
def police(db):
    return Organisation.objects.create(name="Thames Valley Police", sector="police")


@pytest.fixture
def council(db):
    return Organisation.objects.create(
        name="Buckinghamshire County Council", sector="local_authority"
    )


def test_a_meeting_with_three_entries_and_two_attendances_reaches_the_public_page_in_order(
    client, support_officer, year, exploitation, police, council
):
    client.force_login(support_officer)
    response = client.post(
        ADD_MEETING,
        meeting_post(
            group=exploitation,
            date=datetime.date(2018, 9, 12),
            entries=[
                ("did", "We reviewed the **taxi driver** training."),
                ("did", "We heard about Hotel Watch.\n\n- mystery shopping\n- police cadets"),
                ("difference", "Children are safer in licensed taxis."),
            ],
            attendances=[(police, "present"), (council, "apologies")],
        ),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    meeting = Meeting.objects.get()
    assert [e.kind for e in meeting.entries.all()] == ["did", "did", "difference"]
    assert Attendance.objects.filter(meeting=meeting).count() == 2

    client.logout()
    page = client.get(reverse("group_detail", args=[year.slug, exploitation.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "12 September 2018" in html
    first = html.index("<strong>taxi driver</strong>")
    second = html.index("We heard about Hotel Watch.")
    third = html.index("Children are safer in licensed taxis.")
    assert first < second < third
    # The nested bullets are a list inside the entry's list item.
    assert "<li>mystery shopping</li>" in html
    assert html.index("What difference did that make for children?") < third

    meeting_page = client.get(meeting.url_in(year)).content.decode()
    assert "Thames Valley Police" in meeting_page
    assert "Apologies" in meeting_page


def test_a_meeting_after_its_group_concluded_is_refused_beside_the_date(
    client, support_officer, year, exploitation
):
    exploitation.concluded_on = datetime.date(2018, 10, 18)
    exploitation.save()
    client.force_login(support_officer)
    response = client.post(
        ADD_MEETING,
        meeting_post(group=exploitation, date=datetime.date(2018, 11, 1), entries=[("did", "x")]),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["date"] == [
        "Child Exploitation concluded on 18 October 2018: it cannot meet after that date."
    ]
    assert Meeting.objects.count() == 0
    assert Entry.objects.count() == 0


def test_an_entry_on_a_meeting_that_has_not_happened_is_refused(
    client, support_officer, exploitation
):
    client.force_login(support_officer)
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        ADD_MEETING,
        meeting_post(group=exploitation, date=next_month, entries=[("did", "We will meet.")]),
    )
    assert response.status_code == 200
    entry_errors = inline_formset(response, "entries").errors[0]
    assert "has not happened yet" in entry_errors["text"][0]
    assert Meeting.objects.count() == 0


def test_a_future_meeting_without_entries_can_be_scheduled(client, support_officer, exploitation):
    client.force_login(support_officer)
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(ADD_MEETING, meeting_post(group=exploitation, date=next_month))
    assert response.status_code == 302
    assert Meeting.objects.get().date == next_month


@pytest.mark.parametrize("blank", ["", "   \n  "])
def test_an_empty_entry_is_refused_beside_its_text(client, support_officer, exploitation, blank):
    client.force_login(support_officer)
    response = client.post(
        ADD_MEETING,
        meeting_post(
            group=exploitation,
            date=datetime.date(2018, 9, 12),
            entries=[("did", "We met."), ("difference", blank)],
        ),
    )
    assert response.status_code == 200
    errors = inline_formset(response, "entries").errors
    assert errors[1]["text"] == ["Write what the entry says: it cannot be empty."]
    assert Meeting.objects.count() == 0
    assert Entry.objects.count() == 0


def test_the_meeting_list_finds_a_meeting_by_the_words_of_its_entries(
    client, support_officer, exploitation, board
):
    found = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 9, 12))
    found.entries.create(text="We discussed the Hotel Watch scheme.")
    other = Meeting.objects.create(group=board, date=datetime.date(2018, 9, 13))
    other.entries.create(text="We agreed the business plan.")
    client.force_login(support_officer)
    response = client.get(reverse("admin:meetings_meeting_changelist"), {"q": "hotel watch"})
    assert list(response.context["cl"].result_list) == [found]


def test_moving_a_meeting_with_entries_into_the_future_is_refused(
    client, support_officer, exploitation
):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 9, 12))
    meeting.entries.create(text="We met.")
    client.force_login(support_officer)
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {
        **meeting_post(group=exploitation, date=next_month),
        "version": signed_version(client, url),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is in the future" in response.context["adminform"].form.errors["date"][0]
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2018, 9, 12)


def test_concluding_a_group_before_its_last_meeting_is_refused(
    client, support_officer, exploitation
):
    Meeting.objects.create(group=exploitation, date=datetime.date(2018, 12, 1))
    client.force_login(support_officer)
    url = reverse("admin:subgroups_group_change", args=[exploitation.pk])
    response = client.post(
        url,
        {
            "version": signed_version(client, url),
            "name": exploitation.name,
            "short_name": exploitation.short_name,
            "slug": exploitation.slug,
            "kind": exploitation.kind,
            "position": "0",
            "concluded_on": "2018-10-18",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "meetings-TOTAL_FORMS": "1",
            "meetings-INITIAL_FORMS": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["concluded_on"] == [
        "Child Exploitation has a meeting on 1 December 2018, after this date: "
        "move or delete that meeting first."
    ]
    exploitation.refresh_from_db()
    assert exploitation.concluded_on is None

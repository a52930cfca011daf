"""The support officer records a meeting in the back office, and the public reads it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bscb.core.models import Organisation
from meetings.models import Attendance, Entry, Meeting
from tests import factories as f
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


def test_a_future_meeting_without_entries_can_be_scheduled(
    client, support_officer, exploitation, this_year
):
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
    client, support_officer, exploitation, year, this_year
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


def test_a_meeting_dated_outside_every_period_is_refused_naming_the_periods(
    client, support_officer, exploitation, year, draft_year
):
    client.force_login(support_officer)
    response = client.post(
        ADD_MEETING, meeting_post(group=exploitation, date=datetime.date(2030, 5, 3))
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [
        "No reporting period holds 3 May 2030: the periods are 2018/19 (1 April 2018 to "
        "31 March 2019), 2019/20 (1 April 2019 to 31 March 2020). Check the date, or add the "
        "period that holds it first (back office, Reporting periods)."
    ]
    assert Meeting.objects.count() == 0


def test_a_meeting_planned_beyond_the_last_period_saves_once_the_next_period_is_added(
    client, support_officer, exploitation
):
    """The rule for the meeting cycle: a future meeting needs a period that holds its date.
    The support team adds the next period (a draft) first, then schedules the meeting."""
    client.force_login(support_officer)
    today = timezone.localdate()
    in_two_months = today + datetime.timedelta(days=60)
    response = client.post(ADD_MEETING, meeting_post(group=exploitation, date=in_two_months))
    assert (
        response.context["adminform"].form.errors["date"][0].startswith("No reporting period holds")
    )
    assert "none is recorded yet" in response.context["adminform"].form.errors["date"][0]
    f.PeriodFactory(
        name="Next year", slug="next-year", start=today, end=today + datetime.timedelta(days=364)
    )
    response = client.post(ADD_MEETING, meeting_post(group=exploitation, date=in_two_months))
    assert response.status_code == 302
    assert Meeting.objects.get().date == in_two_months


def test_a_second_meeting_of_a_group_on_the_same_day_saves_with_a_warning(
    client, support_officer, exploitation, year
):
    first = Meeting.objects.create(
        group=exploitation, date=datetime.date(2018, 9, 12), title="Morning session"
    )
    client.force_login(support_officer)
    response = client.post(
        ADD_MEETING,
        meeting_post(group=exploitation, date=datetime.date(2018, 9, 12), title="Afternoon"),
        follow=True,
    )
    assert Meeting.objects.filter(group=exploitation).count() == 2
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    change_first = reverse("admin:meetings_meeting_change", args=[first.pk])
    assert warnings == [
        "Child Exploitation already has another meeting on 12 September 2018: "
        f'<a href="{change_first}">Morning session</a>. If this is the same meeting '
        "recorded twice, keep one and delete the other."
    ]


def test_meetings_whose_dates_were_lost_share_a_placeholder_day_without_a_warning(
    client, support_officer, exploitation, year
):
    Meeting.objects.create(group=exploitation, date=datetime.date(2018, 9, 1), date_known=False)
    client.force_login(support_officer)
    response = client.post(
        ADD_MEETING,
        meeting_post(group=exploitation, date=datetime.date(2018, 9, 1), date_known=False),
        follow=True,
    )
    assert Meeting.objects.filter(group=exploitation).count() == 2
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_view_on_site_opens_the_live_preview_of_a_meeting_the_published_edition_lacks(
    client, support_officer, small_year
):
    """The 2018/19 report is published; a meeting recorded since is not in its edition."""
    meeting = f.MeetingFactory(
        group=small_year.exploitation, date=datetime.date(2019, 2, 6), title="Winter meeting"
    )
    f.EntryFactory(meeting=meeting, text="We heard about Hotel Watch.")
    client.force_login(support_officer)
    page = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    view_on_site = re.search(r'<a href="([^"]+)" class="viewsitelink"', page.content.decode())
    response = client.get(view_on_site.group(1), follow=True)
    assert response.status_code == 200
    assert "We heard about Hotel Watch." in response.content.decode()
    # The public reads the published edition: the meeting is not in it, and the preview
    # address shows them nothing more.
    client.logout()
    assert client.get(meeting.url_in(small_year.period) + "?preview=1").status_code == 404


def test_a_meeting_the_report_does_not_show_has_no_view_on_site(
    client, support_officer, small_year
):
    meeting = f.MeetingFactory(
        group=small_year.exploitation, date=datetime.date(2019, 2, 6), is_public=False
    )
    client.force_login(support_officer)
    page = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert "viewsitelink" not in page.content.decode()

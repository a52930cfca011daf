"""A group's public page and its page in the back office."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bscb.core.models import Organisation, ReportingPeriod
from meetings.models import Meeting
from tests.admin_forms import inline_formset, meeting_post, period_post, signed_version


def test_the_public_group_page_shows_chair_purpose_and_conclusion(client, year, exploitation):
    exploitation.terms.create(
        period=year,
        purpose="To oversee the response to **exploitation**.",
        chair_name="Jo Smith",
        chair_organisation=Organisation.objects.create(name="Thames Valley Police"),
    )
    exploitation.concluded_on = datetime.date(2019, 3, 31)
    exploitation.save()
    # A group has a page in the report when it has public meetings in the period.
    Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 1))
    content = client.get(
        reverse("group_detail", args=[year.slug, exploitation.slug])
    ).content.decode()
    assert "Jo Smith, Thames Valley Police" in content
    assert "<strong>exploitation</strong>" in content
    assert "concluded its work on 31 March 2019" in content


def test_a_group_that_concluded_before_a_period_has_no_page_in_it(
    client, year, draft_year, exploitation
):
    draft_year.status = ReportingPeriod.Status.PUBLISHED
    draft_year.save()
    exploitation.concluded_on = datetime.date(2018, 10, 18)
    exploitation.save()
    Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 1))
    assert (
        client.get(reverse("group_detail", args=[year.slug, exploitation.slug])).status_code == 200
    )
    assert (
        client.get(reverse("group_detail", args=[draft_year.slug, exploitation.slug])).status_code
        == 404
    )
    assert exploitation.get_absolute_url() == reverse(
        "group_detail", args=[year.slug, exploitation.slug]
    )


def test_the_board_page_counts_every_meeting_but_shows_only_public_ones(client, year, board):
    Meeting.objects.create(group=board, date=datetime.date(2018, 7, 10)).entries.create(
        text="Public business."
    )
    private = Meeting.objects.create(group=board, date=datetime.date(2018, 9, 4), is_public=False)
    private.entries.create(text="Private business.")
    content = client.get(reverse("section", args=[year.slug, "board"])).content.decode()
    assert "The Board met 2 times in 2018/19." in content
    assert "Public business." in content
    assert "Private business." not in content


def test_meetings_whose_date_was_lost_have_pages_told_apart(client, year, exploitation):
    first = Meeting.objects.create(
        group=exploitation, date=datetime.date(2018, 6, 1), date_known=False
    )
    second = Meeting.objects.create(
        group=exploitation, date=datetime.date(2018, 9, 1), date_known=False
    )
    titles = [client.get(m.url_in(year)).context["number"] for m in (first, second)]
    assert titles == [1, 2]
    assert (
        '<h1 class="govuk-heading-xl">Child Exploitation meeting 2</h1>'
        in client.get(second.url_in(year)).content.decode()
    )


def test_the_home_page_lists_published_periods(client, year, draft_year):
    content = client.get(reverse("home")).content.decode()
    assert "Annual report 2018/19" in content
    assert "2019/20" not in content


def test_the_group_page_in_the_back_office_lists_its_meetings(
    client, support_officer, exploitation
):
    Meeting.objects.create(
        group=exploitation, date=datetime.date(2018, 6, 26), title="Summer meeting"
    )
    client.force_login(support_officer)
    content = client.get(
        reverse("admin:subgroups_group_change", args=[exploitation.pk])
    ).content.decode()
    assert "Summer meeting" in content
    assert "26 June 2018" in content


def test_the_meeting_list_filters_by_period_and_group(
    client, support_officer, year, draft_year, board, exploitation
):
    in_year = Meeting.objects.create(group=board, date=datetime.date(2018, 7, 10))
    Meeting.objects.create(group=exploitation, date=datetime.date(2018, 7, 11))
    Meeting.objects.create(group=board, date=datetime.date(2019, 7, 10))
    client.force_login(support_officer)
    url = reverse("admin:meetings_meeting_changelist")
    response = client.get(url, {"period": year.slug, "group__id__exact": board.pk})
    assert list(response.context["cl"].result_list) == [in_year]


def test_shrinking_a_period_that_would_orphan_a_meeting_is_refused(
    client, support_officer, year, board
):
    Meeting.objects.create(group=board, date=datetime.date(2019, 3, 5))
    client.force_login(support_officer)
    url = reverse("admin:bscb_reportingperiod_change", args=[year.pk])
    response = client.post(
        url,
        period_post(
            **{
                "version": signed_version(client, url),
                "name": year.name,
                "slug": year.slug,
                "start": "2018-04-01",
                "end": "2018-12-31",
                "status": "published",
            }
        ),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end"] == [
        "A Board meeting on 5 March 2019 would then belong to no period: "
        "create the period it belongs to first, or move the meeting."
    ]
    year.refresh_from_db()
    assert year.end == datetime.date(2019, 3, 31)


def test_a_new_entry_goes_after_the_meetings_others(client, support_officer, year, board):
    meeting = Meeting.objects.create(group=board, date=datetime.date(2018, 7, 10))
    meeting.entries.create(text="First.")
    meeting.entries.create(text="Second.")
    meeting.entries.create(text="Third, added later.")
    assert [e.text for e in meeting.entries.all()] == ["First.", "Second.", "Third, added later."]
    assert [e.position for e in meeting.entries.all()] == [1, 2, 3]


def test_nobody_can_be_present_at_a_meeting_that_has_not_happened(
    client, support_officer, board, this_year
):
    police = Organisation.objects.create(name="Thames Valley Police")
    client.force_login(support_officer)
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(
        reverse("admin:meetings_meeting_add"),
        meeting_post(group=board, date=next_week, attendances=[(police, "present")]),
    )
    assert response.status_code == 200
    errors = inline_formset(response, "attendances").errors[0]
    assert "nobody can have been present yet" in errors["status"][0]
    response = client.post(
        reverse("admin:meetings_meeting_add"),
        meeting_post(group=board, date=next_week, attendances=[(police, "apologies")]),
    )
    assert response.status_code == 302

"""Only published periods reach the public; staff preview drafts, marked as drafts."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bscb.core.models import ReportingPeriod
from meetings.models import Meeting
from tests.admin_forms import period_post


@pytest.fixture
def draft_meeting(draft_year, exploitation):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2019, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    return meeting


def draft_pages(period, meeting):
    return [
        reverse("period_detail", args=[period.slug]),
        reverse("section", args=[period.slug, "board"]),
        reverse("group_detail", args=[period.slug, meeting.group.slug]),
        meeting.url_in(period),
    ]


def test_the_public_gets_404_for_every_page_of_a_draft_period(client, draft_year, draft_meeting):
    for url in draft_pages(draft_year, draft_meeting):
        assert client.get(url).status_code == 404, url
    assert "2019/20" not in client.get(reverse("home")).content.decode()


def test_a_signed_in_non_staff_user_cannot_see_a_draft(client, draft_year, draft_meeting):
    client.force_login(get_user_model().objects.create_user("reader"))
    for url in draft_pages(draft_year, draft_meeting):
        assert client.get(url).status_code == 404, url


def test_staff_preview_every_page_of_a_draft_with_a_draft_banner(
    client, support_officer, draft_year, draft_meeting
):
    client.force_login(support_officer)
    for url in draft_pages(draft_year, draft_meeting):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "This is a draft of the 2019/20 report" in response.content.decode(), url
    assert (
        "We planned the exploitation workshops."
        in client.get(draft_meeting.url_in(draft_year)).content.decode()
    )


def test_a_published_period_carries_no_draft_banner(client, year, exploitation):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    for url in draft_pages(year, meeting):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "This is a draft" not in response.content.decode()


def test_a_meeting_kept_out_of_the_report_is_not_public(client, year, exploitation):
    meeting = Meeting.objects.create(
        group=exploitation, date=datetime.date(2018, 6, 4), is_public=False
    )
    meeting.entries.create(text="A confidential discussion.")
    assert client.get(meeting.url_in(year)).status_code == 404
    group_page = client.get(reverse("group_detail", args=[year.slug, exploitation.slug]))
    assert "A confidential discussion." not in group_page.content.decode()


def test_a_period_that_overlaps_another_is_refused_beside_its_start(client, support_officer, year):
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:bscb_reportingperiod_add"),
        period_post(
            **{
                "name": "Interim 2019",
                "slug": "interim-2019",
                "start": "2018-09-01",
                "end": "2019-03-31",
                "status": "draft",
            }
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["start"] == [
        "This period overlaps 2018/19 (1 April 2018 to 31 March 2019). "
        "Periods must not overlap: anything dated belongs to one period."
    ]
    assert ReportingPeriod.objects.count() == 1


def test_a_period_that_ends_before_it_starts_is_refused(client, support_officer):
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:bscb_reportingperiod_add"),
        period_post(
            **{
                "name": "Backwards",
                "slug": "backwards",
                "start": "2019-03-31",
                "end": "2018-04-01",
                "status": "draft",
            }
        ),
    )
    assert response.context["adminform"].form.errors["end"] == [
        "The period must end after it starts."
    ]
    assert ReportingPeriod.objects.count() == 0


def test_an_interim_period_next_to_another_is_accepted(client, support_officer, year):
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:bscb_reportingperiod_add"),
        period_post(
            **{
                "name": "Interim 2019",
                "slug": "interim-2019",
                "start": "2019-04-01",
                "end": "2019-09-30",
                "status": "draft",
            }
        ),
    )
    assert response.status_code == 302
    assert ReportingPeriod.objects.count() == 2

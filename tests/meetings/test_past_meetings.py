"""A member of the public finds a group's past meetings and their approved minutes from the
meetings page, newest first, a page at a time; and from the group's page in the report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests import factories as f
from tests.pages import page_text

TODAY = timezone.localdate()


@pytest.fixture
def neglect(db):
    return f.GroupFactory(
        name="Neglect Subgroup", short_name="Neglect", slug="neglect", publishes_agendas=True
    )


def held(group, days_ago: int, *, approved=True, **fields) -> Meeting:
    """A meeting `days_ago` days ago, its minutes approved at a later one (or still a draft)."""
    meeting = f.MeetingFactory(
        group=group,
        date=TODAY - datetime.timedelta(days=days_ago),
        title=fields.pop("title", f"Neglect meeting {days_ago} days ago"),
        **fields,
    )
    f.AgendaItemFactory(meeting=meeting, title="Neglect strategy", minutes_text="Agreed.")
    if approved:
        later = f.MeetingFactory(group=group, date=TODAY - datetime.timedelta(days=1), title="")
        Meeting.objects.filter(pk=meeting.pk).update(
            minutes_status="approved", minutes_approved_at=later
        )
    return meeting


def test_the_meetings_page_leads_to_a_groups_past_meetings_with_approved_minutes(client, neglect):
    approved = held(neglect, 60, title="Neglect subgroup, spring")
    held(neglect, 30, approved=False, title="Neglect subgroup, draft minutes")
    held(neglect, 90, is_public=False, title="Neglect subgroup, private")
    quiet = f.GroupFactory(name="Quiet Subgroup", slug="quiet", publishes_agendas=False)
    held(quiet, 40, title="Quiet subgroup meeting")

    listing = client.get(reverse("upcoming_meetings"))
    text = page_text(listing)
    assert "Past meetings" in text
    assert "Neglect Subgroup" in text and "Quiet Subgroup" not in text
    past = reverse("past_meetings", args=["neglect"])
    assert past.encode() in listing.content

    page = client.get(past)
    text = page_text(page)
    assert "Neglect subgroup, spring" in text
    assert approved.public_url().encode() in page.content
    assert "draft minutes" not in text and "private" not in text
    assert client.get(approved.public_url()).status_code == 200

    # A group that does not publish its meetings has no such page.
    assert client.get(reverse("past_meetings", args=["quiet"])).status_code == 404
    assert client.get(reverse("past_meetings", args=["no-such-group"])).status_code == 404


def test_past_meetings_come_newest_first_a_page_at_a_time(client, neglect):
    for n in range(25):
        held(neglect, 10 + n, title=f"Meeting number {n:02d}")
    url = reverse("past_meetings", args=["neglect"])

    first = page_text(client.get(url))
    assert first.index("Meeting number 00") < first.index("Meeting number 19")
    assert "Meeting number 20" not in first
    assert "Page 1 of 2" in first and "Next" in first

    second = page_text(client.get(url, {"page": 2}))
    assert "Meeting number 20" in second and "Meeting number 24" in second
    assert "Meeting number 19" not in second and "Previous" in second

    # A page number that is no number, or past the end, answers a page, not an error.
    assert "Meeting number 00" in page_text(client.get(url, {"page": "abc"}))
    assert "Meeting number 24" in page_text(client.get(url, {"page": 999}))


def test_the_public_meeting_page_of_a_past_meeting_leads_back_to_the_groups_past_meetings(
    client, neglect
):
    meeting = held(neglect, 60)
    content = client.get(meeting.public_url()).content.decode()
    assert reverse("past_meetings", args=["neglect"]) in content


def test_the_groups_page_in_the_report_links_its_past_meetings_when_it_publishes_them(
    client, small_year
):
    from subgroups.models import Group

    exploitation = Group.objects.get(slug="child-exploitation")
    url = reverse("group_detail", args=[small_year.period.slug, exploitation.slug])
    past = reverse("past_meetings", args=[exploitation.slug])
    assert past not in client.get(url).content.decode()

    Group.objects.filter(pk=exploitation.pk).update(publishes_agendas=True)
    from bscb.reports.editions import period_publish

    period_publish(period=small_year.period, accept_missing=True, accept_names=True)
    assert past in client.get(url).content.decode()

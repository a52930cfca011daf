"""Report pages need the same number of queries whatever the number of meetings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bscb.models import Organisation, Priority
from meetings.models import Meeting


def add_meetings(group, priority, count):
    for n in range(count):
        meeting = Meeting.objects.create(
            group=group, date=datetime.date(2018, 4, 2) + datetime.timedelta(days=n)
        )
        for kind in ["did", "did", "difference"]:
            entry = meeting.entries.create(
                kind=kind, text=f"Entry of meeting {n}, with a [link](https://example.org/{n})."
            )
            entry.priorities.add(priority)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def priority(year):
    police = Organisation.objects.create(name="Thames Valley Police", sector="police")
    priority = Priority.objects.create(name="Domestic abuse", slug="domestic-abuse")
    priority.lead_organisations.add(police)
    priority.periods.add(year)
    return priority


@pytest.mark.parametrize("page", ["board", "group"])
def test_report_pages_need_the_same_queries_with_ten_times_the_meetings(
    client, year, board, exploitation, priority, page
):
    group = board if page == "board" else exploitation
    url = (
        reverse("board_detail", args=[year.slug])
        if page == "board"
        else reverse("group_detail", args=[year.slug, group.slug])
    )
    add_meetings(group, priority, 3)
    few = queries_for(client, url)
    add_meetings(group, priority, 27)
    many = queries_for(client, url)
    assert many == few
    # Board page: the period, its groups, their public meetings, the meetings' entries,
    # the count of all their meetings, the period's priorities and their lead organisations.
    # Group page: the period, the group, its meetings and their entries.
    assert few == (7 if page == "board" else 4)

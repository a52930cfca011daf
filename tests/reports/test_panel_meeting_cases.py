"""A child death panel meeting whose cases were not recorded says so, on its own page and in
the panel's table, and the year's total is then not known (issue 17 review, finding 5)."""

import datetime

from django.urls import reverse

from bscb.reports.editions import period_publish
from subgroups.models import Group
from tests import factories as f
from tests.pages import page_text


def test_a_panel_meeting_without_its_cases_row_shows_them_not_recorded(client, small_year):
    meeting = f.MeetingFactory(
        group=small_year.panel, date=datetime.date(2019, 3, 8), title="Panel meeting"
    )
    f.EntryFactory(meeting=meeting, text="The panel agreed its themes for next year.")
    period_publish(period=small_year.period, accept_missing=True, note="A fourth meeting.")
    text = page_text(client.get(meeting.url_in(small_year.period)))
    assert "Cases reviewed Not recorded" in text
    assert "Highlights The panel agreed its themes" in text
    section = small_year.period.report_sections.get(kind="child-deaths")
    table = page_text(client.get(reverse("section", args=[small_year.slug, section.slug])))
    assert "8 March 2019 Not recorded The panel agreed its themes" in table
    assert "Total Not recorded" in table


def test_the_child_death_panel_is_the_panel_whose_meetings_review_cases(small_year):
    other = f.GroupFactory(name="Scrutiny Panel", kind=Group.Kind.PANEL, position=0)
    f.MeetingFactory(group=other, date=datetime.date(2018, 6, 1))
    assert Group.objects.child_death_panel() == small_year.panel


def test_the_open_data_lists_a_panel_meeting_without_its_cases_row_as_not_recorded(
    client, small_year
):
    f.MeetingFactory(group=small_year.panel, date=datetime.date(2019, 3, 8))
    period_publish(period=small_year.period, accept_missing=True, note="A fourth meeting.")
    csv = client.get(reverse("dataset_csv", args=[small_year.slug, "child-deaths"]))
    assert "2018/19,2019-03-08,\r\n" in csv.content.decode()

"""The back office's meeting list draws its rows once for each state of the meetings they show
(bscb.core.admin_base.results_key): every change shows at once, and no reader is shown rows
drawn for another's columns or another list's address."""

import datetime

from django.core.cache import caches
from django.urls import reverse

from bscb.core.admin_base import results_key
from meetings.models import Meeting
from tests import factories as f

URL = reverse("admin:meetings_meeting_changelist")


def row_of(page: str, meeting) -> str:
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    start = page.index(f'href="{change}')
    return page[page.rindex("<tr>", 0, start) : page.index("</tr>", start)]


def test_the_meeting_list_shows_each_change_to_a_meeting_the_moment_it_is_saved(
    client, support_officer
):
    group = f.GroupFactory(short_name="CE subgroup")
    meeting = f.MeetingFactory(group=group, date=datetime.date(2019, 2, 6), title="")
    client.force_login(support_officer)

    def row() -> str:
        response = client.get(URL)
        assert response.status_code == 200
        return row_of(response.content.decode(), meeting)

    first = row()
    assert "CE subgroup meeting (6 February 2019)" in first
    assert '<td class="field-entry_count">0</td>' in first
    # Drawn once, then read from the cache under the key of what it shows.
    response = client.get(URL)
    key = results_key(response.context["cl"], response.wsgi_request)
    assert caches["fragments"].get(key) is not None
    assert row_of(response.content.decode(), meeting) == first

    meeting.title = "Winter review"
    meeting.save()
    assert "Winter review (6 February 2019)" in row()

    f.EntryFactory(meeting=meeting, text="We heard about Hotel Watch.")
    assert '<td class="field-entry_count">1</td>' in row()

    Meeting.objects.filter(pk=meeting.pk).update(title="", papers_circulated_at=None)
    group.short_name = "Exploitation subgroup"
    group.save()
    shown = row()
    assert "Exploitation subgroup meeting (6 February 2019)" in shown
    assert "CE subgroup" not in shown

    Meeting.objects.filter(pk=meeting.pk).update(
        papers_circulated_at=datetime.datetime(2019, 1, 30, tzinfo=datetime.UTC)
    )
    assert '<td class="field-agenda_state">Papers circulated</td>' in row()

    Meeting.objects.filter(pk=meeting.pk).update(is_public=False)
    assert 'alt="False"' in row()


def test_a_reader_who_may_not_change_meetings_is_never_shown_the_tick_boxes_drawn_for_staff(
    client, support_officer, board_reader
):
    meeting = f.MeetingFactory(title="Spring meeting")
    client.force_login(support_officer)
    assert 'class="action-select"' in row_of(client.get(URL).content.decode(), meeting)
    client.force_login(board_reader)
    page = client.get(URL).content.decode()
    assert "Spring meeting" in row_of(page, meeting)
    assert 'class="action-select"' not in page
    client.force_login(support_officer)
    assert 'class="action-select"' in row_of(client.get(URL).content.decode(), meeting)


def test_each_row_links_to_its_meeting_keeping_the_lists_own_filters(client, support_officer):
    meeting = f.MeetingFactory(title="Spring meeting")
    client.force_login(support_officer)
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert f'href="{change}"' in row_of(client.get(URL).content.decode(), meeting)
    filtered = client.get(URL, {"group__id__exact": meeting.group_id}).content.decode()
    kept = f"{change}?_changelist_filters=group__id__exact%3D{meeting.group_id}"
    assert f'href="{kept}"' in row_of(filtered, meeting)
    # Sorted the other way, the same records' headings say so.
    by_date = client.get(URL, {"o": "-3"}).content.decode()
    assert 'class="sortable column-day sorted descending"' in by_date


def test_reading_the_list_opens_no_transaction_for_history_it_cannot_write(client, support_officer):
    """django-reversion wraps each list in a transaction for the actions a POST runs (those
    still make history: tests/meetings/test_minutes.py); a GET saves nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.MeetingFactory(title="Spring meeting")
    client.force_login(support_officer)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    assert not [q["sql"] for q in queries if "SAVEPOINT" in q["sql"] or q["sql"] == "BEGIN"]

"""Staff preview a report page to see the records as they stand: every change shows at once,
though each meeting's summary is drawn once for each state of its records."""

import datetime

from django.urls import reverse

from meetings.models import Entry, Meeting
from reviews.models import CaseReview
from reviews.services import review_release
from tests import factories as f
from tests.small_year import DOMESTIC_ABUSE_AT_THE_BOARD


def test_the_live_preview_shows_each_change_to_a_meeting_the_moment_it_is_saved(
    client, support_officer, small_year
):
    group = small_year.exploitation
    url = reverse("group_detail", args=[small_year.slug, group.slug]) + "?preview=1"
    client.force_login(support_officer)

    def page() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    winter = f.MeetingFactory(group=group, date=datetime.date(2019, 2, 6), title="")
    entry = f.EntryFactory(meeting=winter, text="We heard about Hotel Watch.")
    assert "We heard about Hotel Watch." in page()

    entry.text = "We heard about Operation Makesafe."
    entry.save()
    shown = page()
    assert "We heard about Operation Makesafe." in shown
    assert "Hotel Watch" not in shown

    winter.title = "Winter review meeting"
    winter.save()
    assert "6 February 2019: Winter review meeting" in page()

    winter.date = datetime.date(2019, 2, 7)
    winter.save()
    assert "7 February 2019: Winter review meeting" in page()

    second = f.EntryFactory(meeting=winter, kind="voice", text="Young people asked for a helpline.")
    assert "Young people asked for a helpline." in page()
    second.delete()
    assert "Young people asked for a helpline." not in page()

    # A meeting with no title is named by its group's short name, which staff may change.
    group.short_name = "CE subgroup"
    group.save()
    assert "12 June 2018: CE subgroup meeting" in page()

    # An entry about a review held back appears once the review is released.
    learning = "We followed the Baby S review's learning on handovers."
    held_back = Entry.objects.get(text=learning)
    assert learning not in page()
    review_release(review=CaseReview.objects.get(pk=held_back.review_id), user=support_officer)
    assert learning in page()

    # A meeting taken out of the report leaves the page.
    Meeting.objects.filter(pk=winter.pk).update(is_public=False)
    assert "Winter review meeting" not in page()


def test_the_boards_preview_shows_each_change_to_its_meetings_the_moment_it_is_saved(
    client, support_officer, small_year
):
    """The board's page draws each group's list of meetings once for each state of them all
    (bscb.reports.report.summaries_key): a change to any one of them draws the list again."""
    url = reverse("section", args=[small_year.slug, "board"]) + "?preview=1"
    client.force_login(support_officer)

    def page() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    assert DOMESTIC_ABUSE_AT_THE_BOARD in page()
    meeting = small_year.board_meeting
    entry = meeting.entries.get(text=DOMESTIC_ABUSE_AT_THE_BOARD)
    entry.text = "We looked at the figures on neglect across the county."
    entry.save()
    shown = page()
    assert "We looked at the figures on neglect across the county." in shown
    assert DOMESTIC_ABUSE_AT_THE_BOARD not in shown

    meeting.title = "Extraordinary board meeting"
    meeting.save()
    assert "10 July 2018: Extraordinary board meeting" in page()

    # A second meeting joins the list; taken out of the report, it leaves it.
    later = f.MeetingFactory(
        group=meeting.group, date=datetime.date(2018, 10, 2), title="Autumn board meeting"
    )
    f.EntryFactory(meeting=later, text="The Board heard from the young people's panel.")
    shown = page()
    assert "The Board heard from the young people's panel." in shown
    assert shown.index("Extraordinary board meeting") < shown.index("Autumn board meeting")
    Meeting.objects.filter(pk=later.pk).update(is_public=False)
    assert "Autumn board meeting" not in page()


def test_a_meetings_summary_key_changes_with_each_field_of_its_entries_and_only_then(db):
    """summary_key digests the entries' rows as marshal writes them: the key read from rows
    is the key read from records, and any change to an entry's field (its kind, its place,
    a word of its text, the review it concerns) makes a new key."""
    from bscb.reports.report import EntryRows, _rows_bytes, summary_key

    meeting = f.MeetingFactory(title="Autumn board")
    first = f.EntryFactory(meeting=meeting, text="We heard from the panel.", position=1)
    f.EntryFactory(meeting=meeting, text="We agreed the plan.", position=2)

    def key() -> str:
        fresh = Meeting.objects.get(pk=meeting.pk)
        rows = list(
            Entry.objects.filter(meeting=fresh)
            .order_by("position", "pk")
            .values_list(*[field.attname for field in Entry._meta.concrete_fields])
        )
        from_rows = fresh
        from_rows._prefetched_objects_cache = {"entries": EntryRows(fresh, rows)}
        from_records = Meeting.objects.prefetch_related("entries").get(pk=meeting.pk)
        assert summary_key(from_rows) == summary_key(from_records)
        return summary_key(from_rows)

    keys = [key()]
    assert key() == keys[0]
    for change in [
        {"text": "We heard from the panel!"},
        {"kind": Entry.Kind.DIFFERENCE},
        {"position": 3},
        {"review": f.CaseReviewFactory()},
    ]:
        for name, value in change.items():
            setattr(first, name, value)
        first.save()
        keys.append(key())
    assert len(set(keys)) == len(keys)
    # A field marshal cannot write (a date) is digested by its repr, told apart by a byte.
    assert _rows_bytes(((1, "a"),)).startswith(b"m")
    assert _rows_bytes(((1, datetime.date(2018, 4, 1)),)).startswith(b"r")


def test_a_records_fields_give_a_file_by_its_stored_name_however_it_was_read(db):
    """record_fields reads a file field's stored name without its descriptor: the same
    whether the record's file was opened as a FieldFile or not, and another once the file
    is another."""
    from bscb.core.records import record_fields

    meeting = f.MeetingFactory(title="Autumn board")
    Meeting.objects.filter(pk=meeting.pk).update(pack="packs/autumn.pdf")
    fresh = Meeting.objects.get(pk=meeting.pk)
    before = record_fields(fresh)
    assert fresh.pack.name == "packs/autumn.pdf"  # the descriptor makes its FieldFile
    assert record_fields(fresh) == before
    assert "packs/autumn.pdf" in before
    Meeting.objects.filter(pk=meeting.pk).update(pack="packs/autumn-2.pdf")
    assert record_fields(Meeting.objects.get(pk=meeting.pk)) != before
    deferred = Meeting.objects.defer("pack").get(pk=meeting.pk)
    assert "packs/autumn-2.pdf" in record_fields(deferred)

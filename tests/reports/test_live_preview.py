"""Staff preview a report page to see the records as they stand: every change shows at once,
though each meeting's summary is drawn once for each state of its records."""

import datetime

from django.urls import reverse

from meetings.models import Entry, Meeting
from reviews.models import CaseReview
from reviews.services import review_release
from tests import factories as f


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

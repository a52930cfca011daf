"""An embargoed review never reaches a public byte; once released, it does."""

import datetime
from urllib.parse import unquote_plus

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from meetings.models import Entry
from reviews import embargo
from reviews.models import CaseReview
from reviews.services import review_release
from tests.public_site import crawl
from tests.small_year import BABY_S_ENTRY

SUMMARY = (
    "Learning about the night-time handover between the two hospitals."  # "handover" is searched
)


@pytest.fixture
def baby_s(small_year):
    review = small_year.baby_s
    review.summary = SUMMARY
    review.signed_off_on = datetime.date(2018, 10, 3)
    review.save()
    return review


def traces(review):
    return [
        review.pseudonym,
        SUMMARY,
        review.embargo_reason,
        "3 October 2018",
        "03/10/2018",
        "2018-10-03",
    ]


def test_no_public_url_carries_a_trace_of_an_embargoed_review(client, baby_s):
    site = crawl(client)
    assert len(site) > 30  # pages, group pages, meeting pages, downloads
    for url, body in site.items():
        text = body.decode(errors="replace")
        if "?q=" in url:  # the search page repeats what was typed: that is no leak
            typed = unquote_plus(url.split("?q=", 1)[1])
            text = text.replace(typed, "").replace(escape(typed), "")
        for trace in traces(baby_s):
            assert trace not in text, f"{trace!r} leaked on {url}"
    case_reviews = site["/2018-19/case-reviews/"].decode()
    assert "We signed off a review which cannot currently be published." in case_reviews


def test_after_release_the_review_appears(
    client, baby_s, support_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_release(review=baby_s, user=support_officer)
    site = crawl(client)
    case_reviews = site["/2018-19/case-reviews/"].decode()
    assert "Baby S" in case_reviews and "3 October 2018" in case_reviews
    assert "cannot currently be published" not in case_reviews
    board = site["/2018-19/board/"].decode()
    assert BABY_S_ENTRY in board


def test_an_embargo_lifts_by_itself_on_its_release_date(
    client, baby_s, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    baby_s.embargo_release_on = today + datetime.timedelta(days=1)
    baby_s.save()
    assert not CaseReview.objects.publishable(today).filter(pk=baby_s.pk).exists()
    assert (
        CaseReview.objects.publishable(today + datetime.timedelta(days=1))
        .filter(pk=baby_s.pk)
        .exists()
    )
    baby_s.embargo_release_on = today
    baby_s.save()
    assert (
        "Baby S" not in client.get("/2018-19/case-reviews/").content.decode()
    )  # until the daily run
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_embargoes")
    assert "Baby S" in client.get("/2018-19/case-reviews/").content.decode()
    baby_s.refresh_from_db()
    assert not baby_s.is_embargoed and baby_s.released_on == today


def test_releasing_from_the_back_office_keeps_who_and_when(client, baby_s, support_officer):
    from django.contrib.admin.models import LogEntry
    from django.urls import reverse

    client.force_login(support_officer)
    response = client.post(
        reverse("admin:reviews_casereview_changelist"),
        # The change list hands out each row as "id,version".
        {"action": "release_embargo", "_selected_action": [f"{baby_s.pk},{baby_s.version}"]},
    )
    assert response.status_code == 302
    baby_s.refresh_from_db()
    assert not baby_s.is_embargoed and baby_s.released_on == timezone.localdate()
    entry = LogEntry.objects.get(object_id=str(baby_s.pk))
    assert entry.user == support_officer
    assert "Released from embargo" in entry.get_change_message()


def test_a_review_held_back_after_publication_leaves_the_published_report(
    client, small_year, django_capture_on_commit_callbacks
):
    review = small_year.family_t
    assert "Family T" in client.get("/2018-19/case-reviews/").content.decode()
    review.signed_off_on = datetime.date(2019, 3, 1)
    review.is_embargoed = True
    review.embargo_reason = "a criminal trial"
    with django_capture_on_commit_callbacks(execute=True):
        review.save()
    for url, body in crawl(client).items():
        assert b"Family T" not in body, url


def test_an_entry_about_a_review_comes_out_on_its_release_date_in_the_same_process(baby_s):
    """The public queries are made once a day for each kind of record (issue 18 item 6): the
    day a release date comes, the same server shows what it hid the day before."""
    today = timezone.localdate()
    baby_s.embargo_release_on = today + datetime.timedelta(days=1)
    baby_s.save()
    entry = Entry.objects.filter(text=BABY_S_ENTRY)
    assert not embargo.public(entry, today).exists()
    assert embargo.public(entry, today + datetime.timedelta(days=1)).exists()
    assert not embargo.public(entry, today).exists()

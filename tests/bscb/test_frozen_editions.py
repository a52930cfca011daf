"""Everything public about a published period answers from its edition: it changes on publishing only."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from bscb.core.models import Priority
from bscb.reports.editions import HeldBackNamesFound, period_publish
from bscb.reports.models import Edition
from meetings.models import Meeting
from reviews.models import CaseReview, LearningMaterial


@pytest.fixture
def neglect(db, year):
    priority = Priority.objects.create(name="Neglect", slug="neglect")
    priority.texts.create(period=year, wording="Neglect")
    return priority


@pytest.fixture
def published(db, year, exploitation, neglect, django_capture_on_commit_callbacks):
    meeting = Meeting.objects.create(
        group=exploitation, date=datetime.date(2018, 6, 5), title="Exploitation June"
    )
    meeting.entries.create(text="We launched the neglect toolkit.").priorities.add(neglect)
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=year, accept_missing=True)
    return meeting


def _publish(year, capture):
    with capture(execute=True):
        return period_publish(period=year, accept_missing=True)


def test_a_theme_page_changes_only_when_a_report_is_published(
    client, year, neglect, published, django_capture_on_commit_callbacks
):
    url = reverse("theme_detail", args=["neglect"])
    assert "We launched the neglect toolkit." in client.get(url).content.decode()
    published.entries.create(text="Added after publishing.").priorities.add(neglect)
    published.entries.filter(text__startswith="We launched").update(text="Edited afterwards.")
    page = client.get(url).content.decode()
    assert "Added after publishing." not in page and "Edited afterwards." not in page
    assert "We launched the neglect toolkit." in page
    _publish(year, django_capture_on_commit_callbacks)
    page = client.get(url).content.decode()
    assert "Added after publishing." in page and "Edited afterwards." in page


def test_a_calendar_changes_only_when_a_report_is_published(
    client, year, exploitation, published, django_capture_on_commit_callbacks
):
    url = reverse("group_calendar", args=[exploitation.slug])
    assert b"Exploitation June" in client.get(url).content
    Meeting.objects.create(group=exploitation, date=datetime.date(2018, 9, 4), title="Unpublished")
    published.title = "Renamed"
    published.save()
    calendar = client.get(url).content
    assert b"Unpublished" not in calendar and b"Renamed" not in calendar
    _publish(year, django_capture_on_commit_callbacks)
    calendar = client.get(url).content
    assert b"Unpublished" in calendar and b"Renamed" in calendar


def test_a_published_period_without_its_pdf_says_so_and_never_renders_one(
    client, year, published, caplog
):
    response = client.get(reverse("report_pdf", args=[year.slug]))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "PDF of this report could not be found" in response.content.decode()
    assert "The PDF of the published 2018/19 report is missing" in caplog.text
    # The contents page offers no PDF that is not there.
    assert reverse("report_pdf", args=[year.slug]) not in client.get("/2018-19/").content.decode()


def test_a_published_pdf_whose_file_went_missing_is_not_made_afresh(
    client, settings, year, published, django_capture_on_commit_callbacks
):
    settings.EDITION_PDF = True
    edition = _publish(year, django_capture_on_commit_callbacks)
    assert client.get(reverse("report_pdf", args=[year.slug]))["Content-Type"] == (
        "application/pdf"
    )
    edition.pdf.delete(save=False)
    response = client.get(reverse("report_pdf", args=[year.slug]))
    assert response.status_code == 404 and not response.content.startswith(b"%PDF")


@pytest.fixture
def held_back(db):
    return CaseReview.objects.create(
        pseudonym="Child R&amp;B",  # stored as typed; pages escape it
        kind=CaseReview.Kind.SERIOUS_CASE_REVIEW,
        signed_off_on=datetime.date(2018, 9, 1),
        is_embargoed=True,
        embargo_reason="a criminal trial",
    )


def test_publishing_warns_when_a_page_names_a_held_back_review_in_plain_text(
    client, year, published, held_back, support_officer, django_capture_on_commit_callbacks
):
    published.entries.create(text="We discussed Child R&amp;B with the police.")
    editions = Edition.objects.count()
    with pytest.raises(HeldBackNamesFound) as found:
        period_publish(period=year, accept_missing=True)
    assert any(name == "Child R&amp;B" for _where, name in found.value.found)
    assert Edition.objects.count() == editions  # nothing was published

    client.force_login(support_officer)
    url = reverse("admin:bscb_reportingperiod_publish", args=[year.pk])
    note = "The Board's meeting in July added."
    # Only rendering every page finds the names: the publishing task stops before storing,
    # and the check page answers beside the box to tick.
    response = client.post(url, {"note": note, "accept_missing": "on"}, follow=True)
    assert "Held-back reviews are named in plain text" in response.content.decode()
    assert Edition.objects.count() == editions
    back = response.context["run"]
    form = client.get(f"{url}?after={back.pk}").context["form"]
    assert "Held-back reviews are named in plain text" in form.errors["accept_names"][0]
    assert form["note"].value() == note
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": note, "accept_missing": "on", "accept_names": "on"})
    assert response.status_code == 302
    assert "names Child R&amp;B" in Edition.objects.get(is_current=True).warnings


def test_saving_a_held_back_review_republishes_only_when_what_is_shown_changes(
    year, published, held_back, django_capture_on_commit_callbacks
):
    editions = Edition.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        held_back.summary = "Edited while held back."
        held_back.save()
    assert Edition.objects.count() == editions  # nothing public changed
    shown = CaseReview.objects.create(
        pseudonym="Family V",
        kind=CaseReview.Kind.RAPID_REVIEW,
        panel_notified_on=datetime.date(2018, 7, 2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        shown.summary = "Created after publishing: not in the edition, so nothing to withdraw."
        shown.signed_off_on = datetime.date(2018, 9, 3)
        shown.is_embargoed = True
        shown.embargo_reason = "a trial"
        shown.save()
    assert Edition.objects.count() == editions
    _publish(year, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        shown.release()
    assert Edition.objects.count() == editions + 2  # the release republished once
    current = Edition.objects.get(is_current=True)
    assert current.released_reviews == [shown.pk]
    assert "Family V" in Client().get("/2018-19/case-reviews/").content.decode()


def test_a_release_note_never_keeps_the_name_once_the_review_is_held_back_again(
    year, held_back, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held_back.release()
    contents = Client().get("/2018-19/").content.decode()
    assert "Released from a publication embargo: Child R&amp;amp;B." in contents
    with django_capture_on_commit_callbacks(execute=True):
        held_back.is_embargoed = True
        held_back.save()
    for url in ["/2018-19/", "/feeds/reports.atom", "/search/?q=Child"]:
        page = Client().get(url).content.decode()
        assert "Child R" not in page.replace("q=Child", "").replace('value="Child"', ""), url


def test_the_atom_feed_sanitises_learning_summaries(client, db):
    LearningMaterial.objects.create(
        title="Learning log",
        published_on=datetime.date(2019, 1, 7),
        summary='Read it <script>alert(1)</script> <img src=x onerror="alert(2)"> '
        "[here](javascript:alert(3))",
    )
    feed = client.get(reverse("reports_feed")).content.decode()
    assert "Learning log" in feed
    for attack in ("<script", "&lt;script", "onerror", "javascript:"):
        assert attack not in feed, attack


def test_a_staff_note_naming_a_review_leaves_every_page_when_the_review_is_held_back_again(
    year, held_back, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held_back.release()
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(
            period=year, accept_missing=True, note="Child R&amp;B's review is now published."
        )
    assert "now published" in Client().get("/2018-19/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        held_back.is_embargoed = True
        held_back.save()
    for url in ["/2018-19/", "/feeds/reports.atom"]:
        page = Client().get(url).content.decode()
        assert "Child R" not in page and "now published" not in page, url


def test_republishing_for_an_embargo_takes_out_a_name_typed_in_plain_text(
    settings, year, held_back, published, django_capture_on_commit_callbacks
):
    settings.EDITION_PDF = True
    with django_capture_on_commit_callbacks(execute=True):
        held_back.release()
    foreword = year.report_sections.get(slug="foreword")
    foreword.introduction = "This year we published the review of Child R&amp;B."
    foreword.save()
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=year, accept_missing=True)
    assert "Child R" in Client().get("/2018-19/foreword/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        held_back.is_embargoed = True
        held_back.save()
    edition = Edition.objects.get(is_current=True)
    assert "Child R&amp;B" in edition.warnings and not edition.pdf
    for url in ["/2018-19/foreword/", "/2018-19/report/", "/search/?q=published"]:
        page = Client().get(url).content.decode()
        assert "Child R" not in page, url
        assert "a review that cannot yet be published" in page or "search" in url, url


def test_a_refused_publication_leaves_no_pdf_behind(
    settings, year, published, held_back, django_capture_on_commit_callbacks
):
    settings.EDITION_PDF = True
    published.entries.create(text="We discussed Child R&amp;B.")
    with pytest.raises(HeldBackNamesFound):
        period_publish(period=year, accept_missing=True)
    folder = settings.MEDIA_ROOT / "editions"
    assert not list(folder.glob("*.pdf")) if folder.exists() else True


def test_restoring_a_meeting_from_its_history_withdraws_an_entry_linked_to_a_held_back_review(
    year, held_back, published, django_capture_on_commit_callbacks
):
    import reversion
    from reversion.models import Version

    entry = published.entries.get(text="We launched the neglect toolkit.")
    with reversion.create_revision():
        entry.review = held_back
        entry.save()
    linked = Version.objects.get_for_object(entry).first()
    with django_capture_on_commit_callbacks(execute=True):
        entry.review = None
        entry.save()
        period_publish(period=year, accept_missing=True)
    page = published.url_in(year)
    assert "neglect toolkit" in Client().get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        linked.revision.revert()
    assert "neglect toolkit" not in Client().get(page).content.decode()


def test_the_atom_feed_leaves_out_learning_that_names_a_held_back_review_or_is_not_out_yet(
    client, db, held_back
):
    LearningMaterial.objects.create(
        title="What we learned from Child R&amp;B", published_on=datetime.date(2019, 1, 7)
    )
    LearningMaterial.objects.create(
        title="Next year's briefing", published_on=datetime.date(2999, 1, 7)
    )
    LearningMaterial.objects.create(
        title="Neglect briefing", published_on=datetime.date(2019, 2, 7)
    )
    feed = client.get(reverse("reports_feed")).content.decode()
    assert "Neglect briefing" in feed
    assert "Child R" not in feed and "Next year" not in feed

"""Reviews of any era: a board's year speaks of serious case reviews, a partnership's of rapid
reviews and local child safeguarding practice reviews; a year may say that no review of a kind
was commissioned (a nil return, a true statement, not a gap); learning events held after a
review appear in the year they were held, never for a review whose publication is held back.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bscb.reports.editions import period_publish
from reviews import vocabulary
from reviews.models import CaseReview, LearningEvent, NilReturn
from reviews.services import review_release
from tests.factories import (
    CaseReviewFactory,
    LearningEventFactory,
    NilReturnFactory,
    PeriodFactory,
)
from tests.pages import page_text

NO_PRACTICE_REVIEWS = "No local child safeguarding practice reviews were commissioned in 2020/21."


@pytest.fixture
def partnership_year(db):
    """2020/21, a safeguarding partnership's year (Working Together 2018)."""
    return PeriodFactory(
        name="2020/21",
        slug="2020-21",
        start=datetime.date(2020, 4, 1),
        end=datetime.date(2021, 3, 31),
        status="published",
    )


@pytest.fixture
def board_year(db):
    """2018/19, a Local Safeguarding Children Board's year (Working Together 2015)."""
    return PeriodFactory(status="published")


def case_reviews_page(period) -> str:
    return page_text(Client().get(reverse("section", args=[period.slug, "case-reviews"])))


# Nil returns


def test_a_nil_return_is_printed_as_a_true_statement(partnership_year):
    NilReturnFactory(
        period=partnership_year,
        kind=CaseReview.Kind.PRACTICE_REVIEW,
        what=NilReturn.What.COMMISSIONED,
        note="The year's rapid reviews found no learning that a local review would add.",
    )
    text = case_reviews_page(partnership_year)
    assert NO_PRACTICE_REVIEWS in text
    assert "The year's rapid reviews found no learning" in text
    # A statement was recorded: the page does not also say that nothing was.
    assert "are recorded for 2020/21" not in text


def test_a_year_with_nothing_recorded_says_so_and_never_0_reviews(partnership_year):
    text = case_reviews_page(partnership_year)
    assert (
        "No rapid reviews or local child safeguarding practice reviews are recorded for 2020/21."
        in text
    )
    assert "were commissioned" not in text
    assert " 0 " not in f" {text} "


def test_a_nil_return_that_a_recorded_review_contradicts_is_refused_beside_the_field(
    partnership_year, client, support_officer
):
    CaseReviewFactory(
        pseudonym="Child Wren",
        kind=CaseReview.Kind.PRACTICE_REVIEW,
        commissioned_on=datetime.date(2020, 10, 1),
        signed_off_on=None,
    )
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:reviews_nilreturn_add"),
        {"period": partnership_year.pk, "kind": "lcspr", "what": "commissioned", "note": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["what"] == [
        "Not true: Child Wren is a local child safeguarding practice review commissioned "
        "in 2020/21."
    ]
    assert not NilReturn.objects.exists()

    # None of that kind was notified in the year: that nil return saves.
    response = client.post(
        reverse("admin:reviews_nilreturn_add"),
        {"period": partnership_year.pk, "kind": "lcspr", "what": "notified", "note": ""},
    )
    assert response.status_code == 302
    assert str(NilReturn.objects.get()) == (
        "No local child safeguarding practice reviews were notified to the National Panel "
        "in 2020/21."
    )


def test_a_nil_return_is_said_once_a_year(partnership_year, client, support_officer):
    NilReturnFactory(period=partnership_year, kind="rapid", what="completed")
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:reviews_nilreturn_add"),
        {"period": partnership_year.pk, "kind": "rapid", "what": "completed", "note": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["what"] == ["2020/21 says this already."]
    assert NilReturn.objects.count() == 1


def test_a_review_that_would_make_a_nil_return_false_is_refused(partnership_year):
    NilReturnFactory(period=partnership_year, kind="lcspr", what="commissioned")
    review = CaseReview(
        pseudonym="Child Wren", kind="lcspr", commissioned_on=datetime.date(2020, 10, 1)
    )
    with pytest.raises(ValidationError) as refused:
        review.full_clean()
    assert refused.value.message_dict["commissioned_on"] == [
        "2020/21 records that no local child safeguarding practice reviews were "
        "commissioned: remove that nil return first."
    ]
    # Commissioned the year before, it is no contradiction.
    review.commissioned_on = datetime.date(2020, 3, 1)
    review.full_clean()


def test_the_statutory_check_can_count_a_periods_nil_returns(partnership_year, board_year):
    NilReturnFactory(period=partnership_year, kind="lcspr", what="commissioned")
    NilReturnFactory(period=partnership_year, kind="rapid", what="notified")
    NilReturnFactory(period=board_year, kind="scr", what="commissioned")
    assert NilReturn.objects.in_period(partnership_year).count() == 2
    assert NilReturn.objects.in_period(board_year).count() == 1


# Vocabulary and clocks of the era


def test_a_board_year_speaks_of_serious_case_reviews(board_year):
    assert board_year.is_board_era
    assert vocabulary.era_reviews(board_year) == "serious case reviews"
    assert "No serious case reviews are recorded for 2018/19." in case_reviews_page(board_year)
    assert board_year.report_sections.get(kind="case-reviews").title == "Serious case reviews"
    CaseReviewFactory(
        pseudonym="Family T", kind="scr", panel_notified_on=datetime.date(2018, 7, 23)
    )
    text = case_reviews_page(board_year)
    assert "Family T Serious case review 23 July 2018" in text
    assert "Family T (serious case review), signed off on 3 October 2018" in text


def test_a_partnership_year_speaks_of_rapid_reviews_and_practice_reviews(partnership_year):
    assert not partnership_year.is_board_era
    assert vocabulary.era_reviews(partnership_year) == (
        "rapid reviews and local child safeguarding practice reviews"
    )
    CaseReviewFactory(
        pseudonym="Siblings Lark",
        kind="rapid",
        panel_notified_on=datetime.date(2020, 6, 5),
        commissioned_on=None,
        signed_off_on=None,
    )
    text = case_reviews_page(partnership_year)
    assert "Siblings Lark Rapid review 5 June 2020" in text
    assert "serious case review" not in text.lower()
    # A partnership's first report calls its section after the reviews of its era.
    assert partnership_year.report_sections.get(kind="case-reviews").title == (
        "Rapid reviews and local child safeguarding practice reviews"
    )


def test_each_kinds_clocks_follow_its_guidance(db):
    incident = datetime.date(2019, 1, 7)
    scr = CaseReview(
        kind="scr",
        incident_notified_on=incident,
        commissioned_on=datetime.date(2019, 2, 1),
        signed_off_on=datetime.date(2019, 7, 1),
    )
    # A board's serious case review: no rapid review (Working Together 2018 brought them),
    # completed within six months of its initiation.
    assert [c.name for c in scr.clocks()] == [
        "Notify the National Panel (5 working days)",
        "Complete the serious case review (6 months)",
    ]
    complete = scr.clocks()[1]
    assert (complete.due, complete.done, complete.late) == (
        datetime.date(2019, 8, 1),
        datetime.date(2019, 7, 1),
        False,
    )
    rapid = CaseReview(kind="rapid", incident_notified_on=incident, commissioned_on=incident)
    assert [c.name for c in rapid.clocks()] == [
        "Notify the National Panel (5 working days)",
        "Complete the rapid review (15 working days)",
    ]
    practice = CaseReview(kind="lcspr", incident_notified_on=incident, commissioned_on=incident)
    assert [c.name for c in practice.clocks()] == [
        "Notify the National Panel (5 working days)",
        "Complete the rapid review (15 working days)",
        "Publish the practice review (6 months)",
    ]


# Learning events


def test_a_learning_event_after_an_earlier_review_appears_in_the_year_it_was_held(
    partnership_year,
):
    interim = PeriodFactory(
        name="2019/20",
        slug="2019-20",
        start=datetime.date(2019, 4, 1),
        end=datetime.date(2020, 3, 31),
        status="published",
    )
    heron = CaseReviewFactory(
        pseudonym="Child Heron",
        kind="rapid",
        panel_notified_on=datetime.date(2019, 10, 7),
        commissioned_on=None,
        signed_off_on=None,
    )
    LearningEventFactory(
        review=heron,
        title="Adolescents at risk outside the home",
        date=datetime.date(2021, 1, 21),
        attendees=64,
        description="Each agency agreed how it screens for harm outside the home.",
    )
    LearningEventFactory(
        review=heron,
        title="A briefing whose date was lost",
        date=None,
    )
    LearningEventFactory(
        review=heron,
        title="Spring workshop",
        date=datetime.date(2021, 3, 1),
        date_known_to="month",
        attendees=None,
    )
    text = case_reviews_page(partnership_year)
    assert (
        "Adolescents at risk outside the home , 21 January 2021, sharing the learning of the "
        "Child Heron rapid review, attended by 64 people." in text
    )
    assert "Each agency agreed how it screens" in text
    # Known to the month: printed so; attendance not recorded: left out, never 0.
    assert (
        "Spring workshop , March 2021, sharing the learning of the Child Heron rapid review."
        in (text)
    )
    # An event without a date belongs to no year.
    assert "A briefing whose date was lost" not in text
    assert "Adolescents at risk" not in case_reviews_page(interim)
    assert LearningEvent.objects.in_period(partnership_year).count() == 2


def test_a_held_back_reviews_learning_event_reaches_no_public_page_search_data_or_pdf(
    partnership_year, settings, django_capture_on_commit_callbacks
):
    settings.EDITION_PDF = True
    kestrel = CaseReviewFactory(
        pseudonym="Child Kestrel",
        kind="lcspr",
        commissioned_on=datetime.date(2020, 1, 20),
        signed_off_on=datetime.date(2020, 12, 9),
        embargoed=True,
    )
    LearningEventFactory(
        review=kestrel,
        title="Kestrel learning conference",
        date=datetime.date(2021, 2, 2),
        description="What the Kestrel family told us.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=partnership_year, accept_missing=True)
    reader = Client()
    page = case_reviews_page(partnership_year)
    whole = page_text(reader.get(reverse("full_report", args=[partnership_year.slug])))
    search = page_text(reader.get(reverse("search"), {"q": "conference"}))
    data = b"".join(
        reader.get(f"/{partnership_year.slug}/data/case-reviews.{ext}").content
        for ext in ("csv", "json")
    ).decode()
    from pypdf import PdfReader

    edition = partnership_year.editions.get(is_current=True)
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(edition.pdf.read())).pages)
    assert "Nothing found" in search
    for public in (page, whole, search, data, pdf):
        assert "Kestrel" not in public
    assert "We signed off a review which cannot currently be published." in page
    assert not LearningEvent.objects.public().exists()

    # Released, its event is public and the republished report shows it.
    with django_capture_on_commit_callbacks(execute=True):
        review_release(review=kestrel, user=None)
    assert LearningEvent.objects.public().count() == 1
    assert "Kestrel learning conference , 2 February 2021" in case_reviews_page(partnership_year)


def test_a_learning_event_with_a_negative_attendance_is_refused_beside_the_field(
    db, client, support_officer
):
    client.force_login(support_officer)
    response = client.post(
        reverse("admin:reviews_casereview_add"),
        {
            "pseudonym": "Child Wren",
            "kind": "lcspr",
            "commissioned_on": "2018-06-01",
            "signed_off_on": "2018-10-03",
            "summary": "",
            "criteria": "",
            "report_url": "",
            "embargo_reason": "",
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
            "learning_materials-TOTAL_FORMS": "0",
            "learning_materials-INITIAL_FORMS": "0",
            "learning_events-TOTAL_FORMS": "1",
            "learning_events-INITIAL_FORMS": "0",
            "learning_events-0-title": "Briefing",
            "learning_events-0-date": "2018-11-20",
            "learning_events-0-date_known_to": "day",
            "learning_events-0-attendees": "-4",
            "learning_events-0-description": "",
        },
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][2].formset
    assert formset.errors[0]["attendees"] == ["The number of attendees cannot be negative."]
    assert not CaseReview.objects.filter(pseudonym="Child Wren").exists()
    assert not LearningEvent.objects.exists()


def test_a_period_created_with_its_dates_as_text_gets_its_eras_section_title(db):
    from bscb.core.models import ReportingPeriod

    period = ReportingPeriod.objects.create(
        name="2020/21", slug="2020-21", start="2020-04-01", end="2021-03-31"
    )
    assert period.report_sections.get(kind="case-reviews").title == (
        "Rapid reviews and local child safeguarding practice reviews"
    )


def test_an_event_known_only_to_its_year_belongs_to_the_period_its_day_places_it_in(db):
    from tests.factories import LearningEventFactory, PeriodFactory

    def year(start):
        return PeriodFactory(
            name=f"{start}/{start % 100 + 1}",
            slug=f"{start}-{start % 100 + 1}",
            start=datetime.date(start, 4, 1),
            end=datetime.date(start + 1, 3, 31),
        )

    earlier, later = year(2020), year(2021)
    event = LearningEventFactory(date=datetime.date(2021, 11, 1), date_known_to="year")
    assert list(LearningEvent.objects.in_period(later)) == [event]
    assert not LearningEvent.objects.in_period(earlier).exists()
    assert event.date_display == "2021"

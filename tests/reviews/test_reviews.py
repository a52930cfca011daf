"""Case reviews: their clocks, their rules, the child death panel's table."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.formats import date_format

from bscb.core.working_days import add_months, add_working_days, working_days_between
from bscb.reports.editions import period_publish
from meetings.models import Meeting
from reviews.models import CaseReview, PanelCases
from tests.admin_forms import inline_formset, meeting_post, signed_version
from tests.pages import page_text
from tests.small_year import PANEL_MEETINGS


def test_working_days_skip_weekends_and_bank_holidays():
    # Friday 21 December 2018: Christmas, Boxing Day, the weekends and New Year's Day do not count.
    assert add_working_days(datetime.date(2018, 12, 21), 5) == datetime.date(2019, 1, 2)
    # Thursday 29 March 2018: Good Friday and Easter Monday do not count.
    assert add_working_days(datetime.date(2018, 3, 29), 1) == datetime.date(2018, 4, 3)
    assert working_days_between(datetime.date(2018, 12, 21), datetime.date(2019, 1, 2)) == 5
    assert add_months(datetime.date(2018, 8, 31), 6) == datetime.date(2019, 2, 28)


def test_a_reviews_clocks_say_what_is_due_and_what_is_late(db):
    review = CaseReview.objects.create(
        pseudonym="Child AA",
        kind="lcspr",
        incident_notified_on=datetime.date(2018, 12, 21),
        panel_notified_on=datetime.date(2019, 1, 3),
        commissioned_on=datetime.date(2019, 2, 1),
    )
    notify, rapid, publish = review.clocks()
    assert (notify.due, notify.late) == (datetime.date(2019, 1, 2), True)
    assert rapid.due == datetime.date(2019, 1, 16)
    assert publish.due == datetime.date(2019, 8, 1)
    assert rapid.open and rapid.late  # never completed, long past
    assert review.next_deadline() == rapid
    assert review.status == "Commissioned"


def test_the_back_office_lists_late_reviews(client, support_officer):
    late = CaseReview.objects.create(
        pseudonym="Family T", kind="rapid", incident_notified_on=datetime.date(2018, 7, 16)
    )
    CaseReview.objects.create(pseudonym="Baby V", kind="scr")
    client.force_login(support_officer)
    response = client.get(reverse("admin:reviews_casereview_changelist"), {"clock": "late"})
    assert list(response.context["cl"].result_list) == [late]
    assert "LATE" in response.content.decode()


CHANGE = "admin:reviews_casereview_add"


def review_post(**dates):
    data = {
        "pseudonym": "Baby N",
        "kind": "scr",
        "criteria": "",
        "summary": "",
        "report_url": "",
        "embargo_reason": "",
        "recommendations-TOTAL_FORMS": "0",
        "recommendations-INITIAL_FORMS": "0",
        "learning_materials-TOTAL_FORMS": "0",
        "learning_materials-INITIAL_FORMS": "0",
        "learning_events-TOTAL_FORMS": "0",
        "learning_events-INITIAL_FORMS": "0",
    }
    data.update({k: v for k, v in dates.items() if v is not None})
    return data


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            {"published_on": "2019-02-01"},
            "published_on",
            "A review is published after it is signed off: enter the sign-off date.",
        ),
        (
            {"commissioned_on": "2019-02-01", "signed_off_on": "2019-01-10"},
            "signed_off_on",
            "Signed off on 10 January 2019, before it was commissioned on 1 February 2019.",
        ),
        (
            {"embargo_release_on": "2019-06-01"},
            "embargo_release_on",
            "Only an embargoed review has a release date.",
        ),
        (
            {"is_embargoed": "on", "embargo_reason": "trial"},
            "is_embargoed",
            "Only a signed-off review can be held back: enter the sign-off date.",
        ),
        (
            {"incident_notified_on": "31/12/9999"},
            "incident_notified_on",
            "Enter a date between 1900 and 2100.",
        ),
        (
            {"commissioned_on": "01/01/1066"},
            "commissioned_on",
            "Enter a date between 1900 and 2100.",
        ),
    ],
)
def test_bad_dates_are_refused_beside_the_field(client, support_officer, typed, field, message):
    client.force_login(support_officer)
    response = client.post(reverse(CHANGE), review_post(**typed))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert CaseReview.objects.count() == 0


def test_a_date_in_the_year_9999_is_refused_on_the_change_page_and_saves_nothing(
    client, support_officer
):
    review = CaseReview.objects.create(
        pseudonym="Baby N", kind="scr", incident_notified_on=datetime.date(2018, 7, 16)
    )
    url = reverse("admin:reviews_casereview_change", args=[review.pk])
    client.force_login(support_officer)
    data = review_post(incident_notified_on="31/12/9999")
    data["version"] = signed_version(client, url)
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["incident_notified_on"] == [
        "Enter a date between 1900 and 2100."
    ]
    assert "Enter a date between 1900 and 2100." in response.content.decode()
    review.refresh_from_db()
    assert review.incident_notified_on == datetime.date(2018, 7, 16)


def test_a_review_stored_with_a_date_at_the_end_of_the_calendar_breaks_no_page(
    client, support_officer
):
    # Saved directly, past the form's check (an import, the shell, an older version).
    far = CaseReview.objects.create(
        pseudonym="Child Z",
        kind="lcspr",
        incident_notified_on=datetime.date(9999, 12, 31),
        commissioned_on=datetime.date(9999, 12, 1),
    )
    assert far.clocks() == []  # no due date the calendar can hold
    client.force_login(support_officer)
    assert client.get(reverse("admin:index")).status_code == 200
    changelist = reverse("admin:reviews_casereview_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"clock": "late"}).status_code == 200
    change = client.get(reverse("admin:reviews_casereview_change", args=[far.pk]))
    assert change.status_code == 200
    call_command("escalate", stdout=StringIO())


def test_the_child_death_panel_table_lists_its_meetings_and_computes_the_total(client, small_year):
    period = small_year.period
    url = reverse("section", args=[period.slug, "child-death-overview-panel"])
    text = page_text(client.get(url))
    assert text.count("Panel meeting") >= 1
    for day, cases in PANEL_MEETINGS:
        assert f"{date_format(day)} {cases} " in text, day
    total = sum(cases for _day, cases in PANEL_MEETINGS)
    assert f"Total {total}" in text
    cases = PanelCases.objects.get(meeting__date=datetime.date(2019, 1, 18))
    cases.cases_reviewed += 3
    cases.save()
    assert f"Total {total}" in page_text(client.get(url))  # the published edition stands
    period_publish(period=period, accept_missing=True, note="Corrected the January panel's cases.")
    assert f"Total {total + 3}" in page_text(client.get(url))


def test_a_negative_count_of_cases_is_refused(client, support_officer, db):
    from subgroups.models import Group

    panel = Group.objects.create(
        name="Child Death Overview Panel", short_name="CDOP", slug="cdop", kind="panel"
    )
    client.force_login(support_officer)
    data = meeting_post(group=panel, date=datetime.date(2018, 5, 11))
    data.update({"panel_cases-TOTAL_FORMS": "1", "panel_cases-0-cases_reviewed": "-2"})
    response = client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200
    errors = inline_formset(response, "panel_cases").errors[0]
    assert errors["cases_reviewed"] == ["The number of cases cannot be negative."]
    assert Meeting.objects.count() == 0


def test_the_record_of_decisions_on_recommendations_follows_the_chain_to_actions(
    client, year, exploitation
):
    from bscb.core.models import Organisation
    from reviews.models import Recommendation
    from subgroups.models import Action, ActionPlan

    review = CaseReview.objects.create(
        pseudonym="Family T", kind="scr", panel_notified_on=datetime.date(2018, 7, 23)
    )
    plan = ActionPlan.objects.create(
        group=exploitation, title="Family T action plan", kind="review", review=review
    )
    action = Action.objects.create(
        plan=plan,
        description="Audit the use of chronologies",
        status="complete",
        evidence="Chronologies now in 9 of 10 files.",
    )
    police = Organisation.objects.create(name="Thames Valley Police", sector="police")
    Recommendation.objects.create(
        review=review, number=1, text="Use chronologies.", agency=police, action=action
    )
    Recommendation.objects.create(review=review, number=2, text="Share minutes with families.")
    text = page_text(client.get(reverse("section", args=[year.slug, "case-reviews"])))
    assert (
        "Family T 1: Use chronologies. Thames Valley Police Audit the use of chronologies" in text
    )
    assert "Complete: Chronologies now in 9 of 10 files." in text
    assert "Family T 2: Share minutes with families. No action recorded yet Open" in text

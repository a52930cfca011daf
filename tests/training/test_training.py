"""Training: the period's figures computed from its sessions, and the rules about sessions."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bscb.core.models import ImportRun, Organisation
from bscb.reports.editions import period_publish
from tests.pages import page_text
from tests.small_year import COMMISSIONED_ATTENDEES, FULL_DAY_ATTENDEES
from training.figures import training_figures
from training.models import Course, Session, SessionAttendance


def test_changing_a_session_moves_the_figures(client, small_year):
    url = reverse("section", args=[small_year.slug, "training"])
    text = page_text(client.get(url))
    assert f"Attendees {FULL_DAY_ATTENDEES}" in text
    assert "trainer illness (1)" in text and "low enrolments (2)" in text
    session = Session.objects.filter(kind="full_day", status="held", delivery="in_house").first()
    line = session.attendances.first()
    line.attendees += 10
    line.save()
    cancelled = Session.objects.filter(cancellation_reason="low_enrolments").first()
    cancelled.cancellation_reason = "trainer_illness"
    cancelled.save()
    period_publish(
        period=small_year.period, accept_missing=True, note="Corrected the training records."
    )
    text = page_text(client.get(url))
    assert f"Attendees {FULL_DAY_ATTENDEES + 10}" in text
    assert "trainer illness (2)" in text and "low enrolments (1)" in text


def test_counts_of_sessions_are_published_when_the_records_are_complete(year):
    course = Course.objects.create(title="Neglect")
    council = Organisation.objects.create(name="Council", sector="local_authority")
    for day in (datetime.date(2018, 5, 1), datetime.date(2018, 6, 1)):
        session = Session.objects.create(course=course, date=day, status="held", places=20)
        SessionAttendance.objects.create(session=session, organisation=council, attendees=12)
    Session.objects.create(
        course=course,
        date=datetime.date(2018, 7, 1),
        status="cancelled",
        cancellation_reason="other",
    )
    figures = training_figures(year)
    assert (figures.full_day.offered_count, figures.full_day.held_count) == (3, 2)
    assert figures.full_day.attendees == 24
    assert figures.bespoke.cancelled_count == 0  # complete records: a zero is a fact
    assert [(row.label, row.total) for row in figures.by_sector] == [("Local authority", 24)]


def test_the_csv_has_plain_figures(client, small_year):
    content = client.get(
        reverse("dataset_csv", args=[small_year.slug, "training"])
    ).content.decode()
    assert f"2018/19,full_day_attendees,,{FULL_DAY_ATTENDEES},no\r\n" in content
    # A stand-in for sessions whose records were lost: the count is left blank.
    assert "2018/19,full_day_courses_offered,,,no\r\n" in content
    assert f"2018/19,commissioned_attendees,,{COMMISSIONED_ATTENDEES},no\r\n" in content


def test_the_commissioned_sessions_name_as_many_trainers_as_the_records_give(year):
    from training.models import Trainer

    course = Course.objects.create(title="Information Sharing")
    sessions = [
        Session.objects.create(
            course=course,
            date=datetime.date(2018, month, 1),
            status="held",
            delivery="commissioned",
        )
        for month in (5, 6)
    ]
    # No trainer recorded: nothing is said of how many ran them.
    assert training_figures(year).commissioned.trainer_count is None
    one = Trainer.objects.create(name="A trainer", in_pool=False)
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(trainer=one)
    assert training_figures(year).commissioned.trainer_count == 1
    Session.objects.filter(pk=sessions[1].pk).update(
        trainer=Trainer.objects.create(name="Another", in_pool=False)
    )
    assert training_figures(year).commissioned.trainer_count == 2


def test_a_pool_without_recorded_trainers_is_not_recorded_never_zero(year):
    from training.models import Trainer

    figures = training_figures(year)
    assert (figures.pool_size, figures.pool_fewer_than_two) == (None, None)
    Trainer.objects.create(name="Pool trainer", in_pool=True)
    figures = training_figures(year)
    assert (figures.pool_size, figures.pool_fewer_than_two) == (1, 1)


# Bad input in the back office: a clear message, nothing saved.

ADD_SESSION = reverse("admin:training_session_add")


@pytest.fixture
def course(db):
    return Course.objects.create(title="Working Together to Safeguard Children")


@pytest.fixture
def council(db):
    return Organisation.objects.create(
        name="Buckinghamshire County Council", sector="local_authority"
    )


def session_post(
    course, *, status="held", reason="", places="", note="", attendance=(), day="2018-06-12"
):
    data = {
        "course": course.pk,
        "description": "",
        "date": day,
        "date_known": "on",
        "kind": "full_day",
        "delivery": "in_house",
        "places": places,
        "status": status,
        "cancellation_reason": reason,
        "note": note,
        "attendances-TOTAL_FORMS": str(len(attendance)),
        "attendances-INITIAL_FORMS": "0",
        "evaluations-TOTAL_FORMS": "0",
        "evaluations-INITIAL_FORMS": "0",
    }
    for i, (org, n) in enumerate(attendance):
        data[f"attendances-{i}-organisation"] = org.pk
        data[f"attendances-{i}-attendees"] = str(n)
    return data


def inline_errors(response):
    formset = response.context["inline_admin_formsets"][0].formset
    return formset.errors, formset.non_form_errors()


def test_negative_attendees_are_refused(client, support_officer, course, council):
    client.force_login(support_officer)
    response = client.post(ADD_SESSION, session_post(course, attendance=[(council, -3)]))
    errors, _ = inline_errors(response)
    assert errors[0]["attendees"] == ["Attendees cannot be negative."]
    assert Session.objects.count() == 0


def test_more_attendees_than_places_needs_a_note(client, support_officer, course, council):
    police = Organisation.objects.create(name="Thames Valley Police", sector="police")
    client.force_login(support_officer)
    response = client.post(
        ADD_SESSION, session_post(course, places="20", attendance=[(council, 15), (police, 10)])
    )
    _, non_form = inline_errors(response)
    assert non_form == [
        "25 attendees is more than the 20 places: add a note to the session that explains it, or correct the numbers."
    ]
    assert Session.objects.count() == 0
    explained = session_post(
        course,
        places="20",
        note="Five stood at the back.",
        attendance=[(council, 15), (police, 10)],
    )
    assert client.post(ADD_SESSION, explained).status_code == 302


def test_a_cancelled_session_needs_a_reason_and_has_no_attendees(
    client, support_officer, course, council
):
    client.force_login(support_officer)
    response = client.post(ADD_SESSION, session_post(course, status="cancelled"))
    assert response.context["adminform"].form.errors["cancellation_reason"] == [
        "Say why the session was cancelled."
    ]
    response = client.post(
        ADD_SESSION,
        session_post(
            course, status="cancelled", reason="low_enrolments", attendance=[(council, 4)]
        ),
    )
    _, non_form = inline_errors(response)
    assert non_form == ["This session was cancelled: it cannot have attendees."]
    assert Session.objects.count() == 0


def test_a_session_of_a_retired_course_is_refused(client, support_officer, course):
    course.retired_on = datetime.date(2018, 5, 31)
    course.save()
    client.force_login(support_officer)
    response = client.post(ADD_SESSION, session_post(course, day="2018-06-12"))
    assert response.context["adminform"].form.errors["date"] == [
        "Working Together to Safeguard Children was retired on 31 May 2018: it cannot run after that date."
    ]
    assert Session.objects.count() == 0


# Import from the booking system's export.

IMPORT = reverse("admin:training_sessionattendance_import")
PROCESS = reverse("admin:training_sessionattendance_process_import")


@pytest.fixture
def sessions(course):
    return [
        Session.objects.create(
            course=course, date=datetime.date(2018, 6, 12), status="held", places=30
        ),
        Session.objects.create(
            course=course,
            date=datetime.date(2018, 9, 18),
            status="cancelled",
            cancellation_reason="low_enrolments",
        ),
    ]


def upload(client, text):
    file = SimpleUploadedFile("bookings.csv", text.encode(), content_type="text/csv")
    return client.post(IMPORT, {"import_file": file, "format": "0", "resource": "0"})


def test_an_import_is_previewed_then_confirmed(client, support_officer, sessions, council):
    Organisation.objects.create(name="Thames Valley Police", short_name="TVP", sector="police")
    client.force_login(support_officer)
    preview = upload(
        client,
        "course,date,organisation,booked,attended\n"
        "Working Together to Safeguard Children,12/06/2018,Buckinghamshire County Council,14,12\n"
        "working together to safeguard children,2018-06-12,TVP,6,5\n",
    )
    assert preview.status_code == 200
    assert SessionAttendance.objects.count() == 0  # a preview saves nothing
    confirm = preview.context["confirm_form"]
    response = client.post(PROCESS, {**confirm.initial})
    # A background task imported the rows (here in the request: the immediate backend); its
    # page counts them.
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    page = page_text(client.get(response["Location"]))
    assert "Imported: 2 new, 0 updated, 0 skipped, 0 deleted." in page
    run.refresh_from_db()
    assert not run.file  # the spreadsheet is not kept once read
    assert set(
        SessionAttendance.objects.values_list("organisation__name", "booked", "attendees")
    ) == {
        ("Buckinghamshire County Council", 14, 12),
        ("Thames Valley Police", 6, 5),
    }


def test_an_import_with_a_bad_row_names_it_and_imports_nothing(
    client, support_officer, sessions, council
):
    client.force_login(support_officer)
    response = upload(
        client,
        "course,date,organisation,booked,attended\n"
        "Working Together to Safeguard Children,12/06/2018,Buckinghamshire County Council,14,12\n"
        "Working Together to Safeguard Children,18/09/2018,Buckinghamshire County Council,3,2\n"
        "Working Together to Safeguard Children,12/06/2018,Nowhere Trust,1,1\n"
        "Neglect,01/01/2019,Buckinghamshire County Council,1,1\n",
    )
    result = response.context["result"]
    assert result.has_validation_errors()
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    assert invalid[2] == {"attendees": ["This session was cancelled: it cannot have attendees."]}
    assert invalid[3] == {
        "organisation": [
            "No organisation called 'Nowhere Trust': add it to the organisations first."
        ]
    }
    assert "No session of 'Neglect' on 01/01/2019 is recorded" in invalid[4]["session"][0]
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert SessionAttendance.objects.count() == 0

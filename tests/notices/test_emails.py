"""The emails members expect: the papers are out (with the meeting in their calendar), reminders
before things fall due, draft minutes to agree, the report is published. Each sent once, at
once or in the weekly digest; a digest can be stopped through the signed link it carries."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from bscb.core.roles import SUPPORT_TEAM
from bscb.notices.models import Kind, Notice, Preference
from bscb.notices.send import send_pending, unsubscribe_token
from meetings.cycle import circulate_papers
from meetings.notices import notify_minutes_for_agreement, remind_papers_due
from subgroups.escalation import notify_action_assigned, remind_due
from tests import factories as f
from tests.worker import DATABASE_BACKEND


@pytest.fixture(autouse=True)
def _addresses(settings):
    settings.SUPPORT_TEAM_EMAIL = "team@example.org"
    settings.SITE_URL = "https://board.example.org"


@pytest.fixture
def neglect(db):
    group = f.GroupFactory(name="Neglect Subgroup", short_name="Neglect")
    group.chairs.add(f.UserFactory(username="nina", email="nina@example.org"))
    return group


@pytest.fixture
def other_chair(db):
    """The chair of another group, who must hear nothing of the Neglect subgroup."""
    group = f.GroupFactory(name="Exploitation Subgroup", short_name="Exploitation")
    chair = f.UserFactory(username="omar", email="omar@example.org")
    group.chairs.add(chair)
    return chair


@pytest.fixture
def support(db):
    return f.UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM])


@pytest.fixture
def next_meeting(neglect):
    meeting = f.MeetingFactory(
        group=neglect,
        date=timezone.localdate() + datetime.timedelta(days=21),
        title="Neglect subgroup meeting",
        start_time=datetime.time(10, 0),
        place="Council offices, Room 2",
    )
    item = f.AgendaItemFactory(meeting=meeting, title="Neglect strategy refresh")
    f.AgendaItemFactory(meeting=meeting, title="Rapid review of Child Q", is_confidential=True)
    f.PaperFactory(agenda_item=item, title="Draft neglect strategy")
    return meeting


def test_circulating_the_papers_emails_each_person_once_with_the_meeting_in_their_calendar(
    next_meeting, other_chair, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(next_meeting, support)

    assert sorted(m.to[0] for m in mail.outbox) == ["nina@example.org", "team@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees who else got it
    to_chair = next(m for m in mail.outbox if m.to == ["nina@example.org"])
    assert to_chair.subject.startswith("Agenda and papers: Neglect subgroup meeting")
    assert "Neglect strategy refresh" in to_chair.body
    assert "Rapid review of Child Q (confidential)" in to_chair.body
    html, html_type = to_chair.alternatives[0]
    assert html_type == "text/html" and "<li>Neglect strategy refresh" in html
    ((name, ics, mimetype),) = to_chair.attachments
    assert (name, mimetype) == ("meeting.ics", "text/calendar")
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["summary"]) == "Neglect subgroup meeting (Neglect)"
    assert event.decoded("dtstart").date() == next_meeting.date
    assert event.decoded("dtstart").hour == 10
    assert str(event["location"]) == "Council offices, Room 2"

    # A late paper: the papers are circulated again, and nobody is emailed twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(next_meeting, support)
    assert mail.outbox == []
    assert Notice.objects.filter(kind="papers_circulated").count() == 2
    assert set(Notice.objects.values_list("status", flat=True)) == {"sent"}


def test_the_members_and_deputies_who_sit_on_the_group_get_the_papers_and_a_past_member_not(
    next_meeting, support, django_capture_on_commit_callbacks
):
    def seat(member, deputy=None, **dates):
        f.MembershipFactory(
            group=next_meeting.group,
            person=f.PersonFactory(user=f.UserFactory(username=member)),
            deputy=f.PersonFactory(user=f.UserFactory(username=deputy)) if deputy else None,
            **dates,
        )

    seat("mo", deputy="dee")
    seat("pat", ends_on=timezone.localdate() - datetime.timedelta(days=1))
    f.MembershipFactory(group=next_meeting.group, person=f.PersonFactory(name="No sign-in"))
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(next_meeting, support)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dee@example.org",
        "mo@example.org",
        "nina@example.org",
        "team@example.org",
    ]


def test_no_email_goes_before_the_transaction_commits(next_meeting, support):
    """Without the commit (a rolled-back request), nothing leaves."""
    circulate_papers(next_meeting, support)
    assert mail.outbox == []


def test_a_chair_who_takes_the_digest_gets_it_from_the_weekly_command_only(
    next_meeting, support, django_capture_on_commit_callbacks
):
    nina = next_meeting.group.chairs.get()
    f.PreferenceFactory(user=nina, kind="papers_circulated", delivery="digest")
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(next_meeting, support)
    assert [m.to for m in mail.outbox] == [["team@example.org"]]
    assert Notice.objects.get(recipient="nina@example.org").status == "held"

    mail.outbox.clear()
    call_command("send_notices", "--daily", stdout=io.StringIO())
    assert mail.outbox == []  # the daily run does not send what waits for the digest

    call_command("send_notices", "--weekly", stdout=io.StringIO())
    (digest,) = mail.outbox
    assert digest.to == ["nina@example.org"]
    assert digest.subject == "Your weekly digest: 1 email"
    assert "Neglect strategy refresh" in digest.body
    assert "https://board.example.org/emails/stop-digest/" in digest.body
    assert Notice.objects.get(recipient="nina@example.org").status == "sent"

    mail.outbox.clear()
    call_command("send_notices", "--weekly", stdout=io.StringIO())
    assert mail.outbox == []


def test_the_signed_link_stops_the_digest_after_a_confirmation_and_a_tampered_link_is_refused(
    next_meeting, support, django_capture_on_commit_callbacks
):
    nina = next_meeting.group.chairs.get()
    f.PreferenceFactory(user=nina, kind="papers_circulated", delivery="digest")
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(next_meeting, support)
    url = reverse("notices_unsubscribe", args=[unsubscribe_token(nina)])
    client = Client()  # nobody signed in

    page = client.get(url)
    assert page.status_code == 200
    assert "Stop the weekly digest" in page.content.decode()
    assert "private" in page["Cache-Control"]  # no cache keeps the person's page
    assert Preference.objects.get(user=nina).delivery == "digest"  # a look changes nothing

    tampered = reverse("notices_unsubscribe", args=[unsubscribe_token(nina)[:-3] + "abc"])
    for answer in (client.get(tampered), client.post(tampered)):
        assert answer.status_code == 400
        assert "This link does not work" in answer.content.decode()
    assert client.get(reverse("notices_unsubscribe", args=["nonsense"])).status_code == 400
    assert Preference.objects.get(user=nina).delivery == "digest"

    done = client.post(url)
    assert done.status_code == 200
    assert "will get no more weekly digests" in done.content.decode()
    assert Preference.objects.get(user=nina).delivery == "none"
    assert Notice.objects.get(recipient="nina@example.org").status == "dropped"
    call_command("send_notices", "--weekly", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["team@example.org"]]


def test_a_failed_send_is_recorded_and_sent_by_the_next_daily_run(
    next_meeting, support, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notices.failing_backend.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(next_meeting, support)
    failed = Notice.objects.get(recipient="nina@example.org")
    assert (failed.status, failed.tries) == ("failed", 1)
    assert "The mail server is down" in failed.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_pending() == 2
    assert send_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["nina@example.org", "team@example.org"]
    failed.refresh_from_db()
    assert (failed.status, failed.tries, failed.last_error) == ("sent", 2, "")


def test_a_failed_send_is_not_retried_to_a_chair_who_has_stepped_down_since(
    next_meeting, support, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notices.failing_backend.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(next_meeting, support)
    nina = Notice.objects.get(recipient="nina@example.org").user
    next_meeting.group.chairs.remove(nina)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_pending() == 1
    assert [m.to for m in mail.outbox] == [["team@example.org"]]
    assert Notice.objects.get(recipient="nina@example.org").status == "withdrawn"


def test_draft_minutes_go_to_the_chairs_of_the_group_only(
    next_meeting, other_chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_minutes_for_agreement(next_meeting)
        notify_minutes_for_agreement(next_meeting)
    (email,) = mail.outbox
    assert email.to == ["nina@example.org"]
    assert "ready for you to agree as chair" in email.body
    assert "https://board.example.org/workspace/groups/" in email.body


def test_the_chairs_are_reminded_of_papers_still_missing_before_the_deadline(
    neglect, other_chair, django_capture_on_commit_callbacks
):
    meeting = f.MeetingFactory(group=neglect, date=datetime.date(2026, 12, 14))
    f.AgendaItemFactory(meeting=meeting, title="Neglect audit findings", presenter="Dr Shah")
    with_paper = f.AgendaItemFactory(meeting=meeting, title="Budget")
    f.PaperFactory(agenda_item=with_paper)
    # The agenda and papers are due five working days before: Monday 7 December.
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_papers_due(datetime.date(2026, 11, 27)) == []  # too early
        remind_papers_due(datetime.date(2026, 12, 2))
        remind_papers_due(datetime.date(2026, 12, 3))  # the next day: no second reminder
    assert sorted(m.to[0] for m in mail.outbox) == ["nina@example.org", "team@example.org"]
    assert "due by 7 December 2026" in mail.outbox[0].body
    assert "Neglect audit findings (Dr Shah)" in mail.outbox[0].body
    assert "Budget" not in mail.outbox[0].body


def test_actions_due_soon_and_risk_reviews_due_remind_the_groups_chairs_once(
    neglect, other_chair, django_capture_on_commit_callbacks
):
    today = datetime.date(2026, 11, 27)
    f.ActionFactory(
        plan__group=neglect, description="Refresh the neglect toolkit", due_on=today.replace(day=30)
    )
    f.ActionFactory(plan__group=neglect, description="Far off", due_on=datetime.date(2027, 3, 1))
    f.RiskReviewFactory(
        risk__owner_group=neglect, risk__title="Toolkit not used", date=datetime.date(2026, 9, 1)
    )  # reviewed every 90 days: due on 30 November 2026
    with django_capture_on_commit_callbacks(execute=True):
        remind_due(today)
        remind_due(today)
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Action due 30 November 2026: Neglect",
        "Risk review due 30 November 2026: Neglect",
    ]
    assert all(m.to == ["nina@example.org"] for m in mail.outbox)
    assert "Refresh the neglect toolkit" in mail.outbox[0].body + mail.outbox[1].body


def test_an_action_assigned_is_emailed_to_the_groups_chairs(
    neglect, other_chair, django_capture_on_commit_callbacks
):
    action = f.ActionFactory(plan__group=neglect, description="Write the neglect briefing")
    with django_capture_on_commit_callbacks(execute=True):
        notify_action_assigned(action)
        notify_action_assigned(action)
    (email,) = mail.outbox
    assert email.to == ["nina@example.org"]
    assert "Write the neglect briefing" in email.body
    html, _ = email.alternatives[0]
    assert f"<title>{email.subject}</title>" in html  # the page title a mail reader shows


def test_publishing_the_report_tells_the_support_team_to_send_the_national_panel_its_copy(
    db, django_capture_on_commit_callbacks
):
    from bscb.reports.editions import period_publish
    from tests.small_year import build_small_year

    year = build_small_year()
    with django_capture_on_commit_callbacks(execute=True):
        edition = period_publish(period=year.period, accept_missing=True, accept_names=True)
    emails = [m for m in mail.outbox if "National Panel" in m.subject]
    (email,) = emails
    assert email.to == ["team@example.org"]
    due = edition.published_at + datetime.timedelta(days=7)
    assert f"by {due.day} {due:%B %Y}" in email.body
    assert f"/{year.period.slug}/" in email.body


def test_a_chair_chooses_the_weekly_digest_on_their_emails_page_and_nonsense_is_refused(neglect):
    nina = neglect.chairs.get()
    url = reverse("notices_preferences")
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]

    client = Client()
    client.force_login(nina)
    page = client.get(url)
    assert page.status_code == 200
    assert "The agenda and papers are out" in page.content.decode()
    choices = dict.fromkeys(Kind.values, "immediate")

    refused = client.post(url, {**choices, "papers_circulated": "hourly"})
    assert refused.status_code == 200
    assert "Choose at once, weekly digest or not at all." in refused.content.decode()
    assert not Preference.objects.filter(user=nina).exists()

    saved = client.post(url, {**choices, "papers_circulated": "digest"})
    assert saved.status_code == 302
    assert Preference.objects.get(user=nina, kind="papers_circulated").delivery == "digest"
    assert Preference.objects.get(user=nina, kind="report_published").delivery == "immediate"


def test_the_papers_email_and_its_calendar_arrive_through_a_real_mail_server(
    next_meeting, support, settings, django_capture_on_commit_callbacks
):
    from tests.notices.smtp_server import SMTPServer

    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        with django_capture_on_commit_callbacks(execute=True):
            circulate_papers(next_meeting, support)
    assert sorted(r for _, (r,), _ in server.messages) == ["nina@example.org", "team@example.org"]
    message = next(m for _, (r,), m in server.messages if r == "nina@example.org")
    assert message["Subject"].startswith("Agenda and papers: Neglect subgroup meeting")
    kinds = [part.get_content_type() for part in message.walk()]
    assert {"text/plain", "text/html", "text/calendar"} <= set(kinds)
    (ics,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert ics.get_filename() == "meeting.ics"
    (event,) = Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert event.decoded("dtstart").date() == next_meeting.date
    assert set(Notice.objects.values_list("status", flat=True)) == {"sent"}


# Emails go out from the background worker: the request records them and queues the sending; a
# failed send is tried again up to three times, its error kept on the notice. The worker here is
# the library's own worker run in this process on the database backend: it runs what is queued
# and due. (Elsewhere tasks run at once: TASK_BACKEND=immediate.)


def run_worker():
    """What the worker does with each task that is due: the library's own claim and run."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for result in DBTaskResult.objects.ready():
        result.claim(worker.worker_id)
        worker.run_task(result)


def test_the_request_queues_the_emails_and_the_worker_sends_them(
    next_meeting, support, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(next_meeting, support)
    assert mail.outbox == []  # recorded and queued, not sent by the request
    assert set(Notice.objects.values_list("status", flat=True)) == {"pending"}
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["nina@example.org", "team@example.org"]
    assert set(Notice.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failed_send_is_tried_three_times_in_all_with_its_error_kept(
    next_meeting, support, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_BACKEND
    settings.EMAIL_BACKEND = "tests.notices.failing_backend.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(next_meeting, support)
    for tries in (1, 2, 3):
        run_worker()
        assert set(Notice.objects.values_list("status", "tries")) == {("failed", tries)}
        later = DBTaskResult.objects.filter(status="READY")
        if tries < 3:
            # Queued again for a minute or more later; brought forward to run it now.
            (again,) = later
            assert again.run_after >= timezone.now() + datetime.timedelta(seconds=50)
            later.update(run_after=timezone.now())
        else:
            assert not later.exists()  # the daily command tries it after
    assert "The mail server is down" in Notice.objects.first().last_error
    assert mail.outbox == []

"""What a person gets is asked again when it goes: a chair who stepped down before the weekly
digest gets none of their old group's emails; and the emails about what is overdue or late
follow each person's choice (at once, in the digest, not at all) like every other."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bscb.notices.models import Notice
from meetings.cycle import circulate_papers
from subgroups.escalation import escalate
from tests import factories as f


@pytest.fixture(autouse=True)
def _addresses(settings):
    settings.SUPPORT_TEAM_EMAIL = "team@example.org"
    settings.SITE_URL = "https://board.example.org"


@pytest.fixture
def nina(db):
    return f.UserFactory(username="nina", email="nina@example.org")


@pytest.fixture
def neglect(nina):
    group = f.GroupFactory(name="Neglect Subgroup", short_name="Neglect")
    group.chairs.add(nina)
    return group


@pytest.fixture
def support(db):
    from bscb.core.roles import SUPPORT_TEAM

    return f.UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM])


def _weekly():
    call_command("send_notices", "--weekly", stdout=io.StringIO())


def test_a_chair_who_stepped_down_gets_no_digest_of_their_old_groups_emails(
    neglect, nina, support, django_capture_on_commit_callbacks
):
    f.PreferenceFactory(user=nina, kind="papers_circulated", delivery="digest")
    f.PreferenceFactory(user=nina, kind="action_assigned", delivery="digest")
    meeting = f.MeetingFactory(
        group=neglect, date=timezone.localdate() + datetime.timedelta(days=14)
    )
    f.AgendaItemFactory(meeting=meeting, title="Neglect strategy refresh")
    # Nina also chairs Exploitation, and stays its chair.
    exploitation = f.GroupFactory(name="Exploitation Subgroup", short_name="Exploitation")
    exploitation.chairs.add(nina)
    action = f.ActionFactory(plan__group=exploitation, description="Map the hotels")
    from subgroups.escalation import notify_action_assigned

    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(meeting, support)
        notify_action_assigned(action)
    assert Notice.objects.filter(user=nina, status="held").count() == 2

    neglect.chairs.remove(nina)  # she steps down before the weekly run
    mail.outbox.clear()
    _weekly()

    (digest,) = mail.outbox
    assert digest.to == ["nina@example.org"]
    assert digest.subject == "Your weekly digest: 1 email"
    assert "Map the hotels" in digest.body
    assert "Neglect strategy refresh" not in digest.body
    withdrawn = Notice.objects.get(user=nina, kind="papers_circulated")
    assert withdrawn.status == "withdrawn"
    assert Notice.objects.get(user=nina, kind="action_assigned").status == "sent"

    # Nothing held is left, so the next run sends nothing.
    mail.outbox.clear()
    _weekly()
    assert mail.outbox == []


def test_a_chair_whose_every_held_email_lapsed_gets_no_digest_at_all(
    neglect, nina, support, django_capture_on_commit_callbacks
):
    f.PreferenceFactory(user=nina, kind="papers_circulated", delivery="digest")
    meeting = f.MeetingFactory(
        group=neglect, date=timezone.localdate() + datetime.timedelta(days=14)
    )
    with django_capture_on_commit_callbacks(execute=True):
        circulate_papers(meeting, support)
    neglect.chairs.remove(nina)
    mail.outbox.clear()
    _weekly()
    assert mail.outbox == []
    assert Notice.objects.get(user=nina).status == "withdrawn"


def test_an_overdue_action_follows_the_chairs_choice_of_the_weekly_digest(
    neglect, nina, django_capture_on_commit_callbacks
):
    f.PreferenceFactory(user=nina, kind="action_overdue", delivery="digest")
    f.ActionFactory(
        plan__group=neglect,
        description="Refresh the neglect toolkit",
        due_on=datetime.date(2026, 11, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        escalate(today=datetime.date(2026, 11, 27))
        escalate(today=datetime.date(2026, 11, 27))
    # The support team hears at once; the chair in her digest, once.
    (to_team,) = mail.outbox
    assert to_team.to == ["team@example.org"]
    assert to_team.subject == "Overdue action: Neglect"
    assert "Refresh the neglect toolkit" in to_team.body
    assert "was due on 1 November 2026" in to_team.body
    assert Notice.objects.get(user=nina).status == "held"

    mail.outbox.clear()
    _weekly()
    (digest,) = mail.outbox
    assert digest.to == ["nina@example.org"]
    assert "Refresh the neglect toolkit" in digest.body


def test_a_late_risk_review_is_emailed_to_each_person_apart_and_never_twice(
    neglect, nina, django_capture_on_commit_callbacks
):
    f.RiskReviewFactory(
        risk__owner_group=neglect, risk__title="Toolkit not used", date=datetime.date(2026, 6, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = escalate(today=datetime.date(2026, 11, 27))
        second = escalate(today=datetime.date(2026, 11, 27))
    assert len(first) == 1 and second == []
    assert sorted(m.to for m in mail.outbox) == [["nina@example.org"], ["team@example.org"]]
    assert all(m.subject == "Risk review late: Neglect" for m in mail.outbox)
    assert all("Toolkit not used" in m.body for m in mail.outbox)


def test_a_chair_who_wants_no_overdue_emails_gets_none_and_the_team_still_does(
    neglect, nina, django_capture_on_commit_callbacks
):
    f.PreferenceFactory(user=nina, kind="action_overdue", delivery="none")
    f.ActionFactory(plan__group=neglect, due_on=datetime.date(2026, 11, 1))
    with django_capture_on_commit_callbacks(execute=True):
        escalate(today=datetime.date(2026, 11, 27))
    assert [m.to for m in mail.outbox] == [["team@example.org"]]

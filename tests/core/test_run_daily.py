"""The daily run: every daily command in order, each logged, one failure stopping none of the rest."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from subgroups.models import EscalationNotice


@pytest.fixture
def due_today(small_year):
    """A review whose embargo ends today, and the small year's overdue actions to escalate."""
    review = small_year.baby_s
    assert review.is_embargoed
    review.embargo_release_on = timezone.localdate()
    review.save()
    return review


def run_daily():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("run_daily", stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_the_daily_run_releases_embargoes_then_sends_the_days_emails(
    due_today, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out, err, failure = run_daily()
    assert failure is None and err == ""
    assert out.splitlines()[0] == "release_embargoes: 1 review released."
    assert out.splitlines()[1].startswith("send_notices --daily: ")
    due_today.refresh_from_db()
    assert not due_today.is_embargoed
    assert EscalationNotice.objects.exists() and mail.outbox
    done = [r for r in caplog.records if r.name == "bscb.daily"]
    assert [(r.command, r.outcome) for r in done] == [
        ("release_embargoes", "done"),
        ("send_notices --daily", "done"),
        ("clear_stale_exports", "done"),
        ("forget_record_changes", "done"),
    ]


def test_one_failing_command_stops_none_of_the_rest_and_the_run_fails(
    due_today, settings, caplog, django_capture_on_commit_callbacks
):
    # send_notices with no --daily or --weekly refuses to run: a real failure, first in line.
    settings.DAILY_COMMANDS = [["send_notices"], ["release_embargoes"], ["send_notices", "--daily"]]
    with django_capture_on_commit_callbacks(execute=True):
        out, err, failure = run_daily()
    assert str(failure) == "1 of 3 daily commands failed: send_notices"
    assert err == "send_notices: failed: Say --daily, --weekly or both.\n"
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "release_embargoes",
        "send_notices --daily",
    ]
    due_today.refresh_from_db()
    assert not due_today.is_embargoed  # the rest ran
    assert EscalationNotice.objects.exists()
    logged = [(r.command, r.outcome, r.levelname) for r in caplog.records if r.name == "bscb.daily"]
    assert logged == [
        ("send_notices", "failed", "ERROR"),
        ("release_embargoes", "done", "INFO"),
        ("send_notices --daily", "done", "INFO"),
    ]


def test_the_exit_status_is_not_zero_when_a_command_failed(due_today, settings):
    settings.DAILY_COMMANDS = [["no_such_command"], ["release_embargoes"]]
    with pytest.raises(CommandError) as failure:
        call_command("run_daily", stdout=io.StringIO(), stderr=io.StringIO())
    assert failure.value.returncode == 1
    assert str(failure.value) == "1 of 2 daily commands failed: no_such_command"

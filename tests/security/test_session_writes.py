"""A signed-in request reads its session and writes it back at most once a minute, and the
session still ends after thirty idle minutes."""

import datetime

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

WRITES = ("INSERT", "UPDATE", "DELETE")


def session_writes(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    writes = [
        q["sql"] for q in captured if q["sql"].startswith(WRITES) and "django_session" in q["sql"]
    ]
    return writes, response


def test_a_plain_get_by_a_signed_in_staff_member_writes_no_session_row(client, support_officer):
    client.force_login(support_officer)
    for url in [reverse("admin:index"), reverse("admin:meetings_meeting_changelist")]:
        writes, response = session_writes(client, url)
        assert writes == [], url
        assert "sessionid" not in response.cookies, url


def test_a_request_a_minute_or_more_after_the_last_write_slides_the_expiry(
    client, support_officer, settings
):
    start = timezone.now()
    with freeze_time(start):
        client.force_login(support_officer)
    key = client.session.session_key
    with freeze_time(start + datetime.timedelta(seconds=30)):
        assert session_writes(client, reverse("admin:index"))[0] == []
    later = start + datetime.timedelta(minutes=2)
    with freeze_time(later):
        writes, response = session_writes(client, reverse("admin:index"))
    assert len(writes) == 1
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry == later + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_session_ends_after_thirty_idle_minutes_however_it_was_used_before(
    client, support_officer
):
    start = timezone.now()
    with freeze_time(start):
        client.force_login(support_officer)
    for minutes in (10, 20, 29, 45):  # used now and then, each well inside the idle limit
        with freeze_time(start + datetime.timedelta(minutes=minutes)):
            assert client.get(reverse("admin:index")).status_code == 200
    with freeze_time(start + datetime.timedelta(minutes=45 + 31)):
        assert client.get(reverse("admin:index")).status_code == 302

"""Structured logs: each line one JSON object, a line a request, and no secret in any line."""

import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from bscb.core.logs import secret_route_starts
from bscb.notices.send import unsubscribe_token
from tests import factories as f
from tests.process_env import fresh_environment

SECRET = "s3cret-value-9f2c"


@pytest.fixture
def log_lines():
    """What the configured console handler writes (settings.LOGGING: its formatter and filter)."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield read
    handler.setStream(previous)
    assert SECRET not in stream.getvalue()


def request_lines(lines):
    return [line for line in lines if line["logger"] == "bscb.request"]


@pytest.mark.django_db
def test_a_request_is_one_json_line_with_who_asked_and_how_long_it_took(
    client, support_officer, log_lines
):
    client.force_login(support_officer)
    client.get(f"/accessibility/?token={SECRET}")
    lines = log_lines()
    for line in lines:  # every line, not only the request's
        assert {"time", "level", "logger", "message"} <= line.keys()
    (line,) = request_lines(lines)
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/accessibility/"  # never the query string
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == support_officer.pk
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_a_failed_sign_in_logs_neither_the_password_nor_the_form(client, log_lines):
    f.UserFactory(username="chair")
    client.post("/accounts/login/", {"auth-username": "chair", "auth-password": SECRET})
    client.post("/accounts/login/", {"username": "chair", "password": SECRET})
    lines = request_lines(log_lines())
    assert [(line["method"], line["path"], line["user_id"]) for line in lines] == [
        ("POST", "/accounts/login/", None)
    ] * 2


@pytest.mark.django_db
def test_djangos_own_warning_carries_the_path_but_not_the_request_or_its_query(client, log_lines):
    client.get(f"/no-such-page/at/all/?session={SECRET}")
    lines = log_lines()
    (warning,) = [line for line in lines if line["logger"] == "django.request"]
    assert warning["level"] == "WARNING"
    assert warning["message"] == "Not Found: /no-such-page/at/all/"
    assert (warning["method"], warning["path"], warning["status_code"]) == (
        "GET",
        "/no-such-page/at/all/",
        404,
    )
    assert "request" not in warning  # its text would hold the query string


@pytest.mark.django_db
def test_a_token_in_the_address_is_redacted_in_the_path_and_the_message(client, log_lines):
    reader = f.UserFactory(username="digest.reader")
    token = unsubscribe_token(reader)
    client.get(f"/emails/stop-digest/{token}/")
    client.get(f"/emails/stop-digest/{token}x/")  # refused: a 400, which Django logs too
    lines = log_lines()
    text = json.dumps(lines)
    assert token not in text
    paths = [line["path"] for line in request_lines(lines)]
    assert paths == ["/emails/stop-digest/[redacted]/"] * 2
    (refused,) = [line for line in lines if line["logger"] == "django.request"]
    assert refused["message"] == "Bad Request: /emails/stop-digest/[redacted]/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/emails/stop-digest/{token}",  # the slash appended by a redirect (301)
        "/emails/stop-digest/{token}/%3Fa=b",  # an encoded "?": no pattern matches (404)
        "/EMAILS/stop-digest/{token}/",  # another case (404)
        "/x/../emails/stop-digest/{token}/",  # dot segments left in (404)
        "/accounts/reset/{token}/{token}/",  # an invited chair's link to set a password
    ],
)
def test_a_token_in_an_address_no_pattern_matched_is_redacted_too(client, log_lines, address):
    token = unsubscribe_token(f.UserFactory(username="digest.reader"))
    client.get(address.format(token=token))
    text = json.dumps(log_lines())
    assert token not in text
    assert "[redacted]" in text


def test_the_secret_routes_are_read_from_the_url_configuration():
    assert secret_route_starts() == ("accounts/reset/", "emails/stop-digest/")


def test_nginx_redacts_the_addresses_the_app_redacts():
    conf = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    block = conf.split("map $uri $bscb_secret_path {", 1)[1].split("}", 1)[0]
    redacted = re.findall(r'"~\*\^/([^"]+)" "/\1\[redacted\]/";', block)
    assert tuple(sorted(redacted)) == secret_route_starts()


@pytest.mark.django_db
def test_a_healthy_health_check_is_not_logged_and_a_failing_one_is(client, log_lines):
    assert client.get("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert [(line["method"], line["status"]) for line in request_lines(log_lines())] == [
        ("POST", 405)
    ]


def settings_in_a_fresh_process(**environment) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'bscb.settings'; django.setup();"
        "from django.conf import settings; import logging;"
        "print(settings.LOGGING['handlers']['console']['formatter']);"
        "logging.getLogger('bscb.check').warning('hello')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env=fresh_environment(SECRET_KEY="x", **environment),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_logs_are_json_in_production_and_text_for_people_under_debug():
    production = settings_in_a_fresh_process()
    assert production.stdout == "json\n"
    (line,) = [json.loads(text) for text in production.stderr.splitlines() if "bscb.check" in text]
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "bscb.check", "hello")
    debug = settings_in_a_fresh_process(DEBUG="true")
    assert debug.stdout == "text\n"
    assert " WARNING bscb.check hello" in debug.stderr
    chosen = settings_in_a_fresh_process(DEBUG="true", LOG_FORMAT="json")
    assert chosen.stdout == "json\n"
    refused = settings_in_a_fresh_process(LOG_FORMAT="xml")
    assert refused.returncode != 0
    assert "LOG_FORMAT must be json or text, not 'xml'" in refused.stderr


def test_a_forged_line_in_the_address_stays_on_its_own_line_in_text_logs():
    """LOG_FORMAT=text: an address with %0a (or %0d, or another control character) once
    wrote a second, forged line; the characters are escaped, so one request is one line."""
    forged = "2026-11-27 09:00:00,000 INFO bscb.request GET /admin/ 200 1.0 ms"
    code = (
        "import django, os, logging; os.environ['DJANGO_SETTINGS_MODULE'] = 'bscb.settings';"
        "django.setup();"
        "from django.http import HttpResponse; from django.test import RequestFactory;"
        "from bscb.core.logs import RequestLogMiddleware;"
        f"path = '/nowhere%0a{forged}%0d%1b[2J%00';"
        "request = RequestFactory().get(path);"
        "RequestLogMiddleware(lambda request: HttpResponse(status=404))(request);"
        "logging.getLogger('django.request').warning('Not Found: %s', request.path)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=fresh_environment(SECRET_KEY="x", DEBUG="true", LOG_FORMAT="text"),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if " axes.apps " not in line]
    assert len(lines) == 2, lines
    request_line, warning = lines
    assert " INFO bscb.request GET /nowhere\\n2026-11-27 09:00:00,000 INFO" in request_line
    assert "ms\\r\\x1b[2J\\x00 404 " in request_line
    assert warning.endswith("Not Found: /nowhere\\n" + forged + "\\r\\x1b[2J\\x00")

"""The production-like site on one machine (scripts/serve.py): nginx in front of two gunicorn
instances and the worker, on loopback ports, on a database of its own.

The support officer publishes a new edition through one app server; readers get it at once
through nginx, from the file publishing wrote (nginx's headers say so), and from the other
app server, which shares nothing with the first but the database. A published page from
nginx carries the security headers the app sends with it; the back office comes through
gunicorn. Real processes throughout; runs where nginx is installed (CI installs it).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.process_env import fresh_environment

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
PASSWORD = "a serve test password 2026"
MARKER = "Added for the second edition: the partnership's new escalation route."

# Security headers compared between the app and an nginx file.
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
    "Cache-Control",
]

pytestmark = [
    pytest.mark.skipif(
        not NGINX and not os.environ.get("CI"),
        reason="nginx is not installed (sudo apt-get install -y nginx; CI installs it)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, cookie: str = "", host: str = "127.0.0.1", referer: str = ""):
    """GET the path exactly as written (http.client neither decodes nor merges anything)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host}
    if referer:
        headers["Referer"] = referer
    if cookie:
        headers["Cookie"] = cookie
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    conn.close()
    return response, body


def post(port: int, path: str, fields: dict, cookie: str):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request(
        "POST",
        path,
        body=urllib.parse.urlencode(fields),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{port}{path}",
        },
    )
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    conn.close()
    return response, body


def cookies_of(response) -> dict[str, str]:
    found = {}
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name] = rest.split(";", 1)[0]
    return found


def csrf_token(body: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def sign_in(port: int) -> str:
    """The support officer signs in on one app server: the session cookie, with the CSRF one."""
    response, body = get(port, "/accounts/login/")
    jar = cookies_of(response)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    response, _ = post(
        port,
        "/accounts/login/",
        {
            "sign_in_view-current_step": "auth",
            "auth-username": "officer",
            "auth-password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token(body),
        },
        cookie,
    )
    jar.update(cookies_of(response))
    assert "sessionid" in jar, response.status
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = sorted(words[1:])
    return parsed


def security_headers(response) -> dict:
    found = {name: response.getheader(name) for name in SECURITY_HEADERS}
    if found["Content-Security-Policy"]:
        found["Content-Security-Policy"] = directives(found["Content-Security-Policy"])
    return found


@pytest.fixture(scope="module")
def site():
    """scripts/serve.py on loopback ports, on an SQLite file of its own; stopped after."""
    var = Path(tempfile.mkdtemp(prefix="bscb-serve-"))
    port, ports = free_port(), [free_port(), free_port()]
    env = fresh_environment(
        SERVE_VAR=str(var),
        # The officer signs in with a password only: two-factor sign-in has tests of its own.
        OTP_REQUIRED_FOR_STAFF="false",
        OTP_REQUIRED_FOR_CHAIRS="false",
        LOG_LEVEL="WARNING",
        EDITION_PDF="false",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    env.pop("DATABASE_URL", None)  # the SQLite file under var/ that serve.py makes
    script = [sys.executable, str(ROOT / "scripts" / "serve.py")]
    log = (var / "serve.log").open("w")
    process = subprocess.Popen(
        [*script, "--port", str(port), "--app-ports", ",".join(map(str, ports))],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 300
        while "Serving at" not in (var / "serve.log").read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("serve.py did not start:\n" + (var / "serve.log").read_text()[-4000:])
            time.sleep(0.5)
        made = subprocess.run(
            [
                *script,
                "--manage",
                "createsuperuser",
                "--no-input",
                "--username",
                "officer",
                "--email",
                "officer@example.org",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert made.returncode == 0, made.stderr[-3000:]
        yield {
            "nginx": port,
            "a": ports[0],
            "b": ports[1],
            "script": script,
            "env": env,
            "var": var,
        }
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(var, ignore_errors=True)


def test_the_published_page_comes_from_nginx_with_the_apps_security_headers(site):
    from_file, body = get(site["nginx"], "/2018-19/board/")
    from_app, app_body = get(site["a"], "/2018-19/board/")
    assert from_file.status == from_app.status == 200
    assert from_file.getheader("X-Served-By") == "nginx-file"
    assert from_file.getheader("ETag") and from_file.getheader("Last-Modified")
    assert from_app.getheader("X-Served-By") is None
    assert body == app_body
    assert security_headers(from_file) == security_headers(from_app)
    assert security_headers(from_file)["Content-Security-Policy"]["script-src"] == ["'self'"]
    assert from_file.getheader("Content-Type") == from_app.getheader("Content-Type")
    # A download written whole: the same bytes and content type as from the app.
    from_file, body = get(site["nginx"], "/2018-19/data/budget.json")
    from_app, app_body = get(site["a"], "/2018-19/data/budget.json")
    assert from_file.getheader("X-Served-By") == "nginx-file"
    assert from_file.getheader("Content-Type") == from_app.getheader("Content-Type")
    assert body == app_body


def test_the_back_office_and_signed_in_readers_come_through_gunicorn(site):
    response, _ = get(site["nginx"], "/admin/")
    assert response.status == 302
    assert response.getheader("X-Served-By") is None
    assert response.getheader("Cache-Control") == "private, no-store"
    cookie = sign_in(site["a"])
    # The session is in the database: the other app server, through nginx, knows the officer.
    response, _ = get(site["nginx"], "/admin/", cookie)
    assert response.status == 200 and response.getheader("X-Served-By") is None
    response, _ = get(site["nginx"], "/2018-19/board/", cookie)
    assert response.status == 200 and response.getheader("X-Served-By") is None
    # Only a cookie of that name is a session: one whose name merely ends so is not.
    response, _ = get(site["nginx"], "/2018-19/board/", "notsessionid=1; sessionidx=2")
    assert response.getheader("X-Served-By") == "nginx-file"
    session_only = "; ".join(p for p in cookie.split("; ") if p.startswith("sessionid="))
    response, _ = get(site["nginx"], "/2018-19/board/", session_only)
    assert response.getheader("X-Served-By") is None
    # nginx's $cookie_sessionid reads the first of two, Django the last: an empty one
    # planted first must not hand the signed-in reader the public file.
    response, _ = get(site["nginx"], "/2018-19/board/", f"sessionid=; {session_only}")
    assert response.getheader("X-Served-By") is None
    assert response.getheader("Cache-Control") == "private, no-store"
    assert response.getheader("Cache-Control") == "private, no-store"
    # A query string, or a method other than GET and HEAD, goes to the app too.
    response, _ = get(site["nginx"], "/2018-19/board/?from=feed")
    assert response.getheader("X-Served-By") is None
    # An address with no file is the app's to answer (here, its 404).
    response, _ = get(site["nginx"], "/2018-19/no-such-page/")
    assert response.status == 404 and response.getheader("X-Served-By") is None
    # An unknown host is refused, as the app refuses it.
    response, _ = get(site["nginx"], "/2018-19/board/", host="evil.example")
    assert response.status == 400


def test_pages_with_no_file_reach_the_app_as_they_were_asked(site):
    # The front page, sign-in and search have no file: nginx passes the reader's own address
    # (not the index.html it looked for) and the app answers it.
    for path in ("/", "/accounts/login/", "/search/", "/2018-19/editions/1/"):
        response, _ = get(site["nginx"], path)
        assert (path, response.status) == (path, 200)
        assert response.getheader("X-Served-By") is None
    response, _ = get(site["nginx"], "/admin/")
    assert response.getheader("Location") == "/admin/login/?next=/admin/"


def test_the_logs_hold_no_query_string_referer_or_token(site):
    token = "Mzk:1tXq8z:secret-token-value"
    from_file, _ = get(site["nginx"], "/2018-19/funding/")
    assert from_file.getheader("X-Served-By") == "nginx-file"
    get(site["nginx"], "/2018-19/board/?q=secret-search-words")
    get(site["nginx"], "/2018-19/no-such-page/", referer="https://mail.example/?s=REFSECRET")
    # The link as sent, and as an address the app decodes, merges or redirects to the same
    # view (the outsider's attack found each of these logged in full).
    for address in (
        f"/emails/stop-digest/{token}/",
        f"/emails/%73top-digest/{token}/",
        f"/emails%2Fstop-digest/{token}/",
        f"//emails/stop-digest/{token}/",
        f"/EMAILS/stop-digest/{token}/",
        f"/emails/stop-digest/{token}",
        f"/emails/stop-digest/{token}/index.html",
        f"/accounts/reset/Mw/{token}/",
    ):
        get(site["nginx"], address)
    var = Path(site["var"])
    access_log, error_log = var / "nginx" / "access.log", var / "nginx" / "error.log"
    deadline = time.monotonic() + 5  # nginx writes its buffer at least once a second
    while "/accounts/reset/" not in access_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    logged = access_log.read_text()
    assert '"GET /2018-19/board/"' in logged
    # The file's line names the address the reader asked for, not the index.html nginx read.
    assert '"GET /2018-19/funding/" 200' in logged and "index.html" not in logged
    assert logged.count("/emails/stop-digest/[redacted]/") == 7
    assert "/accounts/reset/[redacted]/" in logged
    # An address with no file is not an error of nginx's: no request line, no referer.
    errors = error_log.read_text() if error_log.exists() else ""
    for text in (logged, errors):
        assert "secret-search-words" not in text and token not in text
        assert "REFSECRET" not in text


def test_an_edition_published_through_one_app_server_is_read_at_once_everywhere(site):
    added = "\n\n" + MARKER
    change = (
        "from bscb.reports.models import ReportSection as S; "
        "s = S.objects.get(period__slug='2018-19', slug='foreword'); "
        f"S.objects.filter(pk=s.pk).update(introduction=s.introduction + {added!r}); "
        "print(s.period_id)"
    )
    done = subprocess.run(
        [*site["script"], "--manage", "shell", "-c", change],
        cwd=ROOT,
        env=site["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    period = done.stdout.strip().splitlines()[-1]
    # Both app servers have the page in memory, and nginx its file: the old edition.
    for port in (site["nginx"], site["a"], site["b"]):
        assert MARKER not in get(port, "/2018-19/foreword/")[1]

    cookie = sign_in(site["a"])
    publish = f"/admin/bscb/reportingperiod/{period}/publish/"
    _response, form = get(site["a"], publish, cookie)
    response, body = post(
        site["a"],
        publish,
        {
            "csrfmiddlewaretoken": csrf_token(form),
            "note": "A new escalation route in the foreword.",
            "accept_missing": "on",
        },
        cookie,
    )
    assert response.status in (200, 302), body[-2000:]
    assert "errorlist" not in body

    # Publishing may run as a task the worker picks up: wait for it, then every reader
    # gets the new edition at the same moment.
    deadline = time.monotonic() + 180
    while True:
        response, body = get(site["nginx"], "/2018-19/foreword/")
        if MARKER in body or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert MARKER in body
    assert response.getheader("X-Served-By") == "nginx-file"
    for port in (site["a"], site["b"]):
        response, body = get(port, "/2018-19/foreword/")
        assert MARKER in body, port

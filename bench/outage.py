#!/usr/bin/env python3
"""The site through a PostgreSQL outage: requests before, during and after, with their status codes.

Needs the machine's PostgreSQL cluster (Debian's pg_ctlcluster) and stops it for a
few seconds, then starts it again, whatever happens. Runs gunicorn on loopback.
Run with the project's environment: `.venv/bin/python bench/outage.py`.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB = "bscb_outage"


def cluster() -> tuple[str, str]:
    line = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True
    ).stdout.split("\n")[0]
    version, name = line.split()[:2]
    return version, name


def pg(action: str) -> None:
    version, name = cluster()
    state = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    running = "online" in state
    if (action == "start" and running) or (action == "stop" and not running):
        return
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action], check=True
    )


def csrf(port) -> tuple[str, str]:
    """A sign-in form's token and cookie, as a browser holds them."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    return token, cookie


def sign_in(port, token, cookie) -> str:
    """Sign in as staff before the outage, keeping the session cookie a browser would."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    body = urllib.parse.urlencode(
        {
            # The sign-in wizard's password step (bscb.sign_in.SignInView).
            "sign_in_view-current_step": "auth",
            "auth-username": "officer",
            "auth-password": "an outage test password",
            "csrfmiddlewaretoken": token,
        }
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    cookies = [c.split(";")[0] for c in response.msg.get_all("Set-Cookie") or []]
    return "; ".join([cookie, *[c for c in cookies if c.startswith("sessionid")]])


def request(port, method, path, body=None, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After") or ""
    except OSError as error:
        return f"no answer ({error.__class__.__name__})", ""
    finally:
        conn.close()


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bscb-outage-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "SECRET_KEY": "outage-test-only",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "OTP_REQUIRED_FOR_STAFF": "false",
        "OTP_REQUIRED_FOR_CHAIRS": "false",
        "EDITION_PDF": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "CRITICAL",
    }
    pg("start")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    env["DJANGO_SUPERUSER_PASSWORD"] = "an outage test password"
    for args in (
        ["migrate", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["load_demo"],
        [
            "createsuperuser",
            "--no-input",
            "--username",
            "officer",
            "--email",
            "officer@example.org",
        ],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "bscb.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "critical",
        ],
        cwd=ROOT,
        env=env,
    )
    checks = [
        ("GET", "/2018-19/board/", None, "published page, served before"),
        ("GET", "/2018-19/funding/", None, "published page, not served before the outage"),
        ("GET", "/search/?q=taxi", None, "search (reads the database)"),
        ("GET", "/admin/login/", None, "back office sign-in"),
        (
            "POST",
            "/accounts/login/",
            urllib.parse.urlencode({"username": "x", "password": "y"}),
            "a sign-in attempt (a write)",
        ),
        ("GET", "/admin/meetings/meeting/", "session", "the back office, signed in"),
    ]
    statuses = {}
    try:
        for _ in range(100):
            if request(port, "GET", "/")[0] == 200:
                break
            time.sleep(0.1)
        request(port, "GET", "/2018-19/board/")
        token, csrf_cookie = csrf(port)
        session = sign_in(port, token, csrf_cookie)
        rows = []
        for phase in ("before", "during", "after"):
            if phase == "during":
                pg("stop")
            if phase == "after":
                pg("start")
                time.sleep(1)
            for method, path, body, what in checks:
                cookie = None
                if body == "session":
                    body, cookie = None, session
                elif method == "POST":
                    body = body + "&csrfmiddlewaretoken=" + token
                    cookie = csrf_cookie
                status, retry = request(port, method, path, body, cookie)
                rows.append((phase, method, path, what, status, retry))
                statuses.setdefault(phase, []).append(status)
        print(f"{'phase':<7} {'request':<32} {'status':<7} retry-after  what")
        for phase, method, path, what, status, retry in rows:
            print(f"{phase:<7} {method + ' ' + path:<32} {status!s:<7} {retry:<12} {what}")
        fives = sum(1 for phase in statuses.values() for s in phase if s == 500)
        print(
            f"500s seen: {fives}; requests during the outage answered: "
            f"{sum(1 for s in statuses['during'] if isinstance(s, int))} of {len(checks)}; "
            f"after it came back, without a restart: {statuses['after']}"
        )
        return 1 if fives or any(s != 200 for s in statuses["after"]) else 0
    finally:
        pg("start")
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The site through a PostgreSQL outage: requests before, during and after, with their status codes.

Starts a PostgreSQL instance of its own (initdb and pg_ctl, its own data folder
and port, run as the postgres user when started as root), stops it for a few
seconds and starts it again: the machine's shared server is never touched.
During the outage it also tries to read server files through the disk copy of
the published pages (path traversal, plain and %2e-encoded, sent as they are)
and asks for a page withdrawn by the last publication. Runs gunicorn on loopback.
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
# scripts/serve.py owns the gunicorn command line.
sys.path.insert(0, str(ROOT / "scripts"))
import serve  # noqa: E402

PYTHON = sys.executable
DB = "bscb_outage"


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    if not versions:
        raise SystemExit("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    return str(versions[-1] / name)


class OwnPostgres:
    """A throwaway PostgreSQL server: its own folder, its own port, stopped and started at will."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "pgdata"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        # PostgreSQL refuses to run as root: run its programs as the postgres user then.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args: str) -> None:
        subprocess.run(
            [*self.prefix, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.prefix:
            self.folder.parent.chmod(0o711)  # the postgres user passes through to its folder
            shutil.chown(self.folder, user="postgres")
        self.run(pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self.run(pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-w", "start")

    def stop(self) -> None:
        self.run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (
            subprocess.run(
                [*self.prefix, pg_bin("pg_ctl"), "-D", str(self.data), "status"],
                capture_output=True,
            ).returncode
            == 0
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
            # The sign-in wizard's password step (bscb.core.sign_in.SignInView).
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


def request(port, method, path, body=None, cookie=None, answer=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        if answer is not None:
            answer.append(content)
        return response.status, response.getheader("Retry-After") or ""
    except OSError as error:
        return f"no answer ({error.__class__.__name__})", ""
    finally:
        conn.close()


TRAVERSALS = [
    "/2018-19/../../../../../../../../proc/self/environ",
    "/2018-19/../../../../../../../../etc/passwd",
    "/2018-19/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/2018-19/../../../manage.py",
    "/2018-19/../../../bscb/settings.py",
]
SECRETS = (b"root:x:0:0", b"SECRET_KEY", b"DATABASE_URL", b"outage-test-only", b"import ")
WITHDRAW = """
from bscb.reports.editions import period_publish
from bscb.core.models import ReportingPeriod
from meetings.models import Meeting
period = ReportingPeriod.objects.get(slug="2018-19")
meeting = Meeting.objects.for_period(period).public().filter(group__slug="board").last()
print(meeting.url_in(period))
meeting.is_public = False
meeting.save()
period_publish(period=period, accept_missing=True, note="A meeting withdrawn.")
"""


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bscb-outage-"))
    postgres = OwnPostgres(work / "postgres")
    postgres.init()
    postgres.start()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{postgres.port}/{DB}",
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
    postgres.run(pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(postgres.port), DB)
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
    withdrawn = (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", WITHDRAW],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        serve.gunicorn_command(
            PYTHON, port, workers=1, json_logs=False, options=("--log-level", "critical")
        ),
        cwd=ROOT,
        env=env,
    )
    checks = [
        ("GET", "/2018-19/board/", None, "published page, served before"),
        ("GET", "/2018-19/funding/", None, "published page, not served before the outage"),
        ("GET", "/search/?q=taxi", None, "search (reads the database)"),
        ("GET", "/accounts/login/", None, "the sign-in page"),
        (
            "POST",
            "/accounts/login/",
            urllib.parse.urlencode(
                {"sign_in_view-current_step": "auth", "auth-username": "x", "auth-password": "y"}
            ),
            "a sign-in attempt (a write)",
        ),
        ("GET", "/admin/meetings/meeting/", "session", "the back office, signed in"),
        ("GET", "/healthz", None, "the load balancer's health check (JSON)"),
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
        leaks = []
        for phase in ("before", "during", "after"):
            if phase == "during":
                postgres.stop()
                for path in [*TRAVERSALS, withdrawn]:
                    answer = []
                    status, _retry = request(port, "GET", path, answer=answer)
                    body = answer[0] if answer else b""
                    what = "a withdrawn page" if path == withdrawn else "a server file"
                    rows.append((phase, "GET", path, what, status, ""))
                    if status == 200 or any(secret in body for secret in SECRETS):
                        leaks.append((path, status))
            if phase == "after":
                postgres.start()
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
        print(f"{'phase':<7} {'request':<40} {'status':<7} retry-after  what")
        for phase, method, path, what, status, retry in rows:
            print(f"{phase:<7} {method + ' ' + path[:36]:<40} {status!s:<7} {retry:<12} {what}")
        fives = sum(1 for phase in statuses.values() for s in phase if s == 500)
        print(
            f"500s seen: {fives}; requests during the outage answered: "
            f"{sum(1 for s in statuses['during'] if isinstance(s, int))} of {len(checks)}; "
            f"after it came back, without a restart: {statuses['after']}"
        )
        print(
            f"Server files or withdrawn pages answered during the outage: {len(leaks)} of "
            f"{len(TRAVERSALS) + 1} tried {leaks or ''}"
        )
        return 1 if fives or leaks or any(s != 200 for s in statuses["after"]) else 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        if postgres.running():
            postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

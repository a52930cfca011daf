#!/usr/bin/env python3
"""Benchmarks that print a table: queries per page at 1x and 10x the demo data, requests per
second and latency of a published report page against the same bytes as a static file (same
gunicorn, same run), an uncached page, staff pages rendered live with 10x the data (p50, p95,
p99), the PDF's seconds and pages, and a worker's peak memory.

The load comes from wrk (Debian's package: `sudo apt-get install -y wrk`); the script says so
and stops at once when it is missing.

Run with the project's environment: `.venv/bin/python bench/run.py`. It uses the machine's
PostgreSQL when one answers on 127.0.0.1:5432 (a throwaway database), SQLite otherwise. Everything
runs on loopback and stops by itself; BENCH_SECONDS sets each load's length (default 5).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# scripts/serve.py owns the gunicorn command line and the nginx configuration's filling-in.
sys.path.insert(0, str(ROOT / "scripts"))
import serve  # noqa: E402

PYTHON = sys.executable
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
# The published page through the shipped nginx against a bare nginx: rounds of a second each.
NGINX_ROUNDS = 9
DB = "bscb_bench"

QUERY_PAGES = """
import json
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
User = get_user_model()
staff = User.objects.get(username="bench")
chair = User.objects.get_or_create(username="bench-chair")[0]
from subgroups.models import Action, Group
Group.objects.get(slug="child-exploitation").chairs.add(chair)
action = Action.objects.filter(plan__group__slug="child-exploitation").first()
from bscb.core.models import ReportingPeriod
from bscb.reports.report import report_sections
period = ReportingPeriod.objects.get(slug="2018-19")
pages = {"report: contents (live)": ("staff", "/2018-19/?preview=1")}
# One page of each section kind the report has, from the registry's records.
for section in report_sections(period):
    pages.setdefault(f"report: {section.kind.label} (live)", ("staff", section.url(period) + "?preview=1"))
pages.update({
    "report: the whole report (live)": ("staff", "/2018-19/report/?preview=1"),
    "report: a page of the edition": ("anonymous", "/2018-19/board/"),
    "workspace: home": ("chair", "/workspace/"),
    "workspace: a group": ("chair", "/workspace/groups/child-exploitation/"),
    "workspace: an action": ("chair", f"/workspace/actions/{action.pk}/"),
    "admin: the meeting list": ("staff", "/admin/meetings/meeting/"),
})
clients = {"anonymous": Client(), "staff": Client(), "chair": Client()}
clients["staff"].force_login(staff)
clients["chair"].force_login(chair)
from django.core.cache import caches
counts = {}
for name, (who, path) in pages.items():
    client = clients[who]
    client.get(path)  # warm
    # Drawn afresh, as after a change to the records; then read again, kept.
    caches["drawn"].clear()
    with CaptureQueriesContext(connection) as drawn:
        status = client.get(path).status_code
    with CaptureQueriesContext(connection) as kept:
        client.get(path)
    counts[name] = (status, len(drawn), len(kept))
print(json.dumps(counts))
"""

SCALE = """
from decimal import Decimal
from bscb.core.models import Organisation, ReportingPeriod
from funding.models import Contribution
from meetings.models import Attendance, Entry, Meeting
from subgroups.models import Action, ProgressUpdate
from training.models import Session, SessionAttendance
FACTOR = 10
period = ReportingPeriod.objects.get(slug="2018-19")
meetings = list(Meeting.objects.prefetch_related("entries", "attendances"))
for copy in range(1, FACTOR):
    for m in meetings:
        new = Meeting.objects.create(group=m.group, date=m.date, date_known=m.date_known, title=m.title, is_public=m.is_public)
        Entry.objects.bulk_create([Entry(meeting=new, kind=e.kind, text=e.text, position=e.position, review_id=e.review_id) for e in m.entries.all()])
        Attendance.objects.bulk_create([Attendance(meeting=new, organisation=a.organisation, status=a.status) for a in m.attendances.all()])
sessions = list(Session.objects.prefetch_related("attendances"))
for copy in range(1, FACTOR):
    for s in sessions:
        new = Session.objects.create(course=s.course, date=s.date, date_known=False, kind=s.kind, delivery=s.delivery,
                                     status=s.status, cancellation_reason=s.cancellation_reason, is_illustrative=True)
        SessionAttendance.objects.bulk_create([SessionAttendance(session=new, organisation=a.organisation, attendees=a.attendees) for a in s.attendances.all()])
actions = list(Action.objects.all())
for copy in range(1, FACTOR):
    for a in actions:
        new = Action.objects.create(plan=a.plan, description=f"{a.description} ({copy})", status="in_progress", rag="amber", due_on=a.due_on)
        ProgressUpdate.objects.create(action=new, rag="amber", note="Going", date=period.start)
partners = Contribution.objects.filter(period=period).count()
for n in range(partners * (FACTOR - 1)):
    org = Organisation.objects.create(name=f"Bench partner {n}", sector="other")
    Contribution.objects.create(period=period, organisation=org, amount=Decimal("100.00"))
print(Meeting.objects.count(), Entry.objects.count(), Session.objects.count(), Contribution.objects.count())
"""

PDF_TIME = """
import time
from bscb.reports.pages import pdf_now
from bscb.core.models import ReportingPeriod
period = ReportingPeriod.objects.get(slug="2018-19")
started = time.perf_counter()
pdf, pages = pdf_now(period)
print(f"{time.perf_counter() - started:.2f} {pages} {len(pdf)}")
"""

PUBLISH_TIME = """
import time
from django.conf import settings
from bscb.core.models import ReportingPeriod
from bscb.reports.editions import period_publish
from meetings.models import Meeting
settings.EDITION_PDF = True
period = ReportingPeriod.objects.get(slug="2018-19")
started = time.perf_counter()
edition = period_publish(period=period, accept_missing=True)
print(f"{time.perf_counter() - started:.2f} {Meeting.objects.count()} {edition.pdf_pages or 0} {edition.pages.count()}")
"""

PAGE_BYTES = """
import sys
from django.test import Client
sys.stdout.write(Client().get("{page}").content.decode())
"""


def manage(env, *args, capture=False):
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=capture
    )
    if done.returncode:
        sys.stderr.write((done.stderr or "")[-3000:])
        done.check_returncode()
    return done


def shell(env, code) -> str:
    return manage(env, "shell", "-c", code, capture=True).stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return shutil.which("createdb") is not None
    except OSError:
        return False


# wrk's own summary at the end of a run, as one line of JSON: its --latency report gives
# p50/p75/p90/p99, not p95. Latencies are in microseconds; "status" counts responses other
# than 2xx/3xx, the rest are socket errors (connect, read, write, timeout).
WRK_SUMMARY = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nBENCH {"requests": %d, "duration": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"status_errors": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_or_exit() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit(
            "bench/run.py measures with wrk, which is not installed. On Debian or Ubuntu: "
            "sudo apt-get install -y wrk (the CI script .ci/run installs it when missing)."
        )
    return wrk


def load(port, path, seconds, connections, cookie=None):
    """Requests per second over keep-alive connections (wrk, two threads), latency
    percentiles in ms, and errors counted apart: responses other than 2xx/3xx and socket
    errors, which are not in the requests per second."""
    script = Path(tempfile.mkstemp(suffix=".lua", prefix="bench-wrk-")[1])
    script.write_text(WRK_SUMMARY)
    command = [
        wrk_or_exit(),
        "--threads",
        str(min(2, connections)),
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--script",
        str(script),
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    try:
        done = subprocess.run(
            [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True
        )
    finally:
        script.unlink()
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        done.check_returncode()
    summary = json.loads(done.stdout.split("BENCH ", 1)[1].splitlines()[0])
    errors = summary["status_errors"] + summary["socket_errors"]
    return {
        "rps": (summary["requests"] - summary["status_errors"]) / (summary["duration"] / 1e6),
        "p50": summary["p50"] / 1000,
        "p95": summary["p95"] / 1000,
        "p99": summary["p99"] / 1000,
        "errors": errors,
    }


def combined(runs: list[dict]) -> dict:
    """Runs of the same load taken in turns with another: mean rate, worst percentiles."""
    return {
        "rps": sum(r["rps"] for r in runs) / len(runs),
        **{q: max(r[q] for r in runs) for q in ("p50", "p95", "p99")},
        "errors": sum(r["errors"] for r in runs),
    }


def staff_cookie(port) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf = response.getheader("Set-Cookie", "").split(";")[0]
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    body = urllib.parse.urlencode(
        {
            # The sign-in wizard's password step (bscb.core.sign_in.SignInView).
            "sign_in_view-current_step": "auth",
            "auth-username": "bench",
            "auth-password": "a bench password 2026",
            "csrfmiddlewaretoken": token,
        }
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf},
    )
    response = conn.getresponse()
    response.read()
    session = [
        c.split(";")[0]
        for c in response.msg.get_all("Set-Cookie") or []
        if c.startswith("sessionid")
    ]
    return "; ".join([csrf, *session])


# Staff pages, rendered live from the records (10x data): a report page as staff preview
# it, and the back office's busiest list.
STAFF_PAGES = [
    ("a page rendered live for staff", "/2018-19/board/?preview=1"),
    ("the admin's meeting list", "/admin/meetings/meeting/"),
]


def change_a_record(database: str) -> None:
    """One record changed, as staff change them: the next staff page is drawn afresh, its
    kept drawing being of the generation before (bscb.core.changes)."""
    sql = "UPDATE meetings_meeting SET title = title WHERE id = (SELECT MIN(id) FROM meetings_meeting)"
    if database.startswith("postgres"):
        import psycopg2

        connection = psycopg2.connect(database)
        with connection, connection.cursor() as cursor:
            cursor.execute(sql)
        connection.close()
    else:
        import sqlite3

        connection = sqlite3.connect(database.removeprefix("sqlite:///"))
        with connection:
            connection.execute(sql)
        connection.close()


def load_while_records_change(port, path, seconds, cookie, database, every: float = 1.0):
    """`load`, while a record is changed every `every` seconds, as staff at work change them:
    each change leaves the kept pages of the generation before, and the next reads draw the
    page afresh (one UPDATE a second: a writer, not a load generator)."""
    stop = threading.Event()
    made, failures = [], []

    def writer():
        while not stop.wait(every):
            try:
                change_a_record(database)
            except Exception as error:  # said below: a row of no changes would mislead
                failures.append(error)
                return
            made.append(1)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        result = load(port, path, seconds, CONNECTIONS, cookie)
    finally:
        stop.set()
        thread.join()
    if failures or not made:
        raise SystemExit(f"The records could not be changed during the load: {failures}")
    return {**result, "changes": len(made)}


def drawn_after_a_change(port, path, cookie, database, times: int = 20) -> dict:
    """The page read once after each of `times` changes, one request at a time: what a staff
    page costs when it is drawn from the records rather than kept (no load: a latency)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    took = []
    for _ in range(times):
        change_a_record(database)
        start = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        took.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status} after a change")
    took.sort()
    return {"p50": took[len(took) // 2], "p95": took[int(0.95 * (len(took) - 1))], "max": took[-1]}


def print_drawn_after_a_change(drawn: dict) -> None:
    print()
    print(
        "Staff pages drawn afresh after a change to a record (one request at a time, "
        f"{20} changes each; the loads above read pages kept since the last change):"
    )
    print()
    print(f"| {'page':<58} |  p50 ms |  p95 ms |  max ms |")
    print(f"|{'-' * 60}|--------:|--------:|--------:|")
    for (label, path), result in drawn.items():
        print(
            f"| {label + ': ' + path:<58} | {result['p50']:>7.1f} | {result['p95']:>7.1f} "
            f"| {result['max']:>7.1f} |"
        )


def gunicorn(env, port: int, workers: int = 2, threads: int = 1) -> subprocess.Popen:
    """gunicorn serving the project on loopback, answering once it does."""
    server = subprocess.Popen(
        serve.gunicorn_command(
            PYTHON,
            port,
            workers=workers,
            json_logs=False,
            options=("--threads", str(threads), "--log-level", "warning"),
        ),
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/")
            conn.getresponse().read()
            break
        except OSError:
            time.sleep(0.1)
    return server


def bench_env(work: Path, database: str) -> dict:
    """The environment of the bench's server: production settings on plain HTTP, loopback."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "SECRET_KEY": "bench-only",
        "DEBUG": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "OTP_REQUIRED_FOR_STAFF": "false",
        "OTP_REQUIRED_FOR_CHAIRS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SUPERUSER_PASSWORD": "a bench password 2026",
    }


STAFF_DB = DB + "_staff"
KEEP = False  # --keep
COUNTS = """
from meetings.models import Entry, Meeting
print(Meeting.objects.count(), Entry.objects.count())
"""


def staff_only(rounds: int, workers: int, threads: int, database: str | None) -> None:
    """`--only staff`: the staff pages alone, with 10x the demo data, each load `rounds` times
    (the machine may be shared: every round is printed, the best and the worst with it).

    `--database URL` measures a database made earlier by this command (kept with
    `--keep`), which saves the minutes of loading and scaling the demo year."""
    wrk_or_exit()
    work = Path(tempfile.mkdtemp(prefix="bscb-bench-staff-"))
    made_here = database is None
    on_postgres = (database or "").startswith("postgres") or (made_here and postgres_answers())
    if made_here and on_postgres:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", STAFF_DB], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", STAFF_DB], check=True)
        database = f"postgres://postgres@127.0.0.1:5432/{STAFF_DB}"
    elif made_here:
        database = f"sqlite:///{work / 'bench.sqlite3'}"
    env = bench_env(work, database)
    server = None
    try:
        manage(env, "collectstatic", "--no-input", "-v", "0")
        if made_here:
            manage(env, "migrate", "--no-input", "-v", "0")
            manage(env, "load_demo", capture=True)
            manage(
                env,
                "createsuperuser",
                "--no-input",
                "--username",
                "bench",
                "--email",
                "bench@example.org",
                capture=True,
            )
            shell(env, SCALE)
        scaled = shell(env, COUNTS)
        port = free_port()
        server = gunicorn(env, port, workers, threads)
        cookie = staff_cookie(port)
        results = {}
        changing = {}
        drawn = {}
        for label, path in STAFF_PAGES:
            load(port, path, 1, CONNECTIONS, cookie)  # warm up
            results[label, path] = [
                load(port, path, SECONDS, CONNECTIONS, cookie) for _ in range(rounds)
            ]
            changing[label, path] = [
                load_while_records_change(port, path, SECONDS, cookie, database)
                for _ in range(rounds)
            ]
            drawn[label, path] = drawn_after_a_change(port, path, cookie, database)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        if made_here and on_postgres and not KEEP:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", STAFF_DB])
        shutil.rmtree(work, ignore_errors=True)
    if made_here and on_postgres and KEEP:
        print(f"Kept the database: --database {database}")
    meetings, entries = scaled.split()
    print(
        f"Staff pages, 10x data ({meetings} meetings, {entries} entries), "
        f"{'PostgreSQL' if on_postgres else 'SQLite'}; gunicorn {workers} "
        f"workers x {threads} threads; wrk {CONNECTIONS} connections, {SECONDS:.0f} s a round, "
        f"{rounds} rounds; load average at the end {os.getloadavg()[0]:.1f}."
    )
    print()
    print(f"| {'page':<58} | round | requests/s |  p50 ms |  p95 ms |  p99 ms | errors |")
    print(f"|{'-' * 60}|------:|-----------:|--------:|--------:|--------:|-------:|")
    rows = [(f"{label}: {path}", done) for (label, path), done in results.items()]
    rows += [
        (f"{path}, a record changed each second", done) for (_, path), done in changing.items()
    ]
    for name, rounds_done in rows:
        for n, result in enumerate(rounds_done, start=1):
            print(
                f"| {name:<58} | {n:>5} | {result['rps']:>10,.0f} "
                f"| {result['p50']:>7.1f} | {result['p95']:>7.1f} | {result['p99']:>7.1f} "
                f"| {result['errors']:>6} |"
            )
    print_drawn_after_a_change(drawn)


def worker_peak_memory(master: int) -> float:
    """The largest resident set (VmHWM) among gunicorn's workers, in MiB."""
    peaks = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master):
            peaks.append(int(fields.get("VmHWM", "0 kB").split()[0]) / 1024)
    return max(peaks, default=0.0)


PLAIN_NGINX = """
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def start_nginx(conf: Path, prefix: Path, port: int) -> subprocess.Popen:
    """Debian's nginx with a configuration of ours, in the foreground, on loopback."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit(
            "bench/run.py compares with nginx, which is not installed. On Debian or Ubuntu: "
            "sudo apt-get install -y nginx (the CI script .ci/run installs it when missing)."
        )
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"])
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on {port}")


def shipped_nginx(env: dict, work: Path, app_port: int) -> tuple[int, Path]:
    """deploy/nginx.conf, filled in by scripts/serve.py's own code, in front of the gunicorn."""
    port = free_port()
    prefix = work / "nginx-shipped"
    prefix.mkdir()
    args = argparse.Namespace(host="127.0.0.1", port=port)
    return port, serve.nginx_config(args, env, [app_port], prefix)


def plain_nginx(work: Path, body: bytes) -> tuple[int, Path]:
    """nginx serving the same bytes as a plain file: the ceiling."""
    port = free_port()
    prefix = work / "nginx-plain"
    (prefix / "root").mkdir(parents=True)
    (prefix / "root" / "page.html").write_bytes(body)
    conf = prefix / "nginx.conf"
    text = PLAIN_NGINX.format(prefix=prefix, port=port, root=prefix / "root")
    conf.write_text(("user root;\n" if os.geteuid() == 0 else "") + text)
    return port, conf


def main() -> None:
    wrk_or_exit()  # before minutes of setting up
    work = Path(tempfile.mkdtemp(prefix="bscb-bench-"))
    on_postgres = postgres_answers()
    if on_postgres:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
        database = f"postgres://postgres@127.0.0.1:5432/{DB}"
    else:
        database = f"sqlite:///{work / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "SECRET_KEY": "bench-only",
        "DEBUG": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "OTP_REQUIRED_FOR_STAFF": "false",
        "OTP_REQUIRED_FOR_CHAIRS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SUPERUSER_PASSWORD": "a bench password 2026",
    }
    server = None
    fronts: list[subprocess.Popen] = []
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        started = time.perf_counter()
        manage(env, "load_demo", capture=True)
        publish_seconds = time.perf_counter() - started
        manage(
            env,
            "createsuperuser",
            "--no-input",
            "--username",
            "bench",
            "--email",
            "bench@example.org",
            capture=True,
        )
        pdf_seconds, pdf_pages, pdf_bytes = shell(env, PDF_TIME).split()
        one = json.loads(shell(env, QUERY_PAGES))
        publish_one = shell(env, PUBLISH_TIME).split()
        scaled = shell(env, SCALE)
        ten = json.loads(shell(env, QUERY_PAGES))

        page = "/2018-19/board/"
        body = manage(
            env, "shell", "-c", PAGE_BYTES.format(page=page), capture=True
        ).stdout.encode()
        # The same bytes as a static file, served by WhiteNoise from the same gunicorn
        # (WhiteNoise indexes files at start-up, so it is written first).
        (work / "static" / "bench-copy.html").write_bytes(body)
        port = free_port()
        server = gunicorn(env, port)
        load(port, page, 1, CONNECTIONS)  # warm up
        edition = load(port, page, SECONDS, CONNECTIONS)
        static = load(port, "/static/bench-copy.html", SECONDS, CONNECTIONS)
        # A query string passes the in-memory pages by: the view reads the stored page from the database.
        uncached_path = page + "?uncached=1"
        load(port, uncached_path, 1, CONNECTIONS)
        uncached = load(port, uncached_path, SECONDS, CONNECTIONS)
        # The same page through the shipped nginx configuration (from the file publishing
        # wrote) against the same bytes as a plain file of a bare nginx, in the same run.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        conn.request("GET", page)
        page_bytes = conn.getresponse().read()
        shipped_port, shipped_conf = shipped_nginx(env, work, port)
        fronts.append(start_nginx(shipped_conf, shipped_conf.parent, shipped_port))
        plain_port, plain_conf = plain_nginx(work, page_bytes)
        fronts.append(start_nginx(plain_conf, plain_conf.parent, plain_port))
        conn = http.client.HTTPConnection("127.0.0.1", shipped_port, timeout=15)
        conn.request("GET", page)
        answer = conn.getresponse()
        from_file = answer.getheader("X-Served-By") == "nginx-file" and answer.read() == page_bytes
        load(shipped_port, page, 1, CONNECTIONS)
        load(plain_port, "/page.html", 1, CONNECTIONS)
        # Taken in turns, a second each, so that a burst of other load on the machine falls
        # on both: a ratio of two runs taken apart says more about the machine. The ratio is
        # the median of the rounds' own ratios: a burst that falls on one side of one round
        # (on this machine, one run in ten is a third slower) does not decide it.
        rounds = [
            (
                load(shipped_port, page, 1, CONNECTIONS),
                load(plain_port, "/page.html", 1, CONNECTIONS),
            )
            for _ in range(NGINX_ROUNDS)
        ]
        shipped, plain = (combined([r[side] for r in rounds]) for side in (0, 1))
        nginx_ratio = statistics.median(a["rps"] / b["rps"] for a, b in rounds)
        cookie = staff_cookie(port)
        staff_pages = {}
        changing = {}
        drawn = {}
        for label, path in STAFF_PAGES:
            load(port, path, 1, CONNECTIONS, cookie)
            staff_pages[label, path] = load(port, path, SECONDS, CONNECTIONS, cookie)
            changing[label, path] = load_while_records_change(port, path, SECONDS, cookie, database)
            drawn[label, path] = drawn_after_a_change(port, path, cookie, database)
        memory = worker_peak_memory(server.pid)
        # Last, so that the pages served above are the 1x edition's, as in earlier runs.
        publish_ten = shell(env, PUBLISH_TIME).split()
    finally:
        for front in fronts:
            front.send_signal(signal.SIGQUIT)
            front.wait(timeout=10)
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        if on_postgres:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB])
        shutil.rmtree(work, ignore_errors=True)

    backend = "PostgreSQL" if on_postgres else "SQLite"
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{backend}; gunicorn 2 workers; load generator wrk (2 threads) on the same cores, "
        f"{CONNECTIONS} keep-alive connections, {SECONDS:.0f} s each; errors (responses other than "
        f"2xx/3xx, socket errors) are not counted in requests/s."
    )
    print(f"10x data: meetings, entries, sessions, contributions = {scaled.replace(' ', ', ')}")
    print()
    print(f"| {'page':<40} | queries 1x | queries 10x | kept, 10x |")
    print(f"|{'-' * 42}|-----------:|------------:|----------:|")
    for name, (status, count, _kept) in one.items():
        ten_status, ten_count, ten_kept = ten[name]
        flag = "" if status == ten_status == 200 else f" (status {status}/{ten_status})"
        print(f"| {name + flag:<40} | {count:>10} | {ten_count:>11} | {ten_kept:>9} |")
    print()
    print(f"| {'served':<66} | requests/s |  p50 ms |  p95 ms |  p99 ms | errors |")
    print(f"|{'-' * 68}|-----------:|--------:|--------:|--------:|-------:|")
    for name, result in [
        (f"published report page {page} ({len(body) / 1024:.0f} KiB)", edition),
        ("the same bytes as a static file (WhiteNoise)", static),
        (f"{page} through the shipped deploy/nginx.conf (its file)", shipped),
        ("the same bytes as a plain file of a bare nginx", plain),
        (f"the same page, not cached in memory (one {backend} query)", uncached),
        *[(f"{label}: {path}, 10x data", result) for (label, path), result in staff_pages.items()],
        *[
            (f"{path}, 10x data, a record changed each second", result)
            for (_label, path), result in changing.items()
        ],
    ]:
        print(
            f"| {name:<66} | {result['rps']:>10,.0f} | {result['p50']:>7.1f} "
            f"| {result['p95']:>7.1f} | {result['p99']:>7.1f} | {result['errors']:>6} |"
        )
    print()
    print(
        f"Published page / static file: {edition['rps'] / static['rps']:.0%} (goal: at least 75%). "
        f"Uncached page: {uncached['rps']:,.0f} requests/s (goal: at least 600 on PostgreSQL). "
        f"Staff pages, 10x data: p95 "
        + ", ".join(f"{result['p95']:.0f} ms" for result in staff_pages.values())
        + " (goal: under 100 ms at 8 connections); with a record changed each second meanwhile "
        "(each change draws the page afresh, a few requests in a hundred): p95 "
        + ", ".join(
            f"{result['p95']:.0f} ms (p99 {result['p99']:.0f} ms, {result['changes']} changes)"
            for result in changing.values()
        )
        + "; drawn afresh after a change, one request at a time: "
        + ", ".join(f"{result['p95']:.0f} ms" for result in drawn.values())
        + "."
    )
    print(
        f"Published page through the shipped nginx / the same bytes from a bare nginx: "
        f"{nginx_ratio:.0%}, the median of {NGINX_ROUNDS} rounds' ratios (goal: at least 90%); "
        + (
            "answered from the edition's file (X-Served-By: nginx-file, same bytes)."
            if from_file
            else "NOT answered from the edition's file."
        )
    )
    print(
        f"PDF: {pdf_pages} A4 pages, {int(pdf_bytes) / 1024:.0f} KiB, in {pdf_seconds} s; "
        f"demo loaded and published (pages and PDF) in {publish_seconds:.1f} s; "
        f"peak memory of a gunicorn worker: {memory:.0f} MiB."
    )
    for label, (seconds, meetings, pdf_pages, stored) in [
        ("1x", publish_one),
        ("10x", publish_ten),
    ]:
        print(
            f"Publishing at {label} ({meetings} meetings): {seconds} s for {stored} stored pages "
            f"and a PDF of {pdf_pages} pages (goal at 10x: under 15 s)."
        )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["staff"], help="run one part: the staff pages")
    parser.add_argument("--rounds", type=int, default=3, help="with --only: loads per page")
    parser.add_argument("--workers", type=int, default=2, help="with --only: gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="with --only: threads a worker")
    parser.add_argument("--database", help="with --only: a database made earlier with --keep")
    parser.add_argument("--keep", action="store_true", help="with --only: keep the database")
    arguments = parser.parse_args()
    if arguments.only == "staff":
        KEEP = arguments.keep
        staff_only(arguments.rounds, arguments.workers, arguments.threads, arguments.database)
    else:
        main()

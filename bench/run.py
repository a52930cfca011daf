#!/usr/bin/env python3
"""Benchmarks that print figures: PDF seconds and pages, requests per second for a published
edition's page against a static file of the same size (same gunicorn, same run), and queries
per page. Run with the project's environment: `.venv/bin/python bench/run.py`.

Everything runs on loopback, on a throwaway SQLite database, and stops by itself.
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, path: str, seconds: float, connections: int) -> tuple[float, int]:
    """Requests per second with keep-alive connections, and the number of errors."""
    done, errors = [0] * connections, [0] * connections
    stop = time.perf_counter() + seconds

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[i] += 1
                done[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started), sum(errors)


QUERY_COUNT = """
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
for path in PATHS:
    with CaptureQueriesContext(connection) as q:
        status = client.get(path).status_code
    print(f"  {path:<52} {status}  {len(q):>2} queries")
"""

PAGE_BYTES = """
import sys
from django.test import Client
sys.stdout.write(Client().get("{page}").content.decode())
"""

PDF_TIME = """
import time
from bscb.editions import render_pdf
from bscb.models import ReportingPeriod
period = ReportingPeriod.objects.get(slug="2018-19")
started = time.perf_counter()
pdf, pages = render_pdf(period)
print(f"PDF: {pages} A4 pages, {len(pdf) / 1024:.0f} KiB, made in {time.perf_counter() - started:.2f} s")
"""


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bscb-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only",
        "DEBUG": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "OTP_REQUIRED_FOR_STAFF": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        started = time.perf_counter()
        manage(env, "load_demo", capture=True)
        print(
            f"Demo year loaded and published (pages and PDF) in {time.perf_counter() - started:.1f} s"
        )
        print(manage(env, "shell", "-c", PDF_TIME, capture=True).stdout.strip())

        page = "/2018-19/board/"
        body = manage(env, "shell", "-c", PAGE_BYTES.format(page=page), capture=True).stdout
        body = body.encode()
        # A static file of the same bytes, served by WhiteNoise from the same gunicorn
        # (WhiteNoise indexes files at start-up, so it is written first).
        (work / "static" / "bench-copy.html").write_bytes(body)
        static = "/static/bench-copy.html"

        port = free_port()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "bscb.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
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
        load(port, page, 1, CONNECTIONS)  # warm up
        page_rate, page_errors = load(port, page, SECONDS, CONNECTIONS)
        static_rate, static_errors = load(port, static, SECONDS, CONNECTIONS)
        print(
            f"Serving under gunicorn (2 workers, {CONNECTIONS} keep-alive connections, {SECONDS:.0f} s each, "
            f"load generator on the same {os.cpu_count()} cores):"
        )
        print(
            f"  edition page {page} ({len(body) / 1024:.0f} KiB): {page_rate:,.0f} requests/s, {page_errors} errors"
        )
        print(
            f"  static file of the same size: {static_rate:,.0f} requests/s, {static_errors} errors"
        )
        print(f"  edition page / static file: {page_rate / static_rate:.0%} (goal: at least 75%)")
        paths = [
            "/2018-19/",
            "/2018-19/board/",
            "/2018-19/groups/child-exploitation/",
            "/2018-19/training/",
            "/2018-19/funding/",
            "/2018-19/report/",
            "/2018-19/data/funding.csv",
        ]
        print("Queries per page of the published edition (goal: at most 3):")
        print(
            manage(
                env, "shell", "-c", f"PATHS = {paths!r}\n" + QUERY_COUNT, capture=True
            ).stdout.rstrip()
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

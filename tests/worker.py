"""A real background worker process (`manage.py worker`) on the test database, for the tests
that run tasks the way production does (the others use the ImmediateBackend)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.process_env import fresh_environment

ROOT = Path(__file__).resolve().parents[1]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url() -> str:
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        # tests/conftest.py keeps SQLite's test database in a file for this.
        assert "memory" not in str(database["NAME"]), "the worker needs the database in a file"
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}"
    )


def start_worker(*, slow_pages: float = 0, **env) -> subprocess.Popen:
    """The worker, in a process group of its own (so a test can kill it whole), writing media
    where this process reads them. `slow_pages` seconds are added to each section and meeting
    page publishing renders (tests/slow_worker.py), so a browser polling once a second sees
    the bar move through a small year."""
    if slow_pages:
        command = [sys.executable, "-m", "tests.slow_worker"]
        env["SLOW_PAGE_SECONDS"] = str(slow_pages)
    else:
        command = [sys.executable, "manage.py", "worker"]
    return subprocess.Popen(
        [*command, "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=fresh_environment(
            DATABASE_URL=database_url(),
            SECRET_KEY="tests-only-not-secret",
            TASK_BACKEND="database",
            STATIC_MANIFEST="false",
            WORKER_HEARTBEAT_SECONDS="0.5",
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
            EDITION_PDF="true" if settings.EDITION_PDF else "false",
            PYTHONPATH=str(ROOT),
            **env,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> str:
    """Stop the worker's process group; what it printed."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
    output, _ = process.communicate(timeout=60)
    return output.decode(errors="replace")


def wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False

"""Under gunicorn with the shipped log configuration, every line on standard error is JSON:
gunicorn's own (starting, listening, workers) as well as the application's."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings

from tests.process_env import fresh_environment
from tests.scripts import serve_script


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(url: str, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_gunicorn_and_the_app_write_one_json_object_a_line(tmp_path):
    port = free_port()
    # An empty database: /healthz answers 503 (no migrations), which is logged.
    env = fresh_environment(
        SECRET_KEY="tests-only-not-secret",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",
        STATIC_ROOT=str(tmp_path / "no-static"),
    )
    server = subprocess.Popen(
        # scripts/serve.py's own command line, with the shipped log configuration.
        serve_script().gunicorn_command(
            sys.executable,
            port,
            workers=1,
            # Its own control socket: the default is one per user, shared with other servers.
            control_socket=tmp_path / "gunicorn.ctl",
        ),
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert ask(f"http://127.0.0.1:{port}/healthz") == 503
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines()]  # every line parses
    assert out == ""
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    said = [(line["logger"], line["message"]) for line in lines]
    assert ("gunicorn.error", f"Listening at: http://127.0.0.1:{port} ({server.pid})") in said
    # Python's warnings too (WhiteNoise's, about the static folder that is not there).
    assert any(n == "py.warnings" and "UserWarning: No directory at" in m for n, m in said)
    assert any(m.startswith("Health check migrations failed") for _, m in said)
    (request,) = [line for line in lines if line["logger"] == "bscb.request"]
    assert (request["method"], request["path"], request["status"]) == ("GET", "/healthz", 503)
    assert not [line for line in lines if line["logger"] == "gunicorn.access"]


def test_scripts_serve_starts_gunicorn_with_the_json_log_configuration(tmp_path):
    """The README promises one JSON object a line in production: scripts/serve.py's gunicorn
    instances once wrote their own plain lines ("[...] [INFO] Booting worker") among them."""
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        serve = subprocess.Popen(
            [
                sys.executable,
                "scripts/serve.py",
                *("--port", str(free_port()), "--var", str(tmp_path / "var")),
                *("--app-servers", "1", "--workers", "1"),
            ],
            cwd=settings.BASE_DIR,
            env=fresh_environment(),
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own process group: stopped whole below
        )
    try:
        deadline = time.monotonic() + 240
        while "Serving at" not in out.read_text():
            assert serve.poll() is None, err.read_text()[-2000:]
            assert time.monotonic() < deadline, "scripts/serve.py did not start"
            time.sleep(0.5)
    finally:
        serve.send_signal(signal.SIGTERM)  # as Ctrl+C: serve.py stops its children itself
        try:
            serve.wait(timeout=60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(serve.pid, signal.SIGKILL)  # whatever it left behind
    plain = [line for line in err.read_text().splitlines() if not line.startswith("{")]
    assert plain == []
    said = [json.loads(line) for line in err.read_text().splitlines()]
    assert any(
        line["logger"] == "gunicorn.error" and line["message"].startswith("Listening at")
        for line in said
    )

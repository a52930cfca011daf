"""Under gunicorn with the shipped log configuration, every line on standard error is JSON:
gunicorn's own (starting, listening, workers) as well as the application's."""

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings

from tests.process_env import fresh_environment

CONFIG = settings.BASE_DIR / "deploy" / "gunicorn-logging.json"


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
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bscb.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-config-json",
            str(CONFIG),
            # Its own control socket: the default is one per user, shared with other servers.
            "--control-socket",
            str(tmp_path / "gunicorn.ctl"),
        ],
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

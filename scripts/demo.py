#!/usr/bin/env python3
"""Set everything up and serve the demo year at DEMO_ADDRESS (default 127.0.0.1:8000; SQLite; safe to run again).

Serves with Django's development server and, beside it, the background worker
(`manage.py worker`: publishing and other long work run there); Ctrl+C stops both.
"""

import argparse
import os
import secrets
import subprocess
from pathlib import Path

from _venv import ROOT, ensure_venv, run

ADDRESS = os.environ.get("DEMO_ADDRESS", "127.0.0.1:8000")
KEY_FILE = Path(__file__).resolve().parents[1] / "var" / "demo-secret-key"


def demo_secret_key() -> str:
    """This installation's own key, made once and kept beside the database (var/ is not in
    git): with Django's built-in development key, anyone could sign a link (an email's
    unsubscribe link) for any account of the demo."""
    if not KEY_FILE.exists():
        KEY_FILE.parent.mkdir(exist_ok=True)
        KEY_FILE.write_text(secrets.token_urlsafe(50))
        KEY_FILE.chmod(0o600)
    return KEY_FILE.read_text().strip()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The address comes from DEMO_ADDRESS (host:port), e.g. "
        "DEMO_ADDRESS=127.0.0.1:8001 python3 scripts/demo.py",
    )
    parser.add_argument(
        "--no-serve", action="store_true", help="set up and load the demo year, then stop"
    )
    options = parser.parse_args()
    python = ensure_venv()
    env = {**os.environ, "DEBUG": "true"}
    env.setdefault("SECRET_KEY", demo_secret_key())
    env.setdefault("SITE_URL", f"http://{ADDRESS}")  # the address the emails' links use
    env.pop("DATABASE_URL", None)  # the demo runs on the embedded SQLite file
    run(python, "manage.py", "migrate", "--no-input", "-v", "0", env=env)
    run(python, "manage.py", "load_demo", "--with-accounts", env=env)
    print(
        f"\nServing the demo year at http://{ADDRESS}/ with the background worker beside it "
        "(Ctrl+C stops both)\n",
        flush=True,
    )
    if options.no_serve:
        return
    serve(python, env)


def serve(python, env: dict) -> None:
    """The development server in the foreground, the worker beside it; both stop together.

    The worker does not reload on code changes (the server does): after changing a task,
    stop and start again. Ctrl+C reaches both (one process group); when the server stops
    for another reason, the worker is asked to stop, and finishes the task it is running.
    """
    worker = subprocess.Popen(
        [str(python), "manage.py", "worker", "--no-reload", "--verbosity", "1"], cwd=ROOT, env=env
    )
    try:
        subprocess.run([str(python), "manage.py", "runserver", ADDRESS], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        pass
    finally:
        if worker.poll() is None:
            worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


if __name__ == "__main__":
    main()

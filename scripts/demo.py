#!/usr/bin/env python3
"""Set everything up and serve the demo year at DEMO_ADDRESS (default 127.0.0.1:8000; SQLite; safe to run again)."""

import os
import secrets
import sys
from pathlib import Path

from _venv import ensure_venv, run

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
    python = ensure_venv()
    env = {**os.environ, "DEBUG": "true"}
    env.setdefault("SECRET_KEY", demo_secret_key())
    env.setdefault("SITE_URL", f"http://{ADDRESS}")  # the address the emails' links use
    env.pop("DATABASE_URL", None)  # the demo runs on the embedded SQLite file
    run(python, "manage.py", "migrate", "--no-input", "-v", "0", env=env)
    run(python, "manage.py", "load_demo", "--with-accounts", env=env)
    print(f"\nServing the demo year at http://{ADDRESS}/  (Ctrl+C stops it)\n", flush=True)
    if "--no-serve" in sys.argv:
        return
    os.execve(python, [str(python), "manage.py", "runserver", ADDRESS], env)


if __name__ == "__main__":
    main()

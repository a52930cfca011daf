#!/usr/bin/env python3
"""Set everything up and serve the demo year at http://127.0.0.1:8000 (SQLite; safe to run again)."""

import os
import sys

from _venv import ensure_venv, run

ADDRESS = os.environ.get("DEMO_ADDRESS", "127.0.0.1:8000")


def main() -> None:
    python = ensure_venv()
    env = {**os.environ, "DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # the demo runs on the embedded SQLite file
    run(python, "manage.py", "migrate", "--no-input", "-v", "0", env=env)
    run(python, "manage.py", "load_demo", "--with-accounts", env=env)
    print(f"\nServing the demo year at http://{ADDRESS}/  (Ctrl+C stops it)\n", flush=True)
    if "--no-serve" in sys.argv:
        return
    os.execve(python, [str(python), "manage.py", "runserver", ADDRESS], env)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Run the tests (installs what they need first). Arguments go to pytest.

SQLite by default; set DATABASE_URL=postgres://... to run them on PostgreSQL.
"""

import os
import sys

from _venv import ensure_venv, run


def main() -> None:
    python = ensure_venv("[dev]")
    try:
        run(python, "-m", "pytest", *sys.argv[1:], env=dict(os.environ))
    except Exception as error:  # CalledProcessError: pass pytest's exit code on
        sys.exit(getattr(error, "returncode", 1))


if __name__ == "__main__":
    main()

"""Shared by the set-up and test commands: a virtual environment in .venv, installed from pyproject.toml."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_venv(extras: str = "") -> Path:
    """Create .venv if missing and install the project; reinstall only when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this runs under whatever python3 the user has
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    pip_ready = (
        PYTHON.exists()
        and subprocess.run([PYTHON, "-m", "pip", "--version"], capture_output=True).returncode == 0
    )
    if not pip_ready:
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except Exception as error:
            sys.exit(
                f"Could not create {VENV} ({error}). On Debian or Ubuntu, install the "
                "python3-venv package (e.g. apt install python3.11-venv) and run this again."
            )
    stamp = VENV / f".installed{extras or '-base'}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("Installing the project and its dependencies ...", flush=True)
        subprocess.run(
            [
                PYTHON,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-e",
                f"{ROOT}{extras}",
            ],
            check=True,
        )
        stamp.write_text(wanted)
    return PYTHON


def run(*args, env: dict | None = None) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, env=env)

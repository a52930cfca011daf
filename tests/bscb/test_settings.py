"""Settings come from the environment, with safe defaults and loud failures."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.process_env import fresh_environment

ROOT = Path(__file__).resolve().parents[2]


def settings_in(env: dict) -> subprocess.CompletedProcess:
    code = (
        "import bscb.settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.SESSION_COOKIE_SECURE, s.LANGUAGE_CODE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=fresh_environment(**env),
        capture_output=True,
        text=True,
    )


def test_production_is_the_default_and_needs_a_secret():
    result = settings_in({})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_defaults_are_safe_sqlite_and_en_gb():
    result = settings_in({"SECRET_KEY": "x"})
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3", "True", "en-gb"]


def test_database_url_selects_postgresql():
    result = settings_in({"SECRET_KEY": "x", "DATABASE_URL": "postgres://u@db:5432/bscb"})
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_boolean_fails_loudly(value):
    result = settings_in({"SECRET_KEY": "x", "DEBUG": value})
    assert result.returncode != 0
    assert f"DEBUG must be true or false, not {value!r}" in result.stderr

"""The shipped systemd units start commands that exist, and every daily command exists.

A unit that runs and ends (the daily, weekly and backup runs) has a timer; one that keeps
running (the worker) is restarted by systemd instead.
"""

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

UNITS = Path(settings.BASE_DIR) / "deploy" / "systemd"


def services():
    return sorted(UNITS.glob("*.service"))


def read(unit: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(unit)
    return parser


@pytest.mark.parametrize("service", services(), ids=lambda p: p.name)
def test_each_service_has_a_timer_or_restarts_and_runs_a_command_of_this_project(service):
    if read(service)["Service"]["Type"] == "oneshot":
        assert service.with_suffix(".timer").is_file()
        assert read(service.with_suffix(".timer"))["Timer"]["Persistent"] == "true"
    else:
        assert read(service)["Service"]["Restart"] == "always"
        assert read(service)["Install"]["WantedBy"] == "multi-user.target"
    words = shlex.split(read(service)["Service"]["ExecStart"])
    assert words[:2] == ["/srv/bscb/.venv/bin/python", "manage.py"]
    assert words[2] in get_commands()


def test_every_daily_command_exists():
    assert [command[0] for command in settings.DAILY_COMMANDS] == [
        "release_embargoes",
        "send_notices",
        "clear_stale_exports",
        "forget_record_changes",
    ]
    assert all(command[0] in get_commands() for command in settings.DAILY_COMMANDS)


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_finds_nothing_wrong_but_the_missing_installation():
    done = subprocess.run(
        ["systemd-analyze", "verify", *map(str, sorted(UNITS.iterdir()))],
        capture_output=True,
        text=True,
    )
    complaints = [
        line
        for line in done.stderr.splitlines()
        if "/srv/bscb/.venv/bin/python is not executable" not in line
    ]
    assert complaints == []

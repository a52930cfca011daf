"""The demo signs its links with a key of its own, made once, never Django's development key."""

import stat
import sys
from pathlib import Path

import pytest

from tests.scripts import load_script


def test_the_demo_makes_its_own_secret_key_once_and_keeps_it_private(tmp_path):
    demo = load_script("demo")
    demo.KEY_FILE = tmp_path / "var" / "demo-secret-key"
    first = demo.demo_secret_key()
    assert first == demo.demo_secret_key()
    assert len(first) >= 50 and first != "development-only-not-secret"
    assert stat.S_IMODE(demo.KEY_FILE.stat().st_mode) == 0o600


def test_the_demo_names_the_address_it_serves_at_for_sign_in(tmp_path, monkeypatch, capsys):
    """DEMO_ADDRESS moves the server; the sign-in address printed (and the emails' links) follow."""
    monkeypatch.setenv("DEMO_ADDRESS", "127.0.0.1:8123")
    monkeypatch.delenv("SITE_URL", raising=False)
    demo = load_script("demo")
    demo.KEY_FILE = tmp_path / "demo-secret-key"
    commands = []
    demo.ensure_venv = lambda: Path(sys.executable)
    demo.run = lambda *args, env: commands.append((args, env))
    monkeypatch.setattr(sys, "argv", ["demo.py", "--no-serve"])
    demo.main()
    load = next(env for args, env in commands if "load_demo" in args)
    assert load["SITE_URL"] == "http://127.0.0.1:8123"
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out


def test_the_demo_command_prints_the_sign_in_address_from_the_site_url(db, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8123"
    out = StringIO()
    call_command("load_demo", "--with-accounts", stdout=out)
    assert "Demo sign-in at http://127.0.0.1:8123/accounts/login/" in out.getvalue()
    assert ":8000" not in out.getvalue()


def test_asked_for_help_the_demo_explains_itself_and_sets_nothing_up(monkeypatch, capsys):
    demo = load_script("demo")
    started = []
    demo.ensure_venv = lambda: started.append("venv")
    monkeypatch.setattr(sys, "argv", ["demo.py", "--help"])
    with pytest.raises(SystemExit) as stopped:
        demo.main()
    assert stopped.value.code == 0 and started == []
    assert "DEMO_ADDRESS" in capsys.readouterr().out

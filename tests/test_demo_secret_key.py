"""The demo signs its links with a key of its own, made once, never Django's development key."""

import importlib.util
import stat
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _demo_script():
    sys.path.insert(0, str(SCRIPTS))
    try:
        spec = importlib.util.spec_from_file_location("demo_script", SCRIPTS / "demo.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(SCRIPTS))


def test_the_demo_makes_its_own_secret_key_once_and_keeps_it_private(tmp_path):
    demo = _demo_script()
    demo.KEY_FILE = tmp_path / "var" / "demo-secret-key"
    first = demo.demo_secret_key()
    assert first == demo.demo_secret_key()
    assert len(first) >= 50 and first != "development-only-not-secret"
    assert stat.S_IMODE(demo.KEY_FILE.stat().st_mode) == 0o600

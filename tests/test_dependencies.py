"""What the site imports is installed by a production install: every third-party module the
project's code imports (tests, bench and scripts aside) comes from a distribution in
pyproject.toml's own dependencies, not only in the dev extra. Read from the code, so a new
import is covered without editing this test. (pypdf, which the meeting pack and the demo
import, was in the dev extra alone: `scripts/serve.py` failed to migrate on a clean clone.)"""

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SITE = ["manage.py", "bscb", "meetings", "subgroups", "reviews", "training", "funding"]
# Imported only where the extra is configured (README: CACHE_URL, MEDIA_STORAGE=s3).
EXTRAS = {"redis", "s3"}


def project_modules() -> set[str]:
    """The project's own top-level modules and packages (the site's apps among them)."""
    return {p.stem if p.suffix else p.name for p in ROOT.iterdir()}


def imported_top_level_modules() -> dict[str, str]:
    """Top-level module -> one file importing it, for the site's code."""
    found: dict[str, str] = {}
    files = [ROOT / "manage.py"] + [p for d in SITE[1:] for p in (ROOT / d).rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [n.name for n in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def declared(group: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(line).name) for line in group}


def test_every_module_the_site_imports_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    installed = declared(project["dependencies"])
    for extra in EXTRAS:
        installed |= declared(project["optional-dependencies"][extra])
    providers = packages_distributions()
    ours = project_modules()
    missing = {}
    for module, where in imported_top_level_modules().items():
        if module in ours or module in sys.stdlib_module_names or module == "__future__":
            continue
        distributions = {canonicalize_name(d) for d in providers.get(module, [])}
        if not distributions & installed:
            missing[module] = (where, sorted(distributions) or "not installed")
    assert missing == {}

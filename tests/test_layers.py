"""The apps' layers, read from the code: the core app at the bottom imports no other app of
the project, the reports app on top is imported by none, and no two apps import each other
round a cycle."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
CORE = "bscb.core"
REPORTS = "bscb.reports"


def project_apps() -> list[str]:
    names = [c.name for c in apps.get_app_configs() if (ROOT / c.name.replace(".", "/")).is_dir()]
    return sorted(names, key=len, reverse=True)


def app_of(module: str, names: list[str]) -> str | None:
    return next((a for a in names if module == a or module.startswith(a + ".")), None)


def imports_between_apps() -> dict[tuple[str, str], str]:
    """(importing app, imported app) -> one file where it happens, migrations aside."""
    names = project_apps()
    edges: dict[tuple[str, str], str] = {}
    for name in names:
        for path in (ROOT / name.replace(".", "/")).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts:
                continue
            module = ".".join(rel.with_suffix("").parts)
            source = app_of(module, names)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    targets = [n.name for n in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    targets = [node.module] + [f"{node.module}.{n.name}" for n in node.names]
                else:
                    continue
                for target in targets:
                    imported = app_of(target, names)
                    if imported and imported != source:
                        edges.setdefault((source, imported), str(rel))
    return edges


@pytest.fixture(scope="module")
def edges():
    return imports_between_apps()


def test_the_project_has_a_core_app_and_a_reports_app():
    assert {CORE, REPORTS} <= set(project_apps())


def test_the_core_app_imports_no_other_app_of_the_project(edges):
    assert {imported: where for (app, imported), where in edges.items() if app == CORE} == {}


def test_no_app_imports_the_reports_app(edges):
    assert {app: where for (app, imported), where in edges.items() if imported == REPORTS} == {}


def test_the_apps_imports_form_no_cycle(edges):
    graph: dict[str, set[str]] = {}
    for app, imported in edges:
        graph.setdefault(app, set()).add(imported)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(f"{a} -> {b} ({edges[(a, b)]})" for a, b in edges if reaches(b, a, {b}))
    assert cycles == []

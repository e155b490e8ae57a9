"""Structural checks: the code stays as clean and as layered as STYLE.md asks."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = ("portal/public", "portal/staff")
LINTED = [name for name in ("portal", "forms", "easy_read", "tests", "bench") if (ROOT / name).is_dir()]


def test_ruff_finds_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *LINTED],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_code_is_formatted() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *LINTED],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_views_go_through_services_not_models() -> None:
    """Views parse, call a service and render: they never query models themselves."""
    offenders = [
        str(path.relative_to(ROOT))
        for folder in BLUEPRINTS
        for path in (ROOT / folder).rglob("*.py")
        if any(name == "portal.models" or name.startswith("portal.models.") for name in _imports(path))
        or "sqlalchemy" in {name.split(".")[0] for name in _imports(path)}
    ]
    assert offenders == []


def test_modules_stay_small() -> None:
    """A module past ~400 lines has more than one job: split it."""
    big = [
        f"{path.relative_to(ROOT)} ({count} lines)"
        for folder in ("portal", "forms", "easy_read")
        for path in (ROOT / folder).rglob("*.py")
        if (count := len(path.read_text().splitlines())) > 450
    ]
    assert big == []

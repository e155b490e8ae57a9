"""`python -m bench.growth` cannot rot: it runs at two tiny sizes and fills every growth row with a number.

The figures are never compared with their targets here (a busy CI machine must
not fail the build); only that each is measured, says how, and sits beside the
issue's target.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZES = (20, 40)
PER_SIZE = (
    "Queue page p95",
    "Queue page CPU per request",
    "Search by reference p95",
    "CSV export",
    "CSV export peak memory",
    "Excel export",
    "Excel export peak memory",
    "Reminder run",
    "Reminder run again",
)


@pytest.fixture(scope="module")
def growth_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    output = tmp_path_factory.mktemp("growth") / "growth.json"
    finished = subprocess.run(
        [sys.executable, "-m", "bench.growth", "--sizes", ",".join(map(str, SIZES)), "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished.stdout, json.loads(output.read_text())


def test_every_growth_row_at_every_size_has_a_number_and_says_how(growth_run: tuple[str, dict[str, Any]]) -> None:
    printed, saved = growth_run
    rows = {row["what"]: row for row in saved["rows"]}
    for size in SIZES:
        for name in PER_SIZE:
            row = rows[f"{name} at {size}"]
            assert isinstance(row["figure"], int | float) and row["figure"] > 0, row
            assert row["how"], row
            assert row["what"] in printed
    assert rows["Export peak memory: 40 / 20"]["figure"] > 0


def test_each_target_from_the_issue_sits_beside_its_figure(growth_run: tuple[str, dict[str, Any]]) -> None:
    _, saved = growth_run
    targets = {row["what"]: row["target"] for row in saved["rows"]}
    assert targets["CSV export at 40"] == "≤ 10 s"
    assert targets["Excel export at 40"] == "≤ 60 s"
    assert targets["Queue page p95 at 40"] == "≤ 100.0 ms"
    assert targets["Reminder run at 40"] == "≤ 30 s"
    assert targets["Export peak memory: 40 / 20"] == "≤ 1.2 x"
    assert all(isinstance(row["meets"], bool) for row in saved["rows"] if row["target"])


def test_the_reminder_run_says_what_it_did(growth_run: tuple[str, dict[str, Any]]) -> None:
    _, saved = growth_run
    reminder = next(row for row in saved["rows"] if row["what"] == "Reminder run at 40")
    assert "first reminders:" in reminder["how"] and "DSR-" not in reminder["how"]

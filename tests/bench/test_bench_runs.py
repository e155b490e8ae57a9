"""`make bench` cannot rot: every bench script runs once at a tiny size and fills every row of the table.

The figures themselves are never compared with their targets here: a busy CI
machine must not fail the build. That is what `make bench` is for. Growth with data
runs in `test_growth.py` at two tiny sizes, so this run leaves it out (half a minute of
seeding and exporting, twice over, otherwise); the default sizes are checked below.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_ROWS = (
    "First visit: start page + assets",
    "Largest later page",
    "Later page: /referral/name",
    "Later page: /referral/check",
    "Later page: /referral/confirmation",
    "Later page: /referral/who (with an error)",
    "Bare Flask hello world: requests/s",
    "Start page GET: requests/s",
    "Start page GET: p95",
    "Question page GET: requests/s",
    "Question page GET: p95",
    "Question page GET: share of bare Flask",
    "Question page GET: server CPU per request",
    "Question POST that fails validation: p95",
    "Question POST that passes: p95",
    "Whole referrals, 20 at once",
    "Whole referrals: p95 of every request",
    "gunicorn gthread 1x2 threads",
    "the page from its skeleton (holes filled)",
    "Start page (plain English): performance",
    "Start page (plain English): accessibility",
)
TINY = (
    "--seconds",
    "1",
    "--walk-seconds",
    "30",
    "--referrals",
    "2",
    "--profile-requests",
    "5",
    "--compare",
    "gthread:1:2",
    "--growth-sizes",
    "",
    "--lighthouse-pages",
    "1",
)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    output = tmp_path_factory.mktemp("bench") / "bench.json"
    finished = subprocess.run(
        [sys.executable, "-m", "bench", *TINY, "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=360,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished.stdout, json.loads(output.read_text())


def test_every_row_is_in_the_table_and_the_json(tiny_run: tuple[str, dict[str, Any]]) -> None:
    printed, saved = tiny_run
    names = [row["what"] for row in saved["rows"]]
    for expected in EXPECTED_ROWS:
        assert expected in names, f"no row {expected!r}"
        assert expected in printed, f"{expected!r} not printed"


def test_every_layer_the_profile_names_is_still_in_the_code() -> None:
    """A layer renamed in the code would print 0.0 ms and a note, and the profile would mislead.

    Checked in the source, not in a tiny profile: five sampled requests can miss a short function.
    """
    from bench.profile_question import LAYERS

    site_packages = Path(sysconfig.get_paths()["purelib"])
    for name, (path_end, function) in LAYERS.items():
        source = ROOT / path_end if (ROOT / path_end).exists() else site_packages / path_end
        assert source.exists(), f"{name}: no file {path_end}"
        assert re.search(rf"\bdef {re.escape(function)}\(", source.read_text()), (
            f"{name}: no {function}() in {path_end}"
        )


def test_every_measured_row_has_a_number_and_says_how(tiny_run: tuple[str, dict[str, Any]]) -> None:
    _, saved = tiny_run
    for row in saved["rows"]:
        assert row["how"], f"{row['what']} does not say how it was measured"
        assert isinstance(row["figure"], int | float), f"{row['what']}: {row['figure']!r}"


def test_each_target_from_the_issue_sits_beside_its_figure(tiny_run: tuple[str, dict[str, Any]]) -> None:
    _, saved = tiny_run
    targets = {(row["section"], row["what"]): row["target"] for row in saved["rows"] if row["target"]}
    plain, easy_read, speed = "Page weight (plain English)", "Page weight (easy read)", "Speed against the ceiling"
    browser = "In the browser (Lighthouse, mobile)"
    assert targets[plain, "First visit: start page + assets"] == "≤ 30.0 kB"
    assert targets[plain, "Largest later page"] == "≤ 6.0 kB"
    assert targets[easy_read, "First visit: start page + assets"] == "≤ 60.0 kB"
    assert targets[easy_read, "Largest later page"] == "≤ 20.0 kB"
    assert targets[speed, "Question page GET: share of bare Flask"] == "≥ 25 %"
    assert targets[speed, "Question page GET: p95"] == "< 50.0 ms"
    assert targets[speed, "Whole referrals, 20 at once"] == "≥ 20.0 referrals/s"
    assert targets[browser, "Start page (plain English): performance"] == "≥ 98"
    assert targets[browser, "Start page (plain English): accessibility"] == "≥ 100"
    measured = [row for row in saved["rows"] if row["target"] and row["figure"] is not None]
    assert all(isinstance(row["meets"], bool) for row in measured)


def test_make_bench_measures_growth_at_ten_and_a_hundred_thousand_by_default() -> None:
    from bench.__main__ import _arguments
    from bench.growth import parse_sizes

    assert parse_sizes(_arguments([]).growth_sizes) == [10_000, 100_000]


def test_the_machine_is_recorded(tiny_run: tuple[str, dict[str, Any]]) -> None:
    printed, saved = tiny_run
    assert saved["machine"]["nproc"] >= 1
    assert saved["machine"]["date"][:4] in printed

"""In the browser: Lighthouse (mobile) performance and accessibility scores for the start page and a question page.

Lighthouse (npm `lighthouse`) drives Debian's own Chromium through `CHROME_PATH`
(no downloaded browser, nothing fetched from another host), with its default
mobile settings: a Moto G Power sized screen and simulated slow 4G and CPU.
Each page is measured in plain English and in easy read (`?mode=easy`, which
the link itself chooses, so a fresh browser profile sees it).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.servers import ROOT
from bench.table import Row, Target

SECTION = "In the browser (Lighthouse, mobile)"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
PAGES: dict[str, str] = {
    "Start page (plain English)": "/?mode=plain",
    "Question page (plain English)": "/referral/who?mode=plain",
    "Start page (easy read)": "/?mode=easy",
    "Question page (easy read)": "/referral/who?mode=easy",
}
TARGETS = {"performance": Target(">=", 98, ""), "accessibility": Target(">=", 100, "")}
RUN_SECONDS = 180
ATTEMPTS = 3
# Lighthouse's own words when its trace of the page load failed (NO_NAVSTART and kin), not the page.
TRY_AGAIN = "Please run Lighthouse again"


class LighthouseError(RuntimeError):
    """Lighthouse could not measure the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.worth_retrying = TRY_AGAIN in message


def run_lighthouse(url: str, output: Path) -> dict[str, Any]:
    """One Lighthouse run; its JSON report."""
    finished = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={output}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": CHROME_PATH},
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    if finished.returncode or not output.exists():
        raise LighthouseError(f"lighthouse failed on {url}:\n{finished.stderr[-2000:]}")
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        raise LighthouseError(f"lighthouse could not measure {url}: {report['runtimeError']}")
    return report


def report_for(url: str, output: Path) -> tuple[dict[str, Any], int]:
    """A report, and the attempts it took: a run whose trace failed is run again, as Lighthouse itself asks."""
    attempt = 1
    while True:
        try:
            return run_lighthouse(url, output), attempt
        except LighthouseError as error:
            if attempt == ATTEMPTS or not error.worth_retrying:
                raise
            output.unlink(missing_ok=True)
            attempt += 1


def shortfalls(report: dict[str, Any], category: str) -> list[str]:
    """The audits of a category that did not pass: where a missing point comes from."""
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            shown = audit.get("displayValue", "")
            failing.append(f"{ref['id']} {audit['score']:.2f}" + (f" ({shown})" if shown else ""))
    return failing


def rows_for(name: str, report: dict[str, Any], attempts: int = 1) -> list[Row]:
    version = report.get("lighthouseVersion", "?")
    rows = []
    for category, target in TARGETS.items():
        score = report["categories"][category]["score"]
        if score is None:
            raise RuntimeError(f"lighthouse gave {name} no {category} score")
        missing = shortfalls(report, category)
        how = f"Lighthouse {version}, mobile defaults (simulated throttling), Debian chromium headless"
        if attempts > 1:
            how += f"; attempt {attempts} (Lighthouse's trace of the load failed before)"
        if missing:
            how += "; below 1: " + ", ".join(missing[:6])
        rows.append(Row(SECTION, f"{name}: {category}", round(score * 100), "", how, target))
    return rows


def measure(base_url: str, pages: int | None = None) -> list[Row]:
    """Each page's two scores; `pages` limits how many pages are measured (1 for the smoke run)."""
    chosen = list(PAGES.items())[:pages]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="dsr-lighthouse-") as folder:
        for index, (name, path) in enumerate(chosen):
            report, attempts = report_for(base_url + path, Path(folder) / f"report-{index}.json")
            rows += rows_for(name, report, attempts)
    return rows

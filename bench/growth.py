"""Growth with data (issue 8, part 3): the staff queue, exports and reminders at N referrals.

For each size N a fresh SQLite file in a temporary folder is migrated and filled
with `flask --app portal dev seed N`; then, each in a process of its own with
production settings, so one's memory or caches cannot flatter another's:

- the staff queue page and a search by reference, through the Flask test client
  in process (signed in through the real staff session service, as
  `tests/support/staff.py` does), p95 of many GETs;
- a CSV and an Excel export of everything, through the same code the download
  view calls; the time, and the process's peak resident memory from
  `os.wait4` (the kernel's `ru_maxrss` for that child alone);
- `flask --app portal consent send-reminders` over every consent, wall time.

python -m bench.growth --sizes 10000,100000     # this part alone, same table and JSON
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import servers
from bench.table import Row, Target, render, save

SECTION = "Growth with data"
DEFAULT_SIZES = "10000,100000"
QUEUE_REQUESTS = 200
SEARCH_REQUESTS = 200
CSV_TARGET = Target("<=", 10, "s")
EXCEL_TARGET = Target("<=", 60, "s")
QUEUE_TARGET = Target("<=", 100, "ms")
REMINDER_TARGET = Target("<=", 30, "s")
MEMORY_GROWTH_TARGET = Target("<=", 1.2, "x")
IN_PROCESS = "Flask test client in process, production settings, signed in through the staff session service"


@dataclass(frozen=True)
class ChildRun:
    """What one measuring process printed (JSON), with its wall time and peak memory."""

    result: dict[str, Any]
    seconds: float
    peak_bytes: int
    printed: str = ""
    cpu_seconds: float = 0.0


def run_child(command: list[str], env: dict[str, str], log: Path) -> ChildRun:
    """Run a command in its own process; its peak resident memory comes from the kernel, for it alone."""
    with log.open("ab") as errors, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=servers.ROOT, env=env, stdout=out, stderr=errors)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        printed = out.read().decode()
    if process.returncode:
        raise RuntimeError(f"{' '.join(command[-3:])} failed; see {log}:\n{log.read_text()[-2000:]}")
    last = printed.strip().splitlines()[-1] if printed.strip() else "{}"
    result = json.loads(last) if last.startswith("{") else {}
    return ChildRun(result, seconds, usage.ru_maxrss * 1024, printed, usage.ru_utime + usage.ru_stime)


def _python(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "bench.growth", *arguments]


def _flask(*arguments: str) -> list[str]:
    return [str(servers.BIN / "flask"), "--app", "portal", *arguments]


def prepare(size: int, folder: Path, log: Path) -> dict[str, str]:
    """A migrated, seeded SQLite file of its own; the production environment that opens it."""
    folder.mkdir(parents=True, exist_ok=True)
    env = servers.portal_environment(folder)
    servers.migrate(env, log)
    run_child(_flask("dev", "seed", str(size)), {**env, "PORTAL_ENV": "development"}, log)
    return env


def measure_size(size: int, folder: Path, log: Path) -> tuple[list[Row], int]:
    """Every growth figure at one size; also the CSV export's peak memory, for the growth ratio."""
    env = prepare(size, folder, log)
    label = f"{size:,}"
    queue = run_child(_python("child", "queue"), env, log).result
    csv_run = run_child(_python("child", "csv", str(folder / "export.csv")), env, log)
    excel_run = run_child(_python("child", "xlsx", str(folder / "export.xlsx")), env, log)
    reminders = run_child(_flask("consent", "send-reminders"), env, log)
    again = run_child(_flask("consent", "send-reminders"), env, log)
    for run in (csv_run, excel_run):
        if run.result.get("referrals") != size:
            raise RuntimeError(f"an export held {run.result.get('referrals')} referrals, not {size}")
    export_how = (
        "{kind} of all {label} referrals to a file through portal.services.exports (what the download view "
        "streams), in a process of its own; wall time inside it, excluding start-up ({cpu:.1f} s of CPU); "
        "trailer count checked"
    )
    memory_how = "peak resident memory of that export's process (os.wait4 ru_maxrss), start-up included"
    return [
        Row(SECTION, f"Queue page p95 at {label}", queue["queue_p95_ms"], "ms", queue["queue_how"], QUEUE_TARGET),
        Row(
            SECTION,
            f"Queue page CPU per request at {label}",
            queue["queue_cpu_ms"],
            "ms",
            "process CPU time, mean of the same GETs: barely moved by other work on the machine, unlike p95",
        ),
        Row(SECTION, f"Search by reference p95 at {label}", queue["search_p95_ms"], "ms", queue["search_how"]),
        Row(
            SECTION,
            f"CSV export at {label}",
            round(csv_run.result["seconds"], 2),
            "s",
            export_how.format(kind="CSV", label=label, cpu=csv_run.result["cpu_seconds"]),
            CSV_TARGET,
        ),
        Row(SECTION, f"CSV export peak memory at {label}", round(csv_run.peak_bytes / 1e6, 1), "MB", memory_how),
        Row(
            SECTION,
            f"Excel export at {label}",
            round(excel_run.result["seconds"], 2),
            "s",
            export_how.format(
                kind="Excel (openpyxl write-only, lxml)",
                label=label,
                cpu=excel_run.result["cpu_seconds"],
            ),
            EXCEL_TARGET,
        ),
        Row(SECTION, f"Excel export peak memory at {label}", round(excel_run.peak_bytes / 1e6, 1), "MB", memory_how),
        Row(
            SECTION,
            f"Reminder run at {label}",
            round(reminders.seconds, 2),
            "s",
            f"`flask --app portal consent send-reminders` over every consent, wall time of the command "
            f"(start-up included; {reminders.cpu_seconds:.1f} s of CPU); it did: {_reminder_summary(reminders)}",
            REMINDER_TARGET,
        ),
        Row(
            SECTION,
            f"Reminder run again at {label}",
            round(again.seconds, 2),
            "s",
            f"the same command straight after, as a daily run finds it (every consent read, every step already "
            f"claimed; {again.cpu_seconds:.1f} s of CPU): the first run above is a catch-up over the seed's whole "
            "year of consents at once",
        ),
    ], max(csv_run.peak_bytes, excel_run.peak_bytes)


def _reminder_summary(run: ChildRun) -> str:
    """The command's own report, counts only (it also lists references)."""
    return "; ".join(line.split(" DSR-")[0] for line in run.printed.strip().splitlines())


def measure(sizes: list[int], folder: Path) -> list[Row]:
    """The growth rows for every size, then how peak export memory grew from the smallest to the largest."""
    if not sizes:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "growth.log"
    rows: list[Row] = []
    peaks: list[int] = []
    for size in sizes:
        found, peak = measure_size(size, folder / f"n{size}", log)
        rows += found
        peaks.append(peak)
    if len(sizes) > 1:
        rows.append(
            Row(
                SECTION,
                f"Export peak memory: {sizes[-1]:,} / {sizes[0]:,}",
                round(peaks[-1] / peaks[0], 2),
                "x",
                "the larger of the CSV and Excel processes' peaks at each size; flat means the export streams",
                MEMORY_GROWTH_TARGET,
            )
        )
    return rows


# -- the measuring processes ---------------------------------------------------------------------


def _p95(samples: list[float]) -> float:
    return round(statistics.quantiles(samples, n=20)[-1], 1) if len(samples) > 1 else round(samples[0], 1)


def _timed_gets(client: Any, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append(1000 * (time.perf_counter() - started))
        if response.status_code != 200:
            raise RuntimeError(f"{url.split('?')[0]} gave {response.status_code}")
    return times


def child_queue() -> dict[str, Any]:
    """p95 of the queue's first page and of searches for references that exist, in process."""
    from portal import create_app
    from tests.support.staff import sign_in_as

    app = create_app()
    client = app.test_client()
    sign_in_as(app, client, "bench@example.nhs.uk", "triage")
    with app.app_context():
        from sqlalchemy import select

        from portal import db
        from portal.models import Referral

        references = list(db.session().scalars(select(Referral.reference)))
    picked = random.Random(8).choices(references, k=SEARCH_REQUESTS)
    _timed_gets(client, ["/staff/queue"] * 20)  # warm: templates compiled, caches filled, as in a running worker
    cpu_started = time.process_time()
    queue = _timed_gets(client, ["/staff/queue"] * QUEUE_REQUESTS)
    cpu_ms = 1000 * (time.process_time() - cpu_started) / QUEUE_REQUESTS
    search = _timed_gets(client, [f"/staff/queue?reference={ref}" for ref in picked])
    app.extensions["engine"].dispose()
    return {
        "queue_p95_ms": _p95(queue),
        "queue_cpu_ms": round(cpu_ms, 1),
        "search_p95_ms": _p95(search),
        "queue_how": f"{QUEUE_REQUESTS} GETs of /staff/queue (first page, open items), one at a time; {IN_PROCESS}",
        "search_how": f"{SEARCH_REQUESTS} GETs of /staff/queue?reference= for random existing references; {IN_PROCESS}",
    }


def child_export(kind: str, path: Path) -> dict[str, Any]:
    """Export every referral to `path` as the download view would, and count what the trailer promises."""
    from portal import create_app
    from portal.services.exports import tabular
    from portal.services.exports.selection import Selection, take_snapshot

    app = create_app()
    with app.test_request_context("/staff/export"):
        started, cpu_started = time.perf_counter(), time.process_time()
        snapshot = take_snapshot(Selection())
        if kind == "csv":
            with path.open("w", encoding="utf-8", newline="") as out:
                for chunk in tabular.csv_chunks(snapshot):
                    out.write(chunk)
        else:
            tabular.write_excel(snapshot, path)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {"seconds": seconds, "cpu_seconds": cpu, "referrals": _count_in(kind, path), "bytes": path.stat().st_size}


def _count_in(kind: str, path: Path) -> int:
    """The trailer's count, read back from the file (Excel: its last row, without loading the sheet)."""
    if kind == "csv":
        with path.open("rb") as handle:  # only the tail: reading the whole file would count in the peak memory
            handle.seek(max(0, path.stat().st_size - 4096))
            last = handle.read().decode("utf-8", "replace").rstrip("\r\n").rsplit("\r\n", 1)[-1]
        return int(last.split(",")[1].split()[0]) if last.startswith("END OF EXPORT") else -1
    return _rows_in_workbook(path) - 2 if _ends_with_trailer(path) else -1


def _tail(path: Path, member: str, keep: int = 65536) -> str:
    """The last bytes of one XML part of an .xlsx, read as a stream (the sheet is never loaded)."""
    with zipfile.ZipFile(path) as workbook, workbook.open(member) as part:
        tail = b""
        while chunk := part.read(1 << 20):
            tail = (tail + chunk)[-keep:]
    return tail.decode("utf-8", "replace")


def _rows_in_workbook(path: Path) -> int:
    numbers = re.findall(r'<row r="(\d+)"', _tail(path, "xl/worksheets/sheet1.xml"))
    return int(numbers[-1]) if numbers else 0


def _ends_with_trailer(path: Path) -> bool:
    with zipfile.ZipFile(path) as workbook:
        parts = [name for name in ("xl/sharedStrings.xml",) if name in workbook.namelist()]
    return any("END OF EXPORT" in _tail(path, name) for name in ["xl/worksheets/sheet1.xml", *parts])


# -- command line ----------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    arguments = argv if argv is not None else sys.argv[1:]
    if arguments[:1] == ["child"]:
        kind = arguments[1]
        result = child_queue() if kind == "queue" else child_export(kind, Path(arguments[2]))
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="numbers of referrals, comma-separated")
    parser.add_argument("--output", type=Path, help="JSON file (default: bench/results/growth-<date>.json)")
    options = parser.parse_args(arguments)
    from bench.__main__ import RESULTS, machine

    about = machine()
    with tempfile.TemporaryDirectory(prefix="dsr-growth-") as name:
        rows = measure(parse_sizes(options.sizes), Path(name))
    about["load_average_at_end"] = os.getloadavg()
    output = options.output or RESULTS / f"growth-{about['date'].replace(':', '')}.json"
    save(rows, about, output)
    print(
        f"Measured {about['date']} on {about['nproc']} x {about['cpu']}; load average at start "
        f"{about['load_average_at_start']}, at end {about['load_average_at_end']}. JSON: {output}\n"
    )
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

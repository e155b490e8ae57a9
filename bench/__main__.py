"""`make bench`: run every measurement once and print one table, each figure beside its target.

python -m bench                         # the full run (about 10 minutes on 2 cores, growth at 10,000 and 100,000)
python -m bench --seconds 1 --referrals 2 --profile-requests 5 --compare sync:2 --growth-sizes 50 \
    --lighthouse-pages 1                # a smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import growth, lighthouse, page_weight, profile_question, servers, speed
from bench.table import Row, render, save

RESULTS = servers.ROOT / "bench" / "results"
DEFAULT_COMPARE = "sync:2,sync:3,sync:4,gthread:2:4"


def machine() -> dict[str, Any]:
    """What the figures were measured on: they mean nothing without it."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line), ""
        )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=servers.ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "load_average_at_start": os.getloadavg(),
    }


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each wrk run")
    parser.add_argument("--walk-seconds", type=float, default=20, help="how long 20 people walk whole referrals")
    parser.add_argument("--referrals", type=int, help="stop the walk after this many referrals (smoke runs)")
    parser.add_argument(
        "--workers", default="sync:2", help="gunicorn set-up for the main figures: class:count[:threads]"
    )
    parser.add_argument("--compare", default=DEFAULT_COMPARE, help="set-ups to compare, comma-separated ('' for none)")
    parser.add_argument("--profile-requests", type=int, default=300, help="question GETs under pyinstrument")
    parser.add_argument(
        "--growth-sizes", default=growth.DEFAULT_SIZES, help="referrals seeded for growth with data ('' for none)"
    )
    parser.add_argument("--lighthouse-pages", type=int, help="Lighthouse only the first N pages (smoke runs: 1)")
    parser.add_argument("--output", type=Path, help="JSON file (default: bench/results/bench-<date>.json)")
    return parser.parse_args(argv)


def run(arguments: argparse.Namespace, folder: Path) -> list[Row]:
    """Every measurement, in the order the table shows them."""
    env = servers.portal_environment(folder)
    hello_env = {**env, "PORTAL_ENV": "production"}
    log = folder / "servers.log"
    servers.migrate(env, log)
    workers = servers.Workers.parse(arguments.workers)
    rows: list[Row] = []
    with (
        servers.gunicorn(servers.PORTAL_APP, workers, env, log) as portal_url,
        servers.gunicorn(servers.HELLO_APP, workers, hello_env, log) as hello_url,
    ):
        rows += page_weight.measure(portal_url)
        rows += lighthouse.measure(portal_url, arguments.lighthouse_pages)
        rows += speed.measure(
            portal_url, hello_url, workers, arguments.seconds, (arguments.walk_seconds, arguments.referrals), folder
        )
    for text in filter(None, arguments.compare.split(",")):
        other = servers.Workers.parse(text)
        with (
            servers.gunicorn(servers.PORTAL_APP, other, env, log) as portal_url,
            servers.gunicorn(servers.HELLO_APP, other, hello_env, log) as hello_url,
        ):
            rows.append(speed.compare(portal_url, hello_url, other, arguments.seconds, folder)[0])
    rows += profile_question.measure(env, arguments.profile_requests)
    rows += growth.measure(growth.parse_sizes(arguments.growth_sizes), folder / "growth")
    return rows


def _loads(values: tuple[float, float, float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    about = machine()
    with tempfile.TemporaryDirectory(prefix="dsr-bench-") as name:
        try:
            rows = run(arguments, Path(name))
        except Exception:
            log = Path(name) / "servers.log"
            if log.exists():
                print(f"--- last lines of the servers' log ---\n{log.read_text()[-4000:]}", file=sys.stderr)
            raise
    output = arguments.output or RESULTS / f"bench-{about['date'].replace(':', '')}.json"
    about["load_average_at_end"] = os.getloadavg()
    save(rows, about, output)
    print(
        f"Measured {about['date']} on {about['nproc']} x {about['cpu']} (Python {about['python']}, {about['commit']})"
    )
    print(
        f"Load average (1, 5, 15 min) at start {_loads(about['load_average_at_start'])}, at end "
        f"{_loads(about['load_average_at_end'])}: anything else running on the machine lowers the figures."
    )
    print(f"SQLite in a temporary folder; each figure says how it was measured. JSON: {output}\n")
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

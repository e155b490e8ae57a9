"""Load generators: `wrk` for single pages, Python threads for whole referrals walked as a person would."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.visitor import ACCEPT_ENCODING, JourneyError, Visitor, walk_referral

WRK = shutil.which("wrk") or "/usr/bin/wrk"
CONNECTIONS = 20
WRK_THREADS = 2

LUA = """
local prepared = {REQUESTS}
local requests = {}
local counter = 0

init = function(args)
  for i, r in ipairs(prepared) do
    requests[i] = wrk.format(r[1], r[2], r[3], r[4])
  end
end

request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

done = function(summary, latency, _)
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Call:
    """One HTTP request wrk sends, as a browser would send it."""

    method: str
    path: str
    cookie: str = ""
    body: str = ""

    def headers(self) -> dict[str, str]:
        headers = {"Accept-Encoding": ACCEPT_ENCODING, "Accept": "text/html"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers


@dataclass(frozen=True)
class Measured:
    """What one wrk run saw."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _lua_requests(calls: list[Call]) -> str:
    rows = []
    for call in calls:
        headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in call.headers().items())
        body = _lua_string(call.body) if call.body else "nil"
        rows.append(f"{{{_lua_string(call.method)}, {_lua_string(call.path)}, {{{headers}}}, {body}}}")
    return "{\n  " + ",\n  ".join(rows) + "\n}"


def wrk(base_url: str, calls: list[Call], seconds: float, script_folder: Path) -> Measured:
    """Load `base_url` with `calls` in turn over 20 kept-alive connections for `seconds`."""
    script = script_folder / f"wrk-{time.monotonic_ns()}.lua"
    script.write_text(LUA.replace("{REQUESTS}", _lua_requests(calls)))
    duration = f"{max(1, round(seconds))}s"
    command = [WRK, "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", duration, "--timeout", "10s"]
    finished = subprocess.run(
        [*command, "-s", str(script), base_url],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next((x for x in finished.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{finished.stdout}\n{finished.stderr}")
    data = json.loads(line.removeprefix("BENCH "))
    errors = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return Measured(
        data["requests"],
        data["duration_us"] / 1e6,
        data["p50_us"] / 1000,
        data["p95_us"] / 1000,
        data["p99_us"] / 1000,
        errors,
    )


@dataclass
class WalkResult:
    """Whole referrals sent by people walking the journey at the same time, within a time window."""

    referrals: int
    seconds: float
    window: float = 0.0
    request_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.referrals / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent: float) -> float:
        ordered = sorted(self.request_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))]


class _TimedVisitor(Visitor):
    """A visitor that notes how long each request took."""

    def __init__(self, base_url: str, timings: list[float]) -> None:
        super().__init__(base_url)
        self.timings = timings

    def request(self, method: str, path: str, form: dict | None = None):  # type: ignore[no-untyped-def, override]
        started = time.perf_counter()
        try:
            return super().request(method, path, form)
        finally:
            self.timings.append((time.perf_counter() - started) * 1000)


def walk_many(base_url: str, seconds: float, most: int | None = None, people: int = CONNECTIONS) -> WalkResult:
    """`people` at once, each starting a new referral when theirs is sent, for `seconds` (or `most` referrals).

    Referrals under way when the time is up are finished and counted, and so is the time they took: the
    rate is never flattered by leaving slow ones out, and is never 0 just because one referral is long.
    """
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    remaining = [most if most is not None else 10**9]
    result = WalkResult(0, 0.0, seconds)
    references: set[str] = set()

    def person() -> None:
        timings: list[float] = []
        while True:
            with lock:
                if remaining[0] <= 0 or time.perf_counter() >= deadline:
                    break
                remaining[0] -= 1
            visitor = _TimedVisitor(base_url, timings)
            try:
                reference = walk_referral(visitor)
            except (JourneyError, OSError) as error:
                with lock:
                    result.failures.append(str(error))
                continue
            finally:
                visitor.close()
            with lock:
                references.add(reference)
        with lock:
            result.request_ms.extend(timings)

    threads = [threading.Thread(target=person) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.referrals = len(references)
    return result

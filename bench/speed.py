"""Speed against the ceiling: the portal and a bare Flask app, same gunicorn settings, same load, one run.

Every page figure is also given as a share of bare Flask's requests a second
measured minutes before on the same machine, so the figures say how much of
the machine's ceiling the portal's own work uses, not how fast this laptop is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench import servers
from bench.load import CONNECTIONS, WRK_THREADS, Call, Measured, WalkResult, walk_many, wrk
from bench.table import Row, Target
from bench.visitor import Visitor
from tests.support.journey import PAGES

SECTION = "Speed against the ceiling"
COMPARISON = "Worker set-ups compared (question page GET)"
QUESTION = "/referral/name"
SHARE_OF_BARE_FLASK = Target(">=", 25, "%")
P95 = Target("<", 50, "ms")
REFERRALS_A_SECOND = Target(">=", 20, "referrals/s")
RECOMMENDED = servers.Workers("sync", 2)
PAIRS = 3  # bare Flask and the question page, in turn: this machine's speed drifts by a fifth within minutes


@dataclass
class Sessions:
    """Twenty people part-way through the journey: a cookie and a CSRF token each."""

    calls_get: list[Call]
    calls_invalid: list[Call]
    calls_valid: list[Call]


def prepare_sessions(base_url: str, people: int = CONNECTIONS) -> Sessions:
    """Answer the first page for each person, so the question page has a draft behind it, as in real use."""
    sessions = Sessions([], [], [])
    for _ in range(people):
        visitor = Visitor(base_url)
        try:
            token = visitor.get("/referral/who").inputs()["csrf_token"]
            sent = visitor.post("/referral/who", {"csrf_token": token, **PAGES["who"]})
            if sent.status != 302:
                raise RuntimeError(f"answering 'who' gave {sent.status}")
            cookie = "; ".join(f"{k}={v}" for k, v in visitor.cookies.items())
            _check(visitor.get(QUESTION).status, 200, "question GET")
            invalid = {"csrf_token": token, "full_name": "", "preferred_name": ""}
            valid = {"csrf_token": token, **PAGES["name"]}
            _check(visitor.post(QUESTION, invalid).status, 200, "POST that fails")
            _check(visitor.post(QUESTION, valid).status, 302, "POST that passes")
        finally:
            visitor.close()
        sessions.calls_get.append(Call("GET", QUESTION, cookie))
        sessions.calls_invalid.append(Call("POST", QUESTION, cookie, urlencode(invalid)))
        sessions.calls_valid.append(Call("POST", QUESTION, cookie, urlencode(valid)))
    return sessions


def _check(status: int, expected: int, what: str) -> None:
    if status != expected:
        raise RuntimeError(f"{what}: status {status}, expected {expected}; the load figures would measure errors")


def _wrk_how(seconds: float, workers: servers.Workers, extra: str = "") -> str:
    return (
        f"wrk -t{WRK_THREADS} -c{CONNECTIONS} -d{max(1, round(seconds))}s on loopback, gunicorn {workers.label}, "
        f"Accept-Encoding: br, gzip{extra}"
    )


@dataclass(frozen=True)
class Loaded:
    """A wrk run, and the server's own CPU per request during it (its master and workers, from /proc)."""

    measured: Measured
    cpu_ms: float


def loaded(base_url: str, calls: list[Call], seconds: float, folder: Path) -> Loaded:
    before = servers.cpu_seconds(base_url)
    measured = wrk(base_url, calls, seconds, folder)
    spent = servers.cpu_seconds(base_url) - before
    return Loaded(measured, 1000 * spent / measured.requests if measured.requests else 0.0)


def _page_rows(name: str, run: Loaded, bare: Measured, how: str) -> list[Row]:
    measured = run.measured
    share = _share(measured, bare)
    latency = f"p50 {measured.p50_ms:.1f} ms, p99 {measured.p99_ms:.1f} ms; {measured.errors} errors"
    cpu = f"server CPU {run.cpu_ms:.2f} ms a request"
    return [
        Row(SECTION, f"{name}: requests/s", measured.per_second, "req/s", f"{share:.0f} % of bare Flask; {cpu}; {how}"),
        Row(SECTION, f"{name}: p95", measured.p95_ms, "ms", f"{latency}; {how}", P95),
    ]


def measure(
    portal_url: str,
    hello_url: str,
    workers: servers.Workers,
    seconds: float,
    walk: tuple[float, int | None],
    folder: Path,
) -> list[Row]:
    """The speed rows for one worker set-up: bare Flask, four page loads, whole referrals."""
    how = _wrk_how(seconds, workers)
    sessions = prepare_sessions(portal_url)
    pairs = [
        (
            loaded(hello_url, [Call("GET", "/")], seconds, folder),
            loaded(portal_url, sessions.calls_get, seconds, folder),
        )
        for _ in range(PAIRS)
    ]
    pairs.sort(key=lambda pair: _share(pair[1].measured, pair[0].measured))
    bare_run, question = pairs[len(pairs) // 2]
    bare = bare_run.measured
    every_share = ", ".join(f"{_share(q.measured, b.measured):.1f}" for b, q in pairs)
    start = loaded(portal_url, [Call("GET", "/")], seconds, folder)
    invalid = loaded(portal_url, sessions.calls_invalid, seconds, folder)
    valid = loaded(portal_url, sessions.calls_valid, seconds, folder)
    before = servers.cpu_seconds(portal_url)
    walked = walk_many(portal_url, *walk)
    walk_cpu = servers.cpu_seconds(portal_url) - before
    question_share = _share(question.measured, bare)
    cpu_share = 100 * bare_run.cpu_ms / question.cpu_ms if question.cpu_ms else 0.0
    rows = [
        Row(SECTION, "Bare Flask hello world: requests/s", bare.per_second, "req/s", f"the ceiling; {how}"),
        Row(SECTION, "Bare Flask hello world: p95", bare.p95_ms, "ms", f"p50 {bare.p50_ms:.1f} ms; {how}"),
        *_page_rows("Start page GET", start, bare, how),
        *_page_rows("Question page GET", question, bare, f"{QUESTION} with a draft, 20 people; {how}"),
        Row(
            SECTION,
            "Question page GET: share of bare Flask",
            question_share,
            "%",
            f"{question.measured.per_second:,.0f} / {bare.per_second:,.0f} req/s, same workers; the median of "
            f"{PAIRS} runs of each taken in turn ({every_share} %), so that a busy moment on the machine weighs "
            "on both",
            SHARE_OF_BARE_FLASK,
        ),
        Row(
            SECTION,
            "Question page GET: server CPU per request",
            question.cpu_ms,
            "ms",
            f"gunicorn's master and workers' CPU time (/proc) over the same wrk run, per request; bare Flask "
            f"{bare_run.cpu_ms:.2f} ms the same way, so CPU alone would allow {cpu_share:.0f} % of bare Flask's "
            "requests/s (steadier than requests/s when the machine is busy)",
        ),
        *_page_rows("Question POST that fails validation", invalid, bare, f"empty name, 200 with errors; {how}"),
        *_page_rows("Question POST that passes", valid, bare, f"saves the draft, 302; {how}"),
        *_walk_rows(walked, bare, workers, walk_cpu),
    ]
    return rows


def _share(page: Measured, bare: Measured) -> float:
    return 100 * page.per_second / bare.per_second if bare.per_second else 0.0


def _walk_rows(walked: WalkResult, bare: Measured, workers: servers.Workers, cpu_seconds: float) -> list[Row]:
    if walked.failures:
        raise RuntimeError(f"{len(walked.failures)} referrals failed, first: {walked.failures[0]}")
    per_referral = len(walked.request_ms) / walked.referrals if walked.referrals else 0
    request_rate = walked.per_second * per_referral
    share = 100 * request_rate / bare.per_second if bare.per_second else 0.0
    how = (
        f"{CONNECTIONS} Python threads (http.client), each a new person per referral: start page, every question "
        f"GET + POST, check, send, confirmation ({per_referral:.0f} requests, assets cached); {walked.referrals} "
        f"referrals, each confirmed with a reference, in {walked.seconds:.1f} s (new ones started for the first {walked.window:.0f} s); gunicorn {workers.label}; "
        f"{request_rate:,.0f} req/s = {share:.0f} % of bare Flask; server CPU "
        f"{1000 * cpu_seconds / walked.referrals if walked.referrals else 0:.0f} ms a referral"
    )
    return [
        Row(SECTION, "Whole referrals, 20 at once", walked.per_second, "referrals/s", how, REFERRALS_A_SECOND),
        Row(
            SECTION,
            "Whole referrals: p95 of every request",
            walked.percentile_ms(95),
            "ms",
            f"p50 {walked.percentile_ms(50):.1f} ms, p99 {walked.percentile_ms(99):.1f} ms over all "
            f"{len(walked.request_ms)} requests, timed by the client",
            P95,
        ),
    ]


def compare(
    portal_url: str, hello_url: str, workers: servers.Workers, seconds: float, folder: Path
) -> tuple[Row, Measured, Measured]:
    """One worker set-up: bare Flask and the question page GET, for choosing the set-up."""
    bare = wrk(hello_url, [Call("GET", "/")], seconds, folder)
    question_run = loaded(portal_url, prepare_sessions(portal_url).calls_get, seconds, folder)
    question = question_run.measured
    share = _share(question, bare)
    row = Row(
        COMPARISON,
        f"gunicorn {workers.label}",
        question.per_second,
        "req/s",
        f"{share:.0f} % of bare Flask's {bare.per_second:,.0f} req/s with the same workers; server CPU "
        f"{question_run.cpu_ms:.2f} ms a question page; question p95 "
        f"{question.p95_ms:.1f} ms, p99 {question.p99_ms:.1f} ms; bare Flask p95 {bare.p95_ms:.1f} ms; "
        f"{question.errors + bare.errors} errors; {_wrk_how(seconds, workers)}",
    )
    return row, bare, question

"""Where a question page GET spends its time: pyinstrument over many GETs, in process.

Measured before tuning, as issue 8 asks: the figures say which layer to look at
(templates, widgets, the draft's decryption, the database, compression).
"""

from __future__ import annotations

import io
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from typing import Any

from pyinstrument import Profiler
from pyinstrument.frame import Frame

from bench.servers import ROOT
from bench.table import Row
from bench.visitor import ACCEPT_ENCODING
from tests.support.journey import PAGES

SECTION = "Where a question page GET spends its time (pyinstrument)"
QUESTION = "/referral/name"
TOP = 12
# Frames named here are the layers worth a figure each; inclusive time, counted once per request.
WHOLE = "Flask full request (all layers)"
LAYERS: dict[str, tuple[str, str]] = {
    WHOLE: ("flask/app.py", "full_dispatch_request"),
    "view: question()": ("portal/public/referral.py", "question"),
    "the page from its skeleton (holes filled)": ("portal/page_skeletons.py", "render_question"),
    "find the draft (SQLAlchemy Core, no write lock)": ("portal/services/drafts.py", "read_draft"),
    "decrypt its answers (AES-GCM)": ("portal/services/crypto.py", "open"),
    "the text boxes' values (WTForms fields alone)": ("wtforms/form.py", "process"),
    "session cookie open/save": ("flask/sessions.py", "save_session"),
    "CSRF token (Flask-WTF)": ("flask_wtf/csrf.py", "generate_csrf"),
    "compress HTML (flask-compress)": ("flask_compress/flask_compress.py", "after_request"),
    "request log line": ("portal/logs.py", "_log_request"),
}


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _walk(frame: Frame, on_stack: frozenset[tuple[str, str]], totals: dict[tuple[str, str], float]) -> None:
    """Sum inclusive time per (file, function), once per stack so recursion is not counted twice."""
    key = (frame.file_path or "", frame.function or "")
    if key not in on_stack:
        totals[key] += frame.time
        on_stack = on_stack | {key}
    for child in frame.children:
        _walk(child, on_stack, totals)


def _layer_time(totals: dict[tuple[str, str], float], path_end: str, function: str) -> float:
    return sum(t for (path, name), t in totals.items() if name == function and path.endswith(path_end))


def _self_times(frame: Frame, totals: dict[str, float]) -> None:
    if frame.is_synthetic:
        return
    module = (frame.file_path or "?").split("site-packages/")[-1].removeprefix(str(ROOT) + "/")
    module = module.split("/lib/python3")[-1].lstrip(".0123456789/")
    totals[f"{module}:{frame.function}"] += frame.total_self_time
    for child in frame.children:
        _self_times(child, totals)


def measure(env: dict[str, str], requests: int) -> list[Row]:
    """Profile `requests` GETs of the question page in production settings; rows in ms per request."""
    # Request logs stay on (production pays for them) but go to a buffer, not the table.
    with _environment(env), redirect_stderr(io.StringIO()):
        from portal import create_app

        app = create_app()
        client = app.test_client()
        token_page = client.get("/referral/who").get_data(as_text=True)
        token = token_page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post("/referral/who", data={"csrf_token": token, **PAGES["who"]})
        # Answered, as in the speed section's wrk runs: its text boxes are filled in on each GET.
        client.post(QUESTION, data={"csrf_token": token, **PAGES["name"]})
        headers = {"Accept-Encoding": ACCEPT_ENCODING}
        for _ in range(20):  # warm caches (templates, macros) as a running worker has them
            client.get(QUESTION, headers=headers)
        cpu_rows = _cpu_rows(client, headers, requests)
        profiler = Profiler(interval=0.001)
        profiler.start()
        for _ in range(requests):
            response = client.get(QUESTION, headers=headers)
        session = profiler.stop()
        if response.status_code != 200:
            raise RuntimeError(f"question page gave {response.status_code}")
        app.extensions["engine"].dispose()
    return cpu_rows + _rows(session.root_frame(), requests)


def _cpu_ms(client: Any, path: str, headers: dict[str, str], requests: int) -> float:
    started = time.process_time()
    for _ in range(requests):
        client.get(path, headers=headers)
    return 1000 * (time.process_time() - started) / requests


def _cpu_rows(client: Any, headers: dict[str, str], requests: int) -> list[Row]:
    """CPU time per request in process: unlike requests a second, barely moved by other work on the machine."""
    from bench.hello import app as hello

    hello_client = hello.test_client()
    for _ in range(20):
        hello_client.get("/")
    bare = _cpu_ms(hello_client, "/", headers, requests)
    question = _cpu_ms(client, QUESTION, headers, requests)
    start = _cpu_ms(client, "/", headers, requests)
    how = (
        f"process CPU time, mean of {requests} GETs through the Flask test client (its own cost included), no profiler"
    )
    return [
        Row(SECTION, "CPU per request: bare Flask hello world", bare, "ms", how),
        Row(SECTION, "CPU per request: start page", start, "ms", how),
        Row(SECTION, "CPU per request: question page GET", question, "ms", how),
        Row(
            SECTION,
            "CPU ceiling: bare Flask CPU / question GET CPU",
            100 * bare / question if question else 0.0,
            "%",
            "what the requests/s share would be if CPU were the only limit; the issue's target is 25 %",
        ),
    ]


def _rows(root: Any, requests: int) -> list[Row]:
    inclusive: dict[tuple[str, str], float] = defaultdict(float)
    _walk(root, frozenset(), inclusive)
    how = (
        f"inclusive wall time per request under the profiler (slower than unprofiled), {requests} GETs of "
        f"{QUESTION} with its answers in a draft, Flask test client, production settings"
    )
    whole = _layer_time(inclusive, *LAYERS[WHOLE]) or 1.0
    rows = []
    for name, (path, function) in LAYERS.items():
        spent = _layer_time(inclusive, path, function)
        note = f"{100 * spent / whole:.0f} % of the request; {how}"
        if not spent:
            note = f"{path}:{function} not in the profile (renamed, or not called): update LAYERS"
        rows.append(Row(SECTION, name, 1000 * spent / requests, "ms", note))
    own: dict[str, float] = defaultdict(float)
    _self_times(root, own)
    for name, seconds in sorted(own.items(), key=lambda item: -item[1])[:TOP]:
        share = f"{100 * seconds / whole:.0f} % of the request, in the function itself"
        rows.append(Row(SECTION, f"  self time: {name}"[:90], 1000 * seconds / requests, "ms", share))
    return rows

"""Real-browser fixtures: the portal on a live server, one Chromium, a fresh context per test.

Every page a test opens is watched: a request to any host but the live server,
a console error, an uncaught script error or a Content-Security-Policy
violation fails the test. `assert_accessible` runs axe-core against the page
as it is at that moment, for the WCAG 2.0, 2.1 and 2.2 A and AA rules.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Request, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# With JavaScript off the page's timers never fire, so axe (run by the debugger) would wait
# for ever on its own setTimeout calls: run them as microtasks, which do run.
RUN_TIMERS_AS_MICROTASKS = """() => {
  window.setTimeout = (callback, _delay, ...args) => { Promise.resolve().then(() => callback(...args)); return 0; };
}"""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class LiveServer:
    """The portal served over HTTP on 127.0.0.1, and the Flask app behind it (for reading the database)."""

    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def origin(self) -> str:
        return f"127.0.0.1:{self.server.server_port}"

    def __call__(self, path: str) -> str:
        return self.url + path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.app.extensions["engine"].dispose()


@pytest.fixture
def start_live_server(sqlite_template: Path, tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start the portal on a fresh migrated SQLite file; keyword arguments are setting overrides."""
    started: list[LiveServer] = []

    def start(**overrides: Any) -> LiveServer:
        path = tmp_path / f"portal-{len(started)}.sqlite3"
        shutil.copy(sqlite_template, path)
        app = make_app(f"sqlite:///{path}", **overrides)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        live = LiveServer(app, server, thread)
        started.append(live)
        return live

    yield start
    for live in started:
        live.stop()


@pytest.fixture
def live_server(start_live_server: Callable[..., LiveServer]) -> LiveServer:
    return start_live_server()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Chromium for the whole session: launching is the slow part."""
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Watch:
    """What a page did that it must not: ask another host, log an error, break the CSP."""

    origin: str
    javascript: bool = True
    foreign_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)

    def on_request(self, request: Request) -> None:
        if request.is_navigation_request():
            self.documents.add(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if parts.scheme != "http" or parts.netloc != self.origin:
            self.foreign_requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        # A page's own status (a 404 page is a 404) is the test's to check, not an error of the page.
        own_status = message.text.startswith("Failed to load resource") and message.location["url"] in self.documents
        if message.type == "error" and not own_status:
            self.errors.append(f"console: {message.text} ({message.location['url']})")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"page error: {error}")

    def problems(self) -> list[str]:
        return [f"request to another host: {url}" for url in self.foreign_requests] + self.errors


WATCHES: dict[int, Watch] = {}
CONTEXT_PAGES: dict[int, tuple[Watch, list[Page]]] = {}


def open_page(context: BrowserContext) -> Page:
    """A new page in `context` whose every request and console error is recorded from the start."""
    settings, pages = CONTEXT_PAGES[id(context)]
    page = context.new_page()
    record = Watch(settings.origin, settings.javascript)
    page.on("request", record.on_request)
    page.on("console", record.on_console)
    page.on("pageerror", record.on_page_error)
    WATCHES[id(page)] = record
    pages.append(page)
    return page


def assert_well_behaved(page: Page) -> None:
    problems = WATCHES[id(page)].problems()
    assert not problems, "the page misbehaved:\n" + "\n".join(problems)


@contextmanager
def browser_context(browser: Browser, live_server: LiveServer, **options: Any) -> Iterator[BrowserContext]:
    """A fresh context (one person: their own cookies) whose pages are checked again when it closes."""
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(5_000)
    pages: list[Page] = []
    CONTEXT_PAGES[id(context)] = (Watch(live_server.origin, options.get("java_script_enabled", True)), pages)
    try:
        yield context
        for page in pages:
            assert_well_behaved(page)
    finally:
        for page in pages:
            WATCHES.pop(id(page), None)
        CONTEXT_PAGES.pop(id(context), None)
        context.close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh context per test, with JavaScript on."""
    with browser_context(browser, live_server) as context:
        yield context


@pytest.fixture
def no_js_context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """The same, with JavaScript off: every page must still work."""
    with browser_context(browser, live_server, java_script_enabled=False) as context:
        yield context


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return open_page(context)


@pytest.fixture
def no_js_page(no_js_context: BrowserContext) -> Page:
    return open_page(no_js_context)


def _describe(violation: dict[str, Any]) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    more = len(violation["nodes"]) - 5
    return f"- {violation['id']} ({violation['impact']}): {violation['help']} → {targets}" + (
        f" and {more} more" if more > 0 else ""
    )


def assert_accessible(page: Page, label: str) -> None:
    """Run axe-core on the page as it is now; fail with each violation's rule, help and targets.

    axe is injected with `evaluate` (run by the browser's debugger, outside the
    page's CSP), because the CSP rightly blocks an inline <script>.
    """
    assert_well_behaved(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if not WATCHES[id(page)].javascript:
            page.evaluate(RUN_TIMERS_AS_MICROTASKS)
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = result["violations"]
    assert not violations, f"{label} ({page.url}) fails WCAG checks:\n" + "\n".join(map(_describe, violations))

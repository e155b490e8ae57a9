"""Shared fixtures.

`app` is the portal on a fresh, migrated SQLite file; `pg_app` the same on a
real PostgreSQL started for the test session; `db_app` runs a test on both.
`client` is a page client that checks every page it fetches (one h1, a title
that starts with it, valid HTML5, no duplicate ids, forms with an action, the
security headers) and posts forms with their own CSRF token.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
import pytest
from bs4 import BeautifulSoup
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from portal import create_app
from portal.cli.database import upgrade
from portal.models import Base
from tests.support.postgres import PostgresServer, start_postgres

os.environ["PORTAL_ENV"] = "test"

REQUIRED_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
)


def make_app(database_url: str, **overrides: Any) -> Flask:
    return create_app({"env": "test", "database_url": database_url, **overrides})


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test: migrations run once, every test starts clean."""
    path = tmp_path_factory.mktemp("template") / "portal.sqlite3"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
    app.extensions["engine"].dispose()
    return path


@pytest.fixture
def twin_apps(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on one database with one secret and key: one person's cookie works on both, to compare pages."""
    path = tmp_path / "portal.sqlite3"
    shutil.copy(sqlite_template, path)
    same = {"secret_key": secrets.token_urlsafe(32), "encryption_keys": [Fernet.generate_key().decode()]}
    apps = make_app(f"sqlite:///{path}", **same), make_app(f"sqlite:///{path}", **same)
    yield apps
    for app in apps:
        app.extensions["engine"].dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    app = make_app(server.url)
    with app.app_context():
        upgrade()
    app.extensions["engine"].dispose()
    yield server
    server.stop()


@pytest.fixture
def app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    path = tmp_path / "portal.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    yield app
    app.extensions["engine"].dispose()


def _empty_postgres(app: Flask) -> None:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with app.extensions["engine"].begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def pg_app(postgres: PostgresServer) -> Iterator[Flask]:
    app = make_app(postgres.url)
    _empty_postgres(app)
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_app(request: pytest.FixtureRequest) -> Flask:
    """The same test on both databases."""
    return request.getfixturevalue("app" if request.param == "sqlite" else "pg_app")


class Page:
    """A fetched page, parsed, with what a person sees."""

    def __init__(self, response: Any) -> None:
        self.response = response
        self.status = response.status_code
        self.html = response.get_data(as_text=True)
        self.soup = BeautifulSoup(self.html, "html.parser")

    def select(self, selector: str) -> list[Any]:
        return self.soup.select(selector)

    def text_of(self, selector: str) -> str:
        found = self.soup.select_one(selector)
        return " ".join(found.get_text(" ").split()) if found else ""

    @property
    def h1(self) -> str:
        return self.text_of("h1")

    @property
    def error_summary(self) -> list[str]:
        return [" ".join(a.get_text(" ").split()) for a in self.soup.select(".nhsuk-error-summary__list a")]

    def error_for(self, field_id: str) -> str:
        return self.text_of(f"#{field_id}-error")

    def without_nonce(self) -> str:
        """The page with its CSP nonce replaced, after checking every nonce in it is this response's own."""
        nonce = re.search(r"'nonce-([^']+)'", self.response.headers["Content-Security-Policy"]).group(1)
        assert set(re.findall(r'nonce="([^"]*)"', self.html)) == {nonce}
        return self.html.replace(nonce, "NONCE")


def check_page(page: Page) -> None:
    """What every page must be (Notify's `client_request` checks)."""
    for header in REQUIRED_HEADERS:
        assert header in page.response.headers, f"missing {header}"
    assert "unsafe-inline" not in page.response.headers["Content-Security-Policy"]
    if page.response.mimetype != "text/html":
        return
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(page.html)
    assert not [e for e in parser.errors if e[1] not in {"unexpected-end-tag-before-html"}], parser.errors[:3]
    h1s = page.select("h1")
    assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
    title = " ".join(page.soup.title.get_text().split())
    assert title.removeprefix("Error: ").startswith(page.h1), f"title {title!r} does not start with h1 {page.h1!r}"
    ids = [tag["id"] for tag in page.soup.select("[id]")]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    for form in page.select("form"):
        assert form.get("action"), "a form without an action"


class PageClient:
    """Fetches pages as a browser would, checks each, and posts with the page's CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.csrf_token = ""

    def get(self, url: str, expect: int = 200) -> Page:
        page = Page(self.client.get(url))
        assert page.status == expect, f"GET {url}: {page.status}, expected {expect}"
        self._remember(page)
        return page

    def post(self, url: str, data: dict[str, Any] | None = None, expect: int | None = None, csrf: bool = True) -> Page:
        if csrf and not self.csrf_token:
            self.get("/referral/who")
        body = dict(data or {})
        if csrf:
            body.setdefault("csrf_token", self.csrf_token)
        page = Page(self.client.post(url, data=body))
        if expect is not None:
            assert page.status == expect, f"POST {url}: {page.status}, expected {expect}"
        self._remember(page)
        return page

    def _remember(self, page: Page) -> None:
        if page.response.mimetype == "text/html":
            check_page(page)
            token = page.soup.select_one("input[name=csrf_token]")
            if token:
                self.csrf_token = token["value"]


@pytest.fixture
def client(app: Flask) -> PageClient:
    return PageClient(app.test_client())

"""Real processes for the resilience tests: a fresh database each, mail servers, and what they measured.

Databases are migrated once per session by `flask --app portal db upgrade`,
as an operator would, into a template (a PostgreSQL template database, a
SQLite file); each test gets its own copy, so none waits for migrations.
Figures a test measured (kills, retries, duplicate emails) are printed at the
end of the run, since a duplicate email is allowed but must be counted.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from tests.support.postgres import PostgresServer
from tests.support.processes import migrate, portal_environment
from tests.support.smtp import SMTPServer

FIGURES = pytest.StashKey[list[str]]()
TEMPLATE_DATABASE = "resilience_template"


def _admin_engine(postgres: PostgresServer) -> Engine:
    return create_engine(postgres.url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def postgres_template(postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated by `flask db upgrade`, used as the template for each test's database."""
    admin = _admin_engine(postgres)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE_DATABASE}"))
        connection.execute(text(f"CREATE DATABASE {TEMPLATE_DATABASE}"))
    admin.dispose()
    url = postgres.url.rsplit("/", 1)[0] + f"/{TEMPLATE_DATABASE}"
    migrate(portal_environment(url, 25), tmp_path_factory.mktemp("migrate") / "migrate.log")
    return TEMPLATE_DATABASE


@pytest.fixture(scope="session")
def sqlite_migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "portal.sqlite3"
    migrate(portal_environment(f"sqlite:///{path}", 25), path.with_suffix(".log"))
    return path


@pytest.fixture
def pg_database(postgres: PostgresServer, postgres_template: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test; its URL."""
    name = "resilience_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[-40:]
    admin = _admin_engine(postgres)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {postgres_template}"))
    yield postgres.url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def sqlite_database(sqlite_migrated: Path, tmp_path: Path) -> str:
    path = tmp_path / "portal.sqlite3"
    shutil.copy(sqlite_migrated, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test on both databases."""
    return request.getfixturevalue("sqlite_database" if request.param == "sqlite" else "pg_database")


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.on_receive(None)
    server.stop()


@pytest.fixture
def report(request: pytest.FixtureRequest) -> Any:
    """`report("…")` keeps a line for the summary at the end of the run."""

    def keep(line: str) -> None:
        request.config.stash.setdefault(FIGURES, []).append(f"{request.node.name}: {line}")

    return keep


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    figures = config.stash.get(FIGURES, [])
    if figures:
        terminalreporter.section("resilience figures")
        for line in figures:
            terminalreporter.write_line(line)

"""Engine, sessions and the one place that commits.

Views never commit: a request's work is flushed by services and committed by
`unit_of_work()`, so a submission and everything it writes is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

READ_ONLY = "portal_read_only"
NOT_DURABLE = "portal_not_durable"
_SYNCHRONOUS = "portal_synchronous"  # the level a pooled SQLite connection is at, so it is set only when it changes


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    """WAL with synchronous=FULL: a committed transaction survives a power cut."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    record.info[_SYNCHRONOUS] = "FULL"


def _begin_immediate(conn: Connection) -> None:
    """Every transaction takes the write lock at its start, except a read that asked for none (`reading()`).

    Each says how durable its commit is: FULL (synced to disk) unless it asked for less (`writing(durable=False)`).
    """
    options = conn.get_execution_options()
    if not options.get(READ_ONLY):
        level = "NORMAL" if options.get(NOT_DURABLE) else "FULL"
        if conn.connection.info.get(_SYNCHRONOUS) != level:
            conn.connection.driver_connection.execute(f"PRAGMA synchronous={level}")  # type: ignore[union-attr]
            conn.connection.info[_SYNCHRONOUS] = level
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine with the settings each backend needs for durability and concurrency."""
    if url.startswith("sqlite"):
        options: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 10}}
        if ":memory:" in url or url in {"sqlite://", "sqlite:///"}:
            options["poolclass"] = StaticPool
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take control so
        # that a conditional UPDATE and its INSERTs are really one transaction.
        event.listen(engine, "connect", lambda conn, _rec: setattr(conn, "isolation_level", None))
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def init_app(app: Flask, url: str) -> None:
    engine = make_engine(url)
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["engine"]


def session() -> Session:
    """The session for this app context, created on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["sessionmaker"]()
    return g.db_session


def _close_session(_error: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


@contextmanager
def reading() -> Iterator[Connection]:
    """A connection for a page that only reads: on SQLite no transaction and so no write lock.

    With SQLite each statement then reads one consistent snapshot (WAL), and the
    page never waits for, or holds up, a person saving their answers. Nothing
    written through it is kept: it is rolled back when the block ends.
    """
    with engine().connect() as conn:
        conn.execution_options(**{READ_ONLY: True})
        yield conn


@contextmanager
def writing(*, durable: bool = True) -> Iterator[Connection]:
    """`unit_of_work` in SQLAlchemy Core, for a hot write that needs no ORM objects (a draft's page save).

    Commits everything done inside the block, or nothing at all; on SQLite it takes the write lock at BEGIN.
    `durable=False` is for what may be lost in a power cut (or a crash of PostgreSQL) but not in a
    crash of the app: the commit is in the database's log but not yet synced to disk (SQLite
    `synchronous=NORMAL` in WAL mode, PostgreSQL `synchronous_commit=off`), which saves nearly half a
    page save's CPU. The next durable commit syncs it too; the database is never left inconsistent.
    """
    with engine().connect() as conn:
        if not durable:
            conn.execution_options(**{NOT_DURABLE: True})
        with conn.begin():
            if not durable and conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            yield conn


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Commit everything done inside the block, or nothing at all."""
    db_session = session()
    try:
        yield db_session
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise

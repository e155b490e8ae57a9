"""Fixtures for the services: a real SMTP server and the portal pointed at it, on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import PageClient, make_app
from tests.support.smtp import SMTPServer


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(db_app: Flask, smtp_server: SMTPServer) -> Iterator[Flask]:
    """The portal on a fresh database (SQLite, then PostgreSQL), sending mail to `smtp_server`."""
    app = make_app(database_url_of(db_app), smtp_host=smtp_server.host, smtp_port=smtp_server.port)
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def page_client(mail_app: Flask) -> PageClient:
    return PageClient(mail_app.test_client())


def database_url_of(app: Flask) -> str:
    return app.config["PORTAL_SETTINGS"].database_url

"""`/health`: what an operator's monitor sees, including when the database is gone."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import PageClient, make_app
from tests.support.journey import submit, walk_to_check
from tests.support.postgres import free_port


def health(app, expect: int) -> dict:
    page = PageClient(app.test_client()).get("/health", expect=expect)
    assert page.response.mimetype == "application/json"
    return page.response.get_json()


def test_health_reports_the_database_and_the_outbox_backlog(page_client, mail_app, smtp_server):
    assert health(mail_app, 200) == {
        "database": "ok",
        "outbox_backlog": 0,
        "outbox_failing": 0,
        "outbox_undeliverable": 0,
    }
    smtp_server.stop()
    walk_to_check(page_client)
    submit(page_client)
    assert health(mail_app, 200) == {
        "database": "ok",
        "outbox_backlog": 1,
        "outbox_failing": 0,
        "outbox_undeliverable": 0,
    }
    mail_app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert health(mail_app, 200) == {
        "database": "ok",
        "outbox_backlog": 1,
        "outbox_failing": 1,
        "outbox_undeliverable": 0,
    }


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"postgresql+psycopg://portal:secret-password@127.0.0.1:{free_port()}/portal", id="postgresql"),
        pytest.param("sqlite:////nonexistent-folder/portal.sqlite3", id="sqlite"),
    ],
)
def test_a_broken_database_gives_503_without_a_stack_trace(url, caplog):
    app = make_app(url)
    with caplog.at_level(logging.INFO):
        page = PageClient(app.test_client()).get("/health", expect=503)
    assert page.response.get_json() == {
        "database": "unreachable",
        "outbox_backlog": None,
        "outbox_failing": None,
        "outbox_undeliverable": None,
    }
    body = page.response.get_data(as_text=True)
    for leak in ("Traceback", "File ", "secret-password", "nonexistent-folder", "OperationalError"):
        assert leak not in body
    assert "Traceback" not in caplog.text and "secret-password" not in caplog.text
    assert "health: database unreachable (OperationalError)" in caplog.text
    app.extensions["engine"].dispose()

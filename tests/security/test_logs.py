"""No personal data in any log, whatever happens; and nothing typed can forge a log line.

The journey runs with canary values (and a canary IP address) through a
validation error, a page not found, a rate limit and a server error whose
message carries a canary; every log record, at every level, from every
logger, and everything the portal's log handler writes, is searched for them.
"""

from __future__ import annotations

import logging
import sys

import pytest
from flask import Flask, request

from tests.conftest import PageClient, make_app
from tests.security.support import Canaries, walk_with_canaries
from tests.support.journey import submit

CANARY_ADDRESS = "203.0.113.77"


@pytest.fixture
def logging_app(app: Flask, caplog: pytest.LogCaptureFixture) -> Flask:
    """The portal on the test's database, built after logging is at DEBUG, so every logger is as chatty as it gets."""
    caplog.set_level(logging.DEBUG)
    chatty = make_app(str(app.extensions["engine"].url), log_level="DEBUG", submit_rate_limit="2 per minute")

    @chatty.get("/test-only/explode")
    def explode() -> str:
        raise ValueError(f"could not save the answer {request.args['value']!r}")

    yield chatty
    chatty.extensions["engine"].dispose()


def _everything_that_happens(app: Flask, canaries: Canaries) -> PageClient:
    client = PageClient(app.test_client())
    client.client.environ_base["REMOTE_ADDR"] = CANARY_ADDRESS
    client.get("/")
    client.post("/referral/who", {"who": "family_carer"}, expect=302)
    client.post("/referral/name", {"full_name": "", "preferred_name": canaries.preferred_name}, expect=200)
    walk_with_canaries(client, canaries)
    client.post("/referral/address?return_to=check", {"town": canaries.town, "postcode": canaries.name}, expect=200)
    client.get(f"/referral/{canaries.name.replace(' ', '-')}?q={canaries.situation}", expect=404)
    page = client.client.get("/test-only/explode", query_string={"value": canaries.situation})
    assert page.status_code == 500
    submit(client)
    for _ in range(3):
        client.post("/referral/check", {"submission_id": canaries.name})
    assert client.client.post("/referral/check", data={"csrf_token": client.csrf_token}).status_code == 429
    return client


def test_no_canary_reaches_any_log(logging_app, canaries, caplog, capfd):
    _everything_that_happens(logging_app, canaries)
    written = capfd.readouterr()
    records = [
        f"{record.name} {record.getMessage()} {record.exc_text or ''} {record.args!r}" for record in caplog.records
    ]
    assert any("portal.access" in line for line in records), "the journey was not logged at all"
    assert any("unhandled ValueError" in line for line in records), "the server error was not logged"
    for canary in [*canaries.everywhere(), CANARY_ADDRESS]:
        assert not [line for line in records if canary in line], f"{canary!r} in a log record"
        assert canary not in written.err and canary not in written.out, f"{canary!r} written to the log stream"


def _formatted(message: str, *args: object) -> str:
    handler = logging.getLogger("portal").handlers[0]
    record = logging.LogRecord("portal.test", logging.WARNING, __file__, 1, message, args, None)
    return handler.format(record)


LINE_BREAKERS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("breaker", LINE_BREAKERS, ids=[repr(b) for b in LINE_BREAKERS])
def test_a_line_break_in_a_logged_value_cannot_forge_a_log_line(app, breaker):
    forged = f"x{breaker}2026-01-01 00:00:00,000 ERROR portal.access GET / 200"
    line = _formatted("answer was %s", forged)
    assert len(line.splitlines()) == 1, line
    assert "2026-01-01 00:00:00,000 ERROR" in line


def test_terminal_escapes_in_a_logged_value_are_made_visible(app):
    line = _formatted("answer was %s", "\x1b[2J\x1b[31mfake\x00\x08")
    assert "\x1b" not in line and "\x00" not in line and "\x08" not in line


def test_a_logged_traceback_stays_on_one_line(app):
    handler = logging.getLogger("portal").handlers[0]
    try:
        raise RuntimeError("first\nsecond")
    except RuntimeError:
        record = logging.LogRecord("portal.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert len(handler.format(record).splitlines()) == 1

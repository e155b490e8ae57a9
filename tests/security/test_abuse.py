"""Bots and floods: a filled honeypot stores nothing; too many sends get the kind 429 page, never a server error."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal import db
from portal.models import Referral
from tests.conftest import PageClient, make_app
from tests.consent.test_withdrawal_and_saving import REQUEST
from tests.support.journey import PAGES, walk_to_check


def _referrals(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Referral))


def test_a_filled_honeypot_stores_no_referral(app, client):
    check = walk_to_check(client)
    submission_id = check.soup.select_one("input[name=submission_id]")["value"]
    page = client.post("/referral/check", {"submission_id": submission_id, "website": "https://spam.example"})
    assert page.status == 200
    assert page.error_summary == ["We could not send this. Please call the DSR team."]
    assert _referrals(app) == 0


@pytest.fixture
def limited_app(app: Flask) -> Flask:
    limited = make_app(str(app.extensions["engine"].url), submit_rate_limit="3 per minute")
    yield limited
    limited.extensions["engine"].dispose()


def test_sending_too_often_gets_the_kind_too_many_attempts_page(limited_app):
    client = PageClient(limited_app.test_client())
    check = walk_to_check(client)
    submission_id = check.soup.select_one("input[name=submission_id]")["value"]
    statuses = [client.post("/referral/check", {"submission_id": "not-this-one"}).status for _ in range(3)]
    assert 500 not in statuses
    refused = client.post("/referral/check", {"submission_id": submission_id}, expect=429)
    assert refused.h1 == "Sorry, there have been too many attempts"
    assert _referrals(limited_app) == 0


def test_the_limit_is_per_person_so_someone_else_can_still_send(limited_app):
    flooder = PageClient(limited_app.test_client())
    flooder.client.environ_base["REMOTE_ADDR"] = "198.51.100.1"
    assert [flooder.post("/referral/check", {}).status for _ in range(5)][-1] == 429
    client = PageClient(limited_app.test_client())
    client.client.environ_base["REMOTE_ADDR"] = "198.51.100.2"
    walk_to_check(client)
    submission_id = client.get("/referral/check").soup.select_one("input[name=submission_id]")["value"]
    client.post("/referral/check", {"submission_id": submission_id}, expect=302)
    assert _referrals(limited_app) == 1


def _come_off(client: PageClient) -> int:
    client.post("/come-off-the-dsr", REQUEST, expect=302)
    return client.post("/come-off-the-dsr/check", {}).status


def _save(client: PageClient) -> int:
    client.post("/referral/who", PAGES["who"], expect=302)
    return client.post("/referral/save", {"email": "anyone@example.com"}).status


@pytest.mark.parametrize(
    ("send", "kind"), [(_come_off, "a request to come off the DSR"), (_save, "an email to any address")]
)
def test_a_script_cannot_fill_the_queue_or_send_email_without_end(limited_app, send, kind):
    """Each sends something (a queue item for the team, an email anywhere): the same limit as sending a referral."""
    client = PageClient(limited_app.test_client())
    assert [send(client) for _ in range(3)] == [302] * 3
    assert send(client) == 429, f"{kind}, a fourth time in a minute"


@pytest.fixture
def proxied_app(app: Flask) -> Flask:
    proxied = make_app(str(app.extensions["engine"].url), submit_rate_limit="3 per minute", trusted_proxy_hops=1)
    yield proxied
    proxied.extensions["engine"].dispose()


def test_behind_the_proxy_each_client_has_its_own_limit(proxied_app):
    """Every request reaches gunicorn from the proxy: the client is the address the proxy adds."""
    proxy = "127.0.0.1"
    flooder = PageClient(proxied_app.test_client())
    flooder.client.environ_base.update(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert [flooder.post("/referral/check", {}).status for _ in range(4)][-1] == 429
    someone = PageClient(proxied_app.test_client())
    someone.client.environ_base.update(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert someone.post("/referral/check", {}).status != 429


def test_without_a_trusted_proxy_a_client_cannot_claim_another_address(limited_app):
    flooder = PageClient(limited_app.test_client())
    statuses = []
    for n in range(4):
        flooder.client.environ_base.update(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        statuses.append(flooder.post("/referral/check", {}).status)
    assert statuses[-1] == 429

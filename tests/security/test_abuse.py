"""Bots and floods: a filled honeypot stores nothing; too many sends get the kind 429 page, never a server error."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal import db
from portal.models import Referral
from tests.conftest import PageClient, make_app
from tests.support.journey import walk_to_check


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

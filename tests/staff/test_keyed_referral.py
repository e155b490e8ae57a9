"""The team keys in a referral received by phone or on paper, through the public journey's pages."""

from __future__ import annotations

from sqlalchemy import select

from portal import db
from portal.models import AuditEvent, ConsentEvent, Referral
from tests.support.journey import submit, walk_to_check
from tests.support.staff import sign_in_as


def test_a_phone_referral_is_keyed_in_and_marked_with_its_channel_and_who_keyed_it(app, client):
    sign_in_as(app, client, "keyer@example.nhs.uk")
    start = client.get("/staff/referrals/new")
    assert start.h1 == "Key in a referral"
    started = client.post("/staff/referrals/new", {"channel": "phone"}, expect=302)
    assert started.response.location.endswith("/referral/who")
    assert "keying in a referral received by phone" in client.get("/referral/who").text_of(".app-keyed-in")
    walk_to_check(client)
    submit(client)
    with app.app_context():
        referral = db.session().scalar(select(Referral))
        assert referral.channel == "phone"
        assert db.session().scalar(select(ConsentEvent)).channel == "phone"
        actions = {(e.action, e.actor) for e in db.session().scalars(select(AuditEvent))}
    assert ("start_keyed_referral", "keyer@example.nhs.uk") in actions
    assert ("keyed_referral", "keyer@example.nhs.uk") in actions


def test_the_channel_must_be_chosen(app, client):
    sign_in_as(app, client)
    page = client.post("/staff/referrals/new", {}, expect=200)
    assert page.error_summary == ["Select how the referral reached the team"]


def test_a_referral_from_the_public_is_marked_web(app, client):
    walk_to_check(client)
    submit(client)
    with app.app_context():
        assert db.session().scalar(select(Referral)).channel == "web"
    assert client.get("/").soup.select_one(".app-keyed-in") is None

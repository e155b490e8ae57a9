"""Signed links: only a live link opens, every dead link looks the same, a GET never uses one up."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from itsdangerous import URLSafeTimedSerializer

from portal.models import utcnow
from tests.conftest import PageClient, make_app
from tests.consent.conftest import (
    BIRTHDAY,
    WRONG_BIRTHDAY,
    answer,
    by_email,
    events,
    intake,
    issue_token,
    links,
    make_referral,
    same_page,
)


def test_a_live_link_asks_for_the_date_of_birth_and_shows_nothing_personal(client, app):
    reference = make_referral(client)
    page = client.get(f"/consent/reconfirm/{issue_token(app, reference)}")
    assert page.h1 == "What is your date of birth?"
    assert "Siân" not in page.html and reference not in page.html
    assert page.response.headers["Referrer-Policy"] == "no-referrer"
    assert page.response.headers["Cache-Control"] == "no-store"


def test_the_token_holds_only_an_opaque_id(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    payload = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="dsr-consent-reconfirm").loads(token)
    assert payload == links(app)[0].link_id
    assert reference not in token and "2000" not in payload


def test_a_get_never_uses_a_link_up(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    for _ in range(3):
        client.get(f"/consent/reconfirm/{token}")
    client.post(f"/consent/reconfirm/{token}", BIRTHDAY, expect=302)
    client.get(f"/consent/reconfirm/{token}/answer")
    assert links(app)[0].used_at is None
    assert answer(client, token, "keep").status == 302
    assert links(app)[0].used_at is not None


def test_keep_me_on_records_a_reconfirmation_and_says_so(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    answer(client, token, "keep")
    assert client.get("/consent/answered").h1 == "Thank you, you are staying on the DSR"
    assert events(app, reference)[-1] == ("reconfirmed", "person", "signed_link")


def test_take_me_off_records_the_withdrawal_and_asks_the_team_to_remove(client, app):
    reference = make_referral(client)
    answer(client, issue_token(app, reference), "remove")
    assert "They will contact you to confirm by" in client.get("/consent/answered").text_of("main")
    assert events(app, reference)[-1][0] == "withdrawn"
    assert [item["reference"] for item in intake(app, "removal")] == [reference]


def test_talk_first_asks_for_a_safe_time_and_makes_a_call_back_request(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    client.post(f"/consent/reconfirm/{token}", BIRTHDAY, expect=302)
    talk = client.post(f"/consent/reconfirm/{token}/answer", {"decision": "talk"}, expect=302)
    assert talk.response.location.endswith("/call-back")
    assert intake(app, "callback") == []
    assert client.get(talk.response.location).h1 == "When is a good and safe time to call you?"
    missing = client.post(talk.response.location, {}, expect=200)
    assert missing.error_summary == ["Enter a good and safe time to call you"]
    client.post(talk.response.location, {"callback_times": "After 4pm"}, expect=302)
    assert client.get("/consent/answered").h1 == "We will call you"
    [item] = intake(app, "callback")
    assert item["reference"] == reference and item["callback_times"] == "After 4pm"
    assert events(app, reference) == [("given", "person", "web")]


def _dead_pages(client, app):
    """One dead link of each kind, and the page each gives."""
    reference = make_referral(client)
    token = issue_token(app, reference)
    pages = {
        "tampered": client.get(f"/consent/reconfirm/{token[:-3]}xyz", expect=200),
        "wrong salt": client.get(f"/consent/withdraw/{token}", expect=200),
        "unknown": client.get(
            "/consent/reconfirm/"
            + URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="dsr-consent-reconfirm").dumps("no-such-link"),
            expect=200,
        ),
    }
    newer = issue_token(app, reference)
    pages["superseded"] = client.get(f"/consent/reconfirm/{token}", expect=200)
    answer(client, newer, "keep")
    pages["used"] = client.get(f"/consent/reconfirm/{newer}", expect=200)
    later = issue_token(app, reference)
    with time_machine.travel(utcnow() + timedelta(days=62)):
        pages["expired"] = client.get(f"/consent/reconfirm/{later}", expect=200)
    withdrawn = issue_token(app, reference)
    answer(client, withdrawn, "remove")
    after = issue_token(app, reference)
    pages["after withdrawal"] = client.get(f"/consent/reconfirm/{after}", expect=200)
    return pages


def test_every_kind_of_dead_link_gives_the_same_page(client, app):
    pages = _dead_pages(client, app)
    assert {same_page(page) for page in pages.values()} == {same_page(pages["tampered"])}, sorted(pages)
    assert pages["tampered"].h1 == "This link no longer works"
    assert "How to get a new link" in pages["tampered"].html


def test_a_link_dies_when_consent_changes_another_way(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference, purpose="withdraw")
    answer(client, issue_token(app, reference), "keep")
    client.get(f"/consent/withdraw/{token}", expect=200)


def test_a_dead_link_cannot_be_posted_either(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    client.post(f"/consent/reconfirm/{token}", BIRTHDAY, expect=302)
    issue_token(app, reference)
    client.post(f"/consent/reconfirm/{token}/answer", {"decision": "remove"}, expect=200)
    assert intake(app, "removal") == []


def test_five_wrong_dates_of_birth_lock_the_link_and_tell_the_team(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    for attempt in range(4):
        page = client.post(f"/consent/reconfirm/{token}", WRONG_BIRTHDAY, expect=200)
        assert page.error_summary == ["The date of birth does not match. Check it and try again."], attempt
    assert client.post(f"/consent/reconfirm/{token}", WRONG_BIRTHDAY, expect=200).h1 == "This link no longer works"
    client.post(f"/consent/reconfirm/{token}", BIRTHDAY, expect=200)
    assert links(app)[0].locked_at is not None
    assert [item["reference"] for item in intake(app, "link_locked")] == [reference]


def test_the_answer_page_needs_the_date_of_birth_first(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    page = client.post(f"/consent/reconfirm/{token}/answer", {"decision": "remove"}, expect=302)
    assert page.response.location.endswith(f"/consent/reconfirm/{token}")
    assert intake(app, "removal") == []


@pytest.mark.parametrize("days, works", [(59, True), (61, False)])
def test_links_expire_after_sixty_days(client, app, days, works):
    reference = make_referral(client)
    token = issue_token(app, reference)
    with time_machine.travel(utcnow() + timedelta(days=days)):
        heading = client.get(f"/consent/reconfirm/{token}").h1
    assert heading == ("What is your date of birth?" if works else "This link no longer works")


def test_link_checks_are_rate_limited(app):
    limited = make_app(app.config["PORTAL_SETTINGS"].database_url)
    limited.config["PORTAL_SETTINGS"].consent_link_rate_limit = "5 per minute"
    browser = PageClient(limited.test_client())
    statuses = [browser.client.get("/consent/reconfirm/nonsense").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2


def test_tokens_never_reach_the_logs(client, app, caplog):
    reference = by_email(client)
    token = issue_token(app, reference)
    caplog.set_level("DEBUG")
    client.get(f"/consent/reconfirm/{token[:-2]}zz", expect=200)
    answer(client, token, "keep")
    client.get(f"/consent/reconfirm/{token}", expect=200)
    assert "refused" in caplog.text
    assert token[:20] not in caplog.text

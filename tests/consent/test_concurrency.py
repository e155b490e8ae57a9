"""Fifty presses of one link at once make exactly one decision, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

from flask import Flask

from tests.conftest import PageClient
from tests.consent.conftest import BIRTHDAY, events, intake, issue_token, make_referral

PRESSES = 50


def test_fifty_simultaneous_answers_on_one_link_make_one_decision(db_app: Flask):
    db_app.config["PORTAL_SETTINGS"].consent_link_rate_limit = "10000 per minute"
    reference = make_referral(PageClient(db_app.test_client()))
    token = issue_token(db_app, reference)
    url = f"/consent/reconfirm/{token}"
    browsers = []
    for _ in range(PRESSES):
        browser = PageClient(db_app.test_client())
        browser.get(url)
        browser.post(url, BIRTHDAY, expect=302)
        browser.get(f"{url}/answer")
        browsers.append(browser)
    start = threading.Barrier(PRESSES)
    statuses: list[str] = []
    lock = threading.Lock()

    def press(browser: PageClient) -> None:
        form = {"decision": "remove", "csrf_token": browser.csrf_token}
        start.wait()
        response = browser.client.post(f"{url}/answer", data=form)
        dead = "This link no longer works" in response.get_data(as_text=True)
        with lock:
            statuses.append("dead page" if dead else f"{response.status_code} {response.location}")

    threads = [threading.Thread(target=press, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == ["302 /consent/answered"] + ["dead page"] * (PRESSES - 1)
    assert [kind for kind, _by, _channel in events(db_app, reference)] == ["given", "withdrawn"]
    assert len(intake(db_app, "removal")) == 1

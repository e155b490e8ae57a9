"""Fifty presses of one link at once make exactly one decision, on SQLite and on PostgreSQL.

Half press "No, take me off" and half "Yes, keep me on": one answer is recorded,
only the browser that recorded it sees its confirmation, every other press the dead link.
"""

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

    def press(browser: PageClient, decision: str) -> None:
        form = {"decision": decision, "csrf_token": browser.csrf_token}
        start.wait()
        response = browser.client.post(f"{url}/answer", data=form)
        dead = "This link no longer works" in response.get_data(as_text=True)
        with lock:
            statuses.append(
                f"{decision}: dead page" if dead else f"{decision}: {response.status_code} {response.location}"
            )

    decisions = ["remove", "keep"] * (PRESSES // 2)
    threads = [threading.Thread(target=press, args=pair) for pair in zip(browsers, decisions, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    kinds = [kind for kind, _by, _channel in events(db_app, reference)]
    assert kinds in (["given", "withdrawn"], ["given", "reconfirmed"])
    recorded, other = ("remove", "keep") if kinds[-1] == "withdrawn" else ("keep", "remove")
    half = PRESSES // 2
    # Only the browser whose answer was recorded sees a confirmation: the others learn nothing from the link.
    assert sorted(statuses) == sorted(
        [f"{recorded}: 302 /consent/answered"]
        + [f"{recorded}: dead page"] * (half - 1)
        + [f"{other}: dead page"] * half
    )
    assert len(intake(db_app, "removal")) == (1 if recorded == "remove" else 0)

"""Twenty presses of "Send referral" at the same moment store one referral, and all twenty see it."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal import db
from portal.models import ConsentEvent, Draft, IntakeItem, OutboxMessage, Referral
from tests.conftest import Page
from tests.support.journey import walk_to_check

PRESSES = 20


def test_twenty_simultaneous_submissions_store_one_referral(page_client, mail_app):
    check = walk_to_check(page_client)
    submission_id = check.soup.select_one("input[name=submission_id]")["value"]
    cookie = page_client.client.get_cookie("session").value
    browsers = []
    for _ in range(PRESSES):
        browser = mail_app.test_client()
        browser.set_cookie("session", cookie)
        browsers.append(browser)
    barrier = threading.Barrier(PRESSES)
    responses: dict[int, object] = {}

    def press(number: int) -> None:
        barrier.wait()
        responses[number] = browsers[number].post(
            "/referral/check", data={"submission_id": submission_id, "csrf_token": page_client.csrf_token}
        )

    threads = [threading.Thread(target=press, args=(number,)) for number in range(PRESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert (
        sorted((r.status_code, r.location) for r in responses.values()) == [(302, "/referral/confirmation")] * PRESSES
    )
    references = {Page(browser.get("/referral/confirmation")).text_of(".app-reference") for browser in browsers}
    with mail_app.app_context():
        session = db.session()
        stored = {model.__name__: session.scalar(select(func.count()).select_from(model)) for model in MODELS}
        reference = session.scalar(select(Referral.reference))
    assert stored == {"Referral": 1, "ConsentEvent": 1, "IntakeItem": 1, "OutboxMessage": 1, "Draft": 0}
    assert references == {reference}


MODELS = (Referral, ConsentEvent, IntakeItem, OutboxMessage, Draft)

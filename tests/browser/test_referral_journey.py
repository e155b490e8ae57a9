"""The whole referral in Chromium, as a person does it with a mouse: axe on every page, errors included."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal import db
from portal.models import Referral
from tests.browser.conftest import LiveServer
from tests.browser.journey import MYSELF, PARENT_OF_A_CHILD, send, start, walk

# Pages with a question that must be answered: sent empty, they say what to do.
REQUIRED_FOR_MYSELF = [
    "who",
    "name",
    "date-of-birth",
    "address",
    "safe-contact",
    "diagnosis",
    "communication",
    "whats-happening",
    "hospital",
    "professionals",
    "professionals/add",
    "consent-self",
]


def stored_reference(live_server: LiveServer) -> str | None:
    with live_server.app.app_context():
        return db.session().scalar(select(Referral.reference))


def test_a_person_referring_themself_can_do_it_all_and_every_page_passes_axe(page: Page, live_server: LiveServer):
    start(page)
    walked = walk(page, MYSELF, errors_first=True)
    assert walked.pages == [slug for slug, _ in MYSELF]
    assert walked.errors == REQUIRED_FOR_MYSELF
    main = page.locator("main")
    expect(main).to_contain_text("Siân O'Neil-Jones")
    expect(main).to_contain_text("29 February 2000")
    expect(main).to_contain_text("Polish")
    expect(main).to_contain_text("Jo Bloggs")
    reference = send(page)
    assert stored_reference(live_server) == reference


def test_a_parent_refers_their_child_and_gives_parental_consent(page: Page, live_server: LiveServer):
    start(page)
    walked = walk(page, PARENT_OF_A_CHILD)
    assert walked.pages == [slug for slug, _ in PARENT_OF_A_CHILD]
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your referral")
    main = page.locator("main")
    expect(main).to_contain_text("Ffion Price")
    expect(main).to_contain_text("Woodlands Unit")
    expect(main).to_contain_text("Rhian Price")
    reference = send(page)
    assert stored_reference(live_server) == reference

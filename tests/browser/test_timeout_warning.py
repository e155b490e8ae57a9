"""The warning before saved answers are deleted (WCAG 2.2.1): it opens, passes axe, and keeps the answers."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal import db
from portal.models import Draft
from portal.services import drafts
from tests.browser.conftest import LiveServer, assert_accessible, browser_context, open_page
from tests.browser.journey import MYSELF, slug_of, start, walk

TIMEOUT = 8  # answers are deleted 8 seconds after the last save...
WARNING = 6  # ...and the warning opens 6 seconds before that: 2 seconds after a page loads


@pytest.fixture
def live_server(start_live_server: Callable[..., LiveServer]) -> LiveServer:
    return start_live_server(draft_timeout_seconds=TIMEOUT, draft_warning_seconds=WARNING)


def answer_the_first_question(page: Page) -> float:
    start(page)
    walk(page, MYSELF[:1], audit=False, reach_check=False)
    assert slug_of(page) == "name"
    return time.monotonic()


def live_answers(live_server: LiveServer) -> list[dict]:
    with live_server.app.app_context():
        every = db.session().scalars(select(Draft)).all()
        return [drafts.answers_of(draft) for draft in every if drafts.find_draft(draft.id)]


def test_keep_my_answers_keeps_them_past_the_time_limit(page: Page, browser: Browser, live_server: LiveServer):
    with browser_context(browser, live_server) as other_context:
        someone_else = open_page(other_context)  # answers the same question, then ignores the warning
        answer_the_first_question(someone_else)
        saved_at = answer_the_first_question(page)

        dialog = page.get_by_role("dialog", name="Do you need more time?")
        keep = dialog.get_by_role("button", name="Keep my answers")
        expect(dialog).to_be_visible(timeout=(TIMEOUT - WARNING + 3) * 1000)
        assert dialog.get_attribute("open") is not None
        expect(keep).to_be_focused()
        assert_accessible(page, "question page with the timeout warning open")
        page.keyboard.press("Enter")
        expect(dialog).to_be_hidden()
        while time.monotonic() < saved_at + TIMEOUT + 1:  # the warning comes back; the person keeps saying keep
            expect(dialog).to_be_visible(timeout=(TIMEOUT - WARNING + 3) * 1000)
            keep.click()
            expect(dialog).to_be_hidden()

        assert live_answers(live_server) == [{"who": "self"}]
        page.goto("/referral/who")
        expect(page.get_by_label("I am filling this in for myself", exact=True)).to_be_checked()
        someone_else.goto("/referral/name")
        assert slug_of(someone_else) == "/", "answers left alone past the time limit were kept"
        expect(someone_else.locator("main")).to_contain_text("We deleted your answers to keep them safe")
        assert_accessible(someone_else, "start page after the answers were deleted")

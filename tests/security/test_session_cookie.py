"""Flask's session cookie is signed, not encrypted: anyone holding it can read it. It must hold no answers."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask

from tests.conftest import Page, PageClient
from tests.security.support import every_answer_string, walk_with_canaries
from tests.support.journey import PAGES, submit

# What the cookie may hold: random ids and the CSRF secret, never an answer.
ALLOWED_KEYS = {"draft", "submitted", "csrf_token", "_permanent"}


def _distinctive(answer: str) -> bool:
    """Long enough, and not something a random id or a hex CSRF secret could contain by chance."""
    return len(answer) >= 5 and not re.fullmatch(r"[0-9a-f]+", answer.lower())


class CookieWatchingClient(PageClient):
    """A page client that opens the session cookie after every request, as an attacker holding it could."""

    def __init__(self, app: Flask) -> None:
        super().__init__(app.test_client())
        self.app = app
        self.sessions: list[dict[str, Any]] = []

    def _remember(self, page: Page) -> None:
        super()._remember(page)
        cookie = self.client.get_cookie(self.app.config["SESSION_COOKIE_NAME"])
        if cookie is not None:
            serializer = self.app.session_interface.get_signing_serializer(self.app)
            self.sessions.append(serializer.loads(cookie.value))


def test_the_session_cookie_never_holds_an_answer_at_any_step(app, canaries):
    client = CookieWatchingClient(app)
    walk_with_canaries(client, canaries)
    client.post("/referral/postcode-check-that-fails", {}, expect=404)
    client.post("/referral/address?return_to=check", {"postcode": f"{canaries.postcode} X", "town": ""}, expect=200)
    submit(client)
    assert len(client.sessions) >= 20
    answers = [s for s in every_answer_string(PAGES) if _distinctive(s)] + canaries.everywhere()
    for number, session in enumerate(client.sessions, start=1):
        assert set(session) <= ALLOWED_KEYS, f"request {number}: unexpected keys {set(session) - ALLOWED_KEYS}"
        opened = json.dumps(session, ensure_ascii=False)
        leaked = [value for value in answers if value in opened]
        assert not leaked, f"request {number}: the cookie holds {leaked}"

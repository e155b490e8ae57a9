"""Easy read or plain English: the reader's choice, remembered in the session cookie (no personal data).

A link can carry the choice (`?mode=easy`), so a letter or a text message can
open the easy-read version; the choice then stays for every later page,
with JavaScript on or off. `forms.messages` reads `g.reading_mode` to choose
easy-read error messages.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import g, has_request_context, request, session

from easy_read import consent_pages, info_pages, pages
from easy_read.questions import QUESTIONS

EASY = "easy"
PLAIN = "plain"
MODES = (PLAIN, EASY)
SESSION_KEY = "reading_mode"
QUERY_KEY = "mode"


def remember_choice() -> None:
    """Before each public page: take a choice from the link, else the one remembered, else plain English."""
    asked = request.args.get(QUERY_KEY)
    if asked in MODES:
        session[SESSION_KEY] = asked
    remembered = session.get(SESSION_KEY)
    g.reading_mode = remembered if remembered in MODES else PLAIN


def current() -> str:
    """The mode of this request: what `Referral.reading_mode` records."""
    return g.get("reading_mode", PLAIN)


def has_chosen() -> bool:
    return session.get(SESSION_KEY) in MODES


def url_for_mode(mode: str) -> str:
    """This page in the other mode: a query-only link (`?mode=easy`, other query values kept).

    Query-only, so the page's own path never appears in its body: a signed-link page
    must look the same whatever token is in its address.
    """
    if not request.query_string:
        return f"?{QUERY_KEY}={mode}"
    args = [(key, value) for key, value in request.args.items(multi=True) if key != QUERY_KEY]
    return f"?{urlencode([*args, (QUERY_KEY, mode)])}"


def _is_public_request() -> bool:
    """The staff area stays plain English; everything else a person can reach is public."""
    return has_request_context() and request.blueprint != "staff" and not request.path.startswith("/staff")


def template_values() -> dict[str, object]:
    """What public templates need: the mode, the links to each mode, and the easy-read content.

    Registered for every template, because an error page (an unknown address, a
    lost CSRF token) is rendered outside the public blueprint, before its hooks run.
    """
    if not _is_public_request():
        return {}
    if "reading_mode" not in g:
        remember_choice()
    return {
        "easy_read": pages,
        "easy_read_info": info_pages,
        "easy_read_consent": consent_pages,
        "easy_read_questions": QUESTIONS,
        "reading_mode": current(),
        "reading_mode_chosen": has_chosen(),
        "easy_read_url": url_for_mode(EASY),
        "plain_english_url": url_for_mode(PLAIN),
    }

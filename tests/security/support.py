"""What the security tests share: hostile values, canaries, a finished journey, raw posts, database snapshots.

Hostile values are posted url-encoded by hand, so bytes that are not valid
UTF-8 (what a browser never sends, but a script can) reach the portal as sent.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import AnyConverter, Rule

from forms import professionals
from forms.questions import Question
from forms.referral import STEPS
from portal import db
from portal.models import Base, Draft
from portal.services import drafts
from tests.conftest import Page, PageClient
from tests.support.journey import walk_to_check

# The answer kinds a person types into (a box or a text area), as opposed to choosing.
TYPED_KINDS = frozenset({"text", "name", "textarea", "postcode", "nhs_number", "phone", "email"})
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
TOO_LONG = "a" * 100_000

HOSTILE: dict[str, str | bytes] = {
    "script": SCRIPT,
    "image": IMAGE,
    "sql-drop": "'; DROP TABLE referrals; --",
    "sql-or": "' OR 1=1 --",
    "too-long": TOO_LONG,
    "control": "Sam\x00 Lee\x01\x07\x08\x0b\x0c\x1b[31m\x7f\x9f",
    "bidi": "Sam \u202eeeL\u202c \u2066x\u2069\u200f",
    # Bytes a browser never sends: a UTF-8-encoded surrogate, an overlong "<", and stray bytes.
    "not-utf8": b"Sam \xed\xa0\x80 \xc0\xbcscript\xc0\xbe \xff\xfe Lee",
    "odd-unicode": "Z\u0351\u0334a\u0337l\u0336g\u0335o \ue000 \U0001f469\u200d\U0001f467 \u2028\u2029 \u00ad\u034f",
    # Unicode noncharacters: HTML forbids them in a page.
    "noncharacters": "Sam \ufffe\uffff\ufdd0\U0001fffe Lee",
    "crlf": "first line\r\nSet-Cookie: injected=1\r\n\r\nsecond\rthird\nfourth",
}

# A value for every typed question on the add-a-professional page (it is not one of STEPS' own questions).
PROFESSIONAL = {
    "professional_name": "Jo Bloggs",
    "professional_role": "Social worker",
    "professional_organisation": "Norfolk County Council",
    "professional_contact": "jo@example.com",
}


@dataclass(frozen=True)
class TypedBox:
    """One box a person types into: the page's address, the form field's name, and its question."""

    url: str
    name: str
    question: Question
    valid: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.url.removeprefix('/referral/')}:{self.name}"


def typed_boxes(valid_answers: dict[str, dict[str, Any]]) -> list[TypedBox]:
    """Every typed box on every page of the journey: STEPS' questions, date parts, and the add-a-professional page."""
    boxes = []
    for step in STEPS:
        for question in step.questions:
            if question.kind in TYPED_KINDS:
                boxes.append(TypedBox(f"/referral/{step.slug}", question.id, question, valid_answers[step.slug]))
            elif question.kind == "date":
                for part in ("day", "month", "year"):
                    name = f"{question.id}-{part}"
                    boxes.append(TypedBox(f"/referral/{step.slug}", name, question, valid_answers[step.slug]))
    for question in professionals.DETAILS:
        boxes.append(TypedBox("/referral/professionals/add", question.id, question, PROFESSIONAL))
    return boxes


def post_raw(client: PageClient, url: str, fields: dict[str, Any], csrf: bool = True) -> Page:
    """Post url-encoded exactly as given (bytes stay bytes), then check the page as every page is checked."""
    if csrf and not client.csrf_token:
        client.get("/referral/who")
    body = dict(fields)
    if csrf:
        body.setdefault("csrf_token", client.csrf_token)
    response = client.client.post(
        url, data=urlencode(body, doseq=True), content_type="application/x-www-form-urlencoded"
    )
    page = Page(response)
    if response.status_code < 500:
        client._remember(page)
    return page


def assert_nothing_injected(page: Page) -> None:
    """No markup a person typed became markup in the page: no stray script, image or event handler."""
    assert SCRIPT not in page.html, "a <script> typed into a box came back unescaped"
    assert "<img src=x" not in page.html, "an <img> typed into a box came back unescaped"
    nonce = page.response.headers.get("Content-Security-Policy", "").split("'nonce-")[-1].split("'")[0]
    for script in page.soup.find_all("script"):
        assert script.get("nonce") == nonce, f"a script without this page's nonce: {script}"
    assert not page.soup.find_all("img", src="x")
    handlers = [(tag.name, attr) for tag in page.soup.find_all(True) for attr in tag.attrs if attr.startswith("on")]
    assert not handlers, f"event handler attributes in the page: {handlers}"


def draft_answers(app: Flask) -> list[dict[str, Any]]:
    """The answers of every draft, opened: what the portal has kept."""
    with app.app_context():
        return [drafts.answers_of(draft) for draft in db.session().scalars(select(Draft))]


def table_rows(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: a before-and-after picture that shows whether anything was stored."""
    with app.extensions["engine"].connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def carer_at_check(client: PageClient) -> PageClient:
    """A family carer's referral answered up to check your answers, with one professional added.

    A carer sees every page a person can (the "about you" page included).
    """
    walk_to_check(client, who={"who": "family_carer"})
    client.post("/referral/professionals?return_to=check", {"more_professionals": "yes"}, expect=302)
    client.post("/referral/professionals/add?return_to=check", PROFESSIONAL, expect=302)
    client.post("/referral/professionals?return_to=check", {"more_professionals": "no"}, expect=302)
    return client


@dataclass(frozen=True)
class Canaries:
    """Values unique to one test run: if one turns up in a cookie, a log or the raw database, it leaked."""

    name: str
    preferred_name: str
    postcode: str
    phone: str
    phone_stored: str
    town: str
    situation: str
    support: str
    referrer_name: str
    professional: str

    def everywhere(self) -> list[str]:
        return [
            self.name,
            self.preferred_name,
            self.postcode,
            self.postcode.replace(" ", ""),
            self.phone,
            self.phone_stored,
            self.town,
            self.situation,
            self.support,
            self.referrer_name,
            self.professional,
        ]

    def journey_changes(self) -> dict[str, dict[str, Any]]:
        """`walk_to_check` changes that put a canary into every kind of answer."""
        return {
            "who": {"who": "family_carer"},
            "name": {"full_name": self.name, "preferred_name": self.preferred_name},
            "address": {
                "address_line_1": "1 High Street",
                "address_line_2": "",
                "town": self.town,
                "postcode": self.postcode,
            },
            "contact_details": {"phone": self.phone, "email": ""},
            "whats_happening": {"risks": ["home_breakdown"], "situation": self.situation},
            "support": {"support": self.support},
            "referrer": {
                "referrer_name": self.referrer_name,
                "referrer_relationship": "Brother",
                "referrer_organisation": "",
                "referrer_phone": "0161 496 0002",
                "referrer_email": "",
            },
        }


@pytest.fixture
def canaries() -> Canaries:
    token = secrets.token_hex(6)
    letters = "".join(secrets.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
    last = f"{secrets.randbelow(898) + 100:03d}"
    return Canaries(
        name=f"Canaryname {token}",
        preferred_name=f"Canarypreferred{token}",
        postcode=f"ZE{secrets.randbelow(9) + 1} {secrets.randbelow(10)}{letters}",
        phone=f"0161 496 0{last}",
        phone_stored=f"+441614960{last}",
        town=f"Canarytown{token}",
        situation=f"Canary situation {token}: my placement is at risk",
        support=f"Canary support {token}",
        referrer_name=f"Canaryreferrer {token}",
        professional=f"Canaryprofessional {token}",
    )


def walk_with_canaries(client: PageClient, canaries: Canaries) -> Page:
    """The whole journey with a canary in every kind of answer, a professional included; returns check."""
    walk_to_check(client, **canaries.journey_changes())
    client.post("/referral/professionals?return_to=check", {"more_professionals": "yes"}, expect=302)
    client.post(
        "/referral/professionals/add?return_to=check",
        {**PROFESSIONAL, "professional_name": canaries.professional},
        expect=302,
    )
    client.post("/referral/professionals?return_to=check", {"more_professionals": "no"}, expect=302)
    return client.get("/referral/check")


def every_answer_string(answers: Any) -> Iterator[str]:
    """Every string inside an answers document, however nested."""
    if isinstance(answers, str):
        yield answers
    elif isinstance(answers, dict):
        for value in answers.values():
            yield from every_answer_string(value)
    elif isinstance(answers, list):
        for value in answers:
            yield from every_answer_string(value)


# Values that make each URL argument of the portal's routes real: a new argument name fails the
# route tests with a message saying to add it here, so a new route cannot go untested.
SAMPLE_VALUES: dict[str, list[str]] = {
    "slug": [step.slug for step in STEPS],
    "number": ["1"],
    "reference": ["DSR-ABCD-EFGH"],
    "token": ["a-link-token-that-was-never-issued"],
    "item_id": ["1"],
}
ARGUMENT = re.compile(r"<(?:[^>]*:)?(\w+)>")


def urls_for(rule: Rule) -> list[str]:
    """Every address a route answers at, its arguments filled with real values."""
    options: dict[str, list[str]] = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):
            options[name] = sorted(converter.items)
        elif name in SAMPLE_VALUES:
            options[name] = SAMPLE_VALUES[name]
        else:
            pytest.fail(f"route {rule.rule} has an argument {name!r}: add real values for it to SAMPLE_VALUES")
    names = sorted(options)
    urls = []
    for combo in itertools.product(*(options[name] for name in names)):
        chosen = dict(zip(names, combo, strict=True))
        urls.append(ARGUMENT.sub(lambda match, chosen=chosen: chosen[match.group(1)], rule.rule))
    return urls


def routes(app: Flask, method: str) -> list[Rule]:
    return sorted((rule for rule in app.url_map.iter_rules() if method in (rule.methods or ())), key=str)

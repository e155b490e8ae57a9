"""Which language a page is in, the language list, and the language recorded with a referral.

Run against test-only catalogues ("pl" and "ar" built from the pseudo catalogue), so the
mechanism is tested whatever `SHIPPED_LANGUAGES` holds today.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from portal import db, i18n
from portal.config import ConfigError
from portal.models import Draft, Referral
from tests.conftest import Page, PageClient, make_app
from tests.consent.conftest import issue_token
from tests.staff.test_exports import export
from tests.support.journey import PAGES, submit, walk_to_check
from tests.support.staff import sign_in_as
from tests.translations.test_every_string_translatable import PseudoClient


def html_of(page: Page) -> tuple[str, str]:
    return page.soup.html["lang"], page.soup.html.get("dir", "")


def public(app: Flask, **headers: str) -> PseudoClient:
    client = PseudoClient(app.test_client())
    client.client.environ_base.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    return client


def test_english_without_a_choice_or_a_browser_preference(pseudo_app: Flask) -> None:
    assert html_of(public(pseudo_app).get("/")) == ("en", "ltr")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("pl-PL,pl;q=0.9,en;q=0.5", "pl"), ("ar-EG", "ar"), ("de-DE,de;q=0.9", "en"), ("de,en-GB;q=0.8,pl;q=0.5", "en")],
)
def test_the_browser_language_is_the_first_choice(pseudo_app: Flask, accept: str, expected: str) -> None:
    assert html_of(public(pseudo_app, accept_language=accept).get("/"))[0] == expected


def test_a_language_in_the_link_is_remembered_for_later_pages(pseudo_app: Flask) -> None:
    client = public(pseudo_app, accept_language="pl")
    assert html_of(client.get("/?lang=ar")) == ("ar", "rtl")
    assert html_of(client.get("/privacy")) == ("ar", "rtl")
    assert html_of(client.get("/help?lang=en")) == ("en", "ltr")
    assert html_of(client.get("/accessibility")) == ("en", "ltr")


@pytest.mark.parametrize("value", ["xx", "de", "", "../../etc/passwd", "pl" * 500, "PL", "ar\r\nSet-Cookie: x"])
def test_a_language_we_do_not_offer_is_ignored(pseudo_app: Flask, value: str) -> None:
    client = public(pseudo_app)
    client.get("/?lang=pl")
    page = client.get(f"/privacy?lang={value}")
    assert html_of(page) == ("pl", "ltr")


def test_the_staff_area_is_always_in_english(pseudo_app: Flask) -> None:
    client = PageClient(pseudo_app.test_client())
    client.client.get("/?lang=pl", headers={"Accept-Language": "ar"})
    page = client.get("/staff/sign-in")
    assert html_of(page) == ("en", "ltr")
    assert not page.select(".app-language-list")
    assert "⟦" not in page.html


def test_every_public_page_lists_the_languages_each_in_its_own_name(pseudo_app: Flask) -> None:
    page = public(pseudo_app).get("/privacy?lang=pl&mode=easy")
    links = page.select(".app-language-list a")
    assert [(a.get_text(strip=True), a["lang"], a["hreflang"]) for a in links] == [
        ("English", "en", "en"),
        ("Polski", "pl", "pl"),
        ("العربية", "ar", "ar"),
    ]
    assert [a["href"] for a in links] == ["?mode=easy&lang=en", "?mode=easy&lang=pl", "?mode=easy&lang=ar"]
    assert [a.get("aria-current") for a in links] == [None, "true", None]
    assert links[2]["dir"] == "rtl"


def test_with_only_english_shipped_there_is_no_language_list(client: PageClient) -> None:
    assert i18n.SHIPPED_LANGUAGES == ("en",) or len(i18n.SHIPPED_LANGUAGES) > 1
    page = client.get("/?lang=pl")
    assert bool(page.select(".app-language-list")) == (len(i18n.SHIPPED_LANGUAGES) > 1)
    assert html_of(page)[0] == ("pl" if "pl" in i18n.SHIPPED_LANGUAGES else "en")


def test_a_signed_link_page_links_to_other_languages_without_its_token(pseudo_app: Flask) -> None:
    client = public(pseudo_app)
    walk_to_check(client)
    reference = submit(client).text_of(".app-reference")
    token = issue_token(pseudo_app, reference)
    page = client.get(f"/consent/reconfirm/{token}?lang=ar")
    assert html_of(page) == ("ar", "rtl")
    assert [a["href"] for a in page.select(".app-language-list a")] == ["?lang=en", "?lang=pl", "?lang=ar"]


def referral_language(app: Flask, reference: str) -> str:
    with app.app_context():
        return db.session().scalar(select(Referral.language).where(Referral.reference == reference))


def test_the_referral_records_the_language_it_was_sent_in(pseudo_app: Flask) -> None:
    client = public(pseudo_app)
    client.get("/?lang=pl")
    client.post("/referral/who", PAGES["who"], expect=302)
    with pseudo_app.app_context():
        assert db.session().scalar(select(Draft.language)) == "pl"
    walk_to_check(client)
    reference = submit(client).text_of(".app-reference")
    assert referral_language(pseudo_app, reference) == "pl"


def test_the_team_sees_the_language_beside_the_interpreter_need_and_in_exports(pseudo_app: Flask) -> None:
    person = public(pseudo_app)
    person.get("/?lang=ar")
    walk_to_check(person)
    reference = submit(person).text_of(".app-reference")

    staff = PageClient(pseudo_app.test_client())
    sign_in_as(pseudo_app, staff)
    record = staff.get(f"/staff/intake/{reference}")
    communication = record.select("dl.app-answers")[0].get_text(" ")
    assert "interpreter" in communication
    assert record.text_of(".app-form-language") == "Arabic (العربية)"

    table = list(csv.reader(io.StringIO(export(staff, [reference], "csv").get_data(as_text=True).lstrip("\ufeff"))))
    column = table[0].index("Language of the form")
    assert table[0][column - 1] == "Interpreter language"
    assert table[1][column] == "Arabic (العربية)"

    pdf = PdfReader(io.BytesIO(staff.client.get(f"/staff/intake/{reference}/pdf").get_data()))
    assert "Language of the form" in "".join(page.extract_text() for page in pdf.pages)

    bundle = json.loads(staff.client.get(f"/staff/intake/{reference}/fhir").get_data())
    communication = bundle["entry"][0]["resource"]["communication"]
    assert {"system": "urn:ietf:bcp:47", "code": "ar"} in [
        c for entry in communication for c in entry["language"].get("coding", [])
    ]


def test_phone_numbers_keep_their_digit_order_in_right_to_left_sentences(pseudo_app: Flask) -> None:
    phone = pseudo_app.config["PORTAL_SETTINGS"].team.phone
    right_to_left = public(pseudo_app).get("/help?lang=ar").html
    assert f"\u2066{phone}\u2069" in right_to_left
    left_to_right = public(pseudo_app).get("/help?lang=pl").html
    assert phone in left_to_right and "\u2066" not in left_to_right


def test_a_deployment_can_offer_only_its_reviewed_languages(sqlite_template, tmp_path):
    """`LANGUAGES=ar,pl`: English first, then those (in the usual order); the others are not offered."""
    path = tmp_path / "portal.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    app = make_app(f"sqlite:///{path}", languages=("ar", "pl"))
    try:
        assert app.config[i18n.CONFIG_KEY] == ("en", "pl", "ar")
        page = PageClient(app.test_client()).get("/?lang=ro")
        assert page.soup.html["lang"] == "en"
        assert [link["hreflang"] for link in page.soup.select("a[hreflang]")] == ["en", "pl", "ar"]
    finally:
        app.extensions["engine"].dispose()


def test_a_language_we_do_not_ship_stops_the_app_starting(sqlite_template, tmp_path):
    with pytest.raises(ConfigError, match="xx"):
        make_app(f"sqlite:///{tmp_path / 'unused.sqlite3'}", languages=("pl", "xx"))

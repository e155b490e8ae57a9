"""What the person receives is in their language: reminder emails, letters and the links in them.

The team's own mail stays English. Uses the test-only pseudo catalogues ("⟦…⟧" marks every
translated message), so a message written in the wrong language shows at once.
"""

from __future__ import annotations

import io

from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from portal import db
from portal.models import OutboxMessage, utcnow
from portal.services import letters
from portal.services.due_dates import local_date
from tests.consent.conftest import BIRTHDAY, consent_given_days_ago
from tests.consent.test_reminders import run
from tests.support.journey import PAGES, submit, walk_to_check
from tests.translations.catalogues import visible_untranslated
from tests.translations.test_every_string_translatable import DATE
from tests.translations.test_language_choice import public

SAFE_BY_EMAIL_AND_POST = {**PAGES["safe-contact"], "safe_contact": ["email", "letter"]}


def refer_in(app: Flask, code: str) -> str:
    client = public(app)
    client.get(f"/?lang={code}")
    walk_to_check(client, safe_contact=SAFE_BY_EMAIL_AND_POST)
    return submit(client).text_of(".app-reference")


def messages(app: Flask, purpose: str) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).where(OutboxMessage.purpose == purpose)))


def test_the_reminder_email_and_its_link_are_in_the_persons_language(pseudo_app: Flask) -> None:
    reference = refer_in(pseudo_app, "pl")
    consent_given_days_ago(pseudo_app, reference, 340)
    run(pseudo_app)
    [reminder] = messages(pseudo_app, "consent_reminder")
    assert "⟦" in reminder.subject
    words = " ".join(word for word in reminder.body.split() if "://" not in word)
    team = pseudo_app.config["PORTAL_SETTINGS"].team
    assert visible_untranslated(DATE.sub(" ", words), tuple(vars(team).values())) == []
    link = next(word for word in reminder.body.split() if "/consent/reconfirm/" in word)
    assert link.endswith("?lang=pl")
    assert "lang" not in link.split("/consent/reconfirm/")[1].split("?")[0]
    [notice] = messages(pseudo_app, "new_referral")
    assert "⟦" not in notice.body and "⟦" not in notice.subject


def test_english_referrals_get_english_reminders_and_plain_links(pseudo_app: Flask) -> None:
    reference = refer_in(pseudo_app, "en")
    consent_given_days_ago(pseudo_app, reference, 340)
    run(pseudo_app)
    [reminder] = messages(pseudo_app, "consent_reminder")
    assert "⟦" not in reminder.body
    assert "?lang=" not in reminder.body


def test_each_letter_is_in_its_persons_language_with_the_language_in_its_link(pseudo_app: Flask) -> None:
    references = [refer_in(pseudo_app, "ar"), refer_in(pseudo_app, "en")]
    for reference in references:
        consent_given_days_ago(pseudo_app, reference, 340)
    run(pseudo_app)
    with pseudo_app.app_context():
        today = local_date(utcnow())
        found = letters.letters_for(today)
        pdf = letters.letters_pdf(found, today)
    assert [(letter.reference, letter.language) for letter in found] == list(zip(references, ["ar", "en"], strict=True))
    assert found[0].link.endswith("?lang=ar") and "?lang=" not in found[1].link
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    assert "⟦" in pages[0] and "⟦" not in pages[1]


def test_the_answer_email_is_in_the_persons_language_whatever_browser_answers(pseudo_app: Flask) -> None:
    """A letter's code can be typed into any browser: the confirmation still goes out in the person's language."""
    reference = refer_in(pseudo_app, "pl")
    consent_given_days_ago(pseudo_app, reference, 340)
    run(pseudo_app)
    [reminder] = messages(pseudo_app, "consent_reminder")
    link = next(word for word in reminder.body.split() if "/consent/reconfirm/" in word).split("?")[0]
    english_browser = public(pseudo_app)
    path = "/consent/reconfirm/" + link.split("/consent/reconfirm/")[1]
    english_browser.post(path, BIRTHDAY, expect=302)
    english_browser.post(f"{path}/answer", {"decision": "keep"}, expect=302)
    [answer] = messages(pseudo_app, "consent_answer")
    assert "⟦" in answer.subject and "⟦" in answer.body
    withdraw = next(word for word in answer.body.split() if "/consent/withdraw/" in word)
    assert withdraw.endswith("?lang=pl")


def test_a_right_to_left_letter_keeps_the_phone_number_s_digits_in_order(pseudo_app: Flask) -> None:
    reference = refer_in(pseudo_app, "ar")
    consent_given_days_ago(pseudo_app, reference, 340)
    run(pseudo_app)
    team = pseudo_app.config["PORTAL_SETTINGS"].team
    with pseudo_app.test_request_context():
        today = local_date(utcnow())
        html = letters.batch_html("ar", letters.letters_for(today), today)
    assert f"\u2066{team.phone}\u2069" in html

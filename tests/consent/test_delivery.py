"""Reminders reach a real SMTP server with nothing personal in them; letters carry a code and a QR code that work."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pypdfium2
import pytest
import zxingcpp
from flask import Flask
from pypdf import PdfReader

from portal import db
from portal.models import AuditEvent, utcnow
from portal.services import letters, signed_links
from portal.services.due_dates import local_date
from tests.conftest import PageClient, make_app
from tests.consent.conftest import BIRTHDAY, by_email, consent_given_days_ago, links
from tests.consent.test_reminders import run
from tests.support.journey import PAGES
from tests.support.smtp import SMTPServer
from tests.support.staff import sign_in_as


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app: Flask, smtp_server: SMTPServer) -> Iterator[Flask]:
    mailing = make_app(
        app.config["PORTAL_SETTINGS"].database_url, smtp_host=smtp_server.host, smtp_port=smtp_server.port
    )
    mailing.config["PORTAL_SETTINGS"].consent_link_rate_limit = "10000 per minute"
    yield mailing
    mailing.extensions["engine"].dispose()


def deliver(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output


PLAIN_FORMAT = {**PAGES["communication"], "formats": ["large_print"]}


def test_a_reminder_arrives_by_smtp_with_a_working_link_and_nothing_personal(mail_app, smtp_server):
    client = PageClient(mail_app.test_client())
    reference = by_email(client, communication=PLAIN_FORMAT)
    consent_given_days_ago(mail_app, reference, 340)
    run(mail_app)
    deliver(mail_app)
    [mail] = [m for m in smtp_server.received if "reconfirm" in m.message["Subject"].lower()]
    assert mail.rcpt_tos == ["sian@example.com"]
    for personal in ("Siân", "O'Neil", "2000", "NR1", "autism", "placement"):
        assert personal not in mail.body
    path = re.search(r"http://[^/]+(/consent/reconfirm/\S+)", mail.body).group(1)
    assert client.get(path).h1 == "What is your date of birth?"
    client.post(path, BIRTHDAY, expect=302)
    client.post(f"{path}/answer", {"decision": "keep"}, expect=302)
    deliver(mail_app)
    [answer] = [m for m in smtp_server.received if "answer" in m.message["Subject"].lower()]
    assert "You told us you want to stay on the DSR" in answer.body
    withdraw = re.search(r"http://[^/]+(/consent/withdraw/\S+)", answer.body).group(1)
    client.post(withdraw, BIRTHDAY, expect=302)
    client.post(f"{withdraw}/answer", {"decision": "remove"}, expect=302)
    assert client.get("/consent/answered").h1 == "We have your request to come off the DSR"
    assert client.get(path).h1 == "This link no longer works"


def _letters_pdf(app: Flask) -> bytes:
    with app.test_request_context():
        today = local_date(utcnow())
        return letters.letters_pdf(letters.letters_for(today), today)


def test_the_letter_has_the_short_code_and_a_qr_code_that_decodes_to_the_link(client, app):
    reference = by_email(client, communication=PLAIN_FORMAT)
    consent_given_days_ago(app, reference, 340)
    run(app)
    [link] = links(app)
    pdf = _letters_pdf(app)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"{link.short_code[:4]} {link.short_code[4:]}" in text
    assert "Do you still want to be on the DSR?" in text and "Siân O'Neil-Jones" in text
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    [url] = decoded
    assert url.startswith("http://127.0.0.1:5000/consent/reconfirm/")
    with app.test_request_context():
        assert signed_links.find_live("reconfirm", url.rsplit("/", 1)[1]).id == link.id
    assert client.get(url.removeprefix("http://127.0.0.1:5000")).h1 == "What is your date of birth?"
    assert not set(link.short_code) & set("0O1I")


def test_the_letter_code_opens_the_same_page_as_the_link(client, app):
    reference = by_email(client)
    consent_given_days_ago(app, reference, 340)
    run(app)
    [link] = links(app)
    typed = f"{link.short_code[:4].lower()} {link.short_code[4:]}"
    assert client.get("/consent/code").h1 == "Enter the code from your letter"
    wrong = client.post("/consent/code", {"code": "ABCD EFGH"}, expect=200)
    assert wrong.error_summary == ["Check the code against your letter. If it still does not work, call the DSR team."]
    found = client.post("/consent/code", {"code": typed}, expect=302)
    assert client.get(found.response.location).h1 == "What is your date of birth?"


def test_the_team_downloads_the_day_s_letters_as_one_audited_pdf(client, app):
    reference = by_email(client)
    consent_given_days_ago(app, reference, 340)
    run(app)
    staff = PageClient(app.test_client())
    sign_in_as(app, staff.client)
    response = staff.client.get("/staff/consent/letters")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        [row] = db.session().query(AuditEvent).filter_by(action="consent_letters_download").all()
        assert row.record_refs == reference


def test_the_letters_need_a_signed_in_team_member(client, app):
    response = app.test_client().get("/staff/consent/letters")
    assert response.status_code in (302, 401, 403)

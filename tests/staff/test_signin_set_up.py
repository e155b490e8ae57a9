"""First sign-in: the set-up link, a password, an authenticator app, recovery codes; and recovery codes later."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import time_machine

from portal import db
from portal.services import staff_accounts
from tests.conftest import PageClient
from tests.staff.test_signin_support import (
    EMAIL,
    MONDAY_9AM,
    PASSWORD,
    account,
    audit_rows,
    emails_to,
    give_password,
    make_account,
)


def _set_up_link(app, email: str = EMAIL) -> str:
    with app.app_context(), db.unit_of_work():
        user = staff_accounts.create_staff(email, "triage")
        return staff_accounts.issue_setup_link(user).removeprefix("http://127.0.0.1:5000")


def _create_password(client: PageClient, link: str, password: str = PASSWORD):
    opened = client.client.get(link)
    assert opened.status_code == 302 and opened.location == "/staff/create-password"
    assert client.get("/staff/create-password").h1 == "Create a password"
    return client.post("/staff/create-password", {"password": password})


def _secret_shown(page) -> str:
    return page.text_of("#totp-secret").replace(" ", "")


def test_first_sign_in_from_set_up_link_to_recovery_codes(app, client):
    link = _set_up_link(app)
    with time_machine.travel(MONDAY_9AM, tick=False):
        page = _create_password(client, link, "password1234")
        assert page.status == 200 and page.error_summary[0].startswith("Your password is too common")
        page = client.post("/staff/create-password", {"password": PASSWORD})
        assert page.response.location == "/staff/create-password/done"
        assert client.get("/staff/create-password/done").h1 == "Your password has been created"

        page = give_password(client)
        assert page.response.location == "/staff/sign-in/set-up-authenticator"
        page = client.get("/staff/sign-in/set-up-authenticator")
        assert page.h1 == "Set up an authenticator app"
        qr_code = page.select("img")[0]
        assert qr_code["src"].startswith("data:image/svg+xml") and "QR code" in qr_code["alt"]
        secret = _secret_shown(page)
        assert re.fullmatch(r"[A-Z2-7]{32}", secret)
        assert secret not in (account(app).totp_secret_sealed or ""), "the secret is stored sealed"
        assert _secret_shown(client.get("/staff/sign-in/set-up-authenticator")) == secret, "a reload keeps it"

        wrong = client.post("/staff/sign-in/set-up-authenticator", {"code": "000000"})
        assert wrong.status == 200 and wrong.error_summary == [
            "Enter the 6-digit code your authenticator app shows now"
        ]
        assert client.get("/staff/queue", expect=302).response.location.startswith("/staff/sign-in")

        page = client.post("/staff/sign-in/set-up-authenticator", {"code": pyotp.TOTP(secret).now()})
        assert page.h1 == "Save your recovery codes"
        codes = [code.get_text() for code in page.select("#recovery-codes code")]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert client.get("/staff/queue").status == 200

    assert [action for action, _actor, _detail in audit_rows(app)] == [
        "password_set",
        "sign_in_failed",
        "mfa_set_up",
        "sign_in",
    ]
    emails = emails_to(app, EMAIL)
    assert [purpose for purpose, _s, _b in emails] == ["staff_password_set", "staff_mfa_set_up"]
    for _purpose, subject, body in emails:
        assert "If you did not expect this" in body
        for secret_value in (PASSWORD, secret, *codes):
            assert secret_value not in body and secret_value not in subject


def test_opening_a_set_up_link_uses_nothing_up_but_creating_the_password_does(app):
    link = _set_up_link(app)
    scanner = PageClient(app.test_client())
    assert scanner.client.get(link).status_code == 302
    assert _create_password(PageClient(app.test_client()), link).status == 302
    again = PageClient(app.test_client())
    page = again.get(link, expect=404)
    assert page.h1 == "This set-up link does not work"


def test_a_set_up_link_expires_after_24_hours(app):
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        link = _set_up_link(app)
        clock.shift(timedelta(hours=24, seconds=1))
        assert PageClient(app.test_client()).get(link, expect=404).h1 == "This set-up link does not work"


def test_a_new_link_replaces_the_old_one(app):
    link = _set_up_link(app)
    with app.app_context(), db.unit_of_work():
        staff_accounts.issue_setup_link(staff_accounts.find_by_email(EMAIL))
    assert PageClient(app.test_client()).get(link, expect=404).h1 == "This set-up link does not work"


def _recovery_codes(app, client: PageClient) -> tuple[str, list[str]]:
    secret = make_account(app, with_app=False)
    give_password(client)
    page = client.post("/staff/sign-in/set-up-authenticator", {"code": pyotp.TOTP(secret).now()})
    codes = [code.get_text() for code in page.select("#recovery-codes code")]
    client.post("/staff/sign-out", {})
    return secret, codes


def test_a_recovery_code_signs_in_once_instead_of_a_code(app, client):
    _secret, codes = _recovery_codes(app, client)
    give_password(client)
    page = client.get("/staff/sign-in/code")
    assert page.select("a[href^='/staff/sign-in/recovery-code']")
    assert client.get("/staff/sign-in/recovery-code").h1 == "Enter a recovery code"
    page = client.post("/staff/sign-in/recovery-code", {"code": codes[3].upper().replace("-", " ")})
    assert page.status == 302 and page.response.location == "/staff/"
    assert client.get("/staff/account").text_of("dl").endswith("Recovery codes left 9")
    client.post("/staff/sign-out", {})

    give_password(client)
    page = client.post("/staff/sign-in/recovery-code", {"code": codes[3]})
    assert page.status == 200
    assert page.error_summary == ["Enter one of your recovery codes. Each code works once"]
    assert client.post("/staff/sign-in/recovery-code", {"code": codes[4]}).status == 302

    assert ("recovery_code_used", EMAIL, "9 left") in audit_rows(app)
    used = [body for purpose, _s, body in emails_to(app, EMAIL) if purpose == "staff_recovery_code_used"]
    assert len(used) == 2 and not [body for body in used if codes[3] in body or codes[4] in body]


def test_no_password_code_or_set_up_link_reaches_the_logs(app, caplog):
    caplog.set_level("DEBUG")
    created = app.test_cli_runner().invoke(args=["staff", "create", EMAIL, "--role", "triage"])
    link = created.output.strip().splitlines()[-1].removeprefix("http://127.0.0.1:5000")
    client = PageClient(app.test_client())
    _create_password(client, link, "Canary-Password-4471 typed")
    with time_machine.travel(MONDAY_9AM, tick=False):
        give_password(client, password="Canary-Password-4471 typed")
        page = client.get("/staff/sign-in/set-up-authenticator")
        secret = _secret_shown(page)
        client.post("/staff/sign-in/set-up-authenticator", {"code": "991199"})
    assert caplog.text, "the requests were logged"
    for secret_value in (link.rsplit("/", 1)[1], "Canary-Password-4471", secret, "991199"):
        assert secret_value not in caplog.text

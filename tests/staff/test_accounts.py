"""`flask staff …` and the password rules: accounts are made, listed, reset and disabled from the command line."""

from __future__ import annotations

import re

import pytest

from portal import db
from portal.services import staff_accounts
from tests.conftest import PageClient
from tests.staff.test_signin_support import EMAIL, account, audit_rows, emails_to, make_account, sign_in

LINK = re.compile(r"http://127\.0\.0\.1:5000(/staff/set-up/[A-Za-z0-9_-]{40,})")


def _staff(app, *args: str):
    return app.test_cli_runner().invoke(args=["staff", *args])


def test_create_prints_a_one_time_set_up_link_and_stores_only_its_hash(app):
    result = _staff(app, "create", "New.Person@Example.NHS.uk", "--role", "admin")
    assert result.exit_code == 0, result.output
    assert "Created an admin account for new.person@example.nhs.uk." in result.output
    path = LINK.search(result.output).group(1)
    user = account(app, "new.person@example.nhs.uk")
    assert user.role == "admin" and user.password_hash is None
    token = path.rsplit("/", 1)[1]
    assert token not in repr(vars(user))
    actions = audit_rows(app)
    assert actions[0][0] == "staff_account_created" and actions[0][1].startswith("command line")
    assert actions[0][2] == "new.person@example.nhs.uk as admin"


def test_create_refuses_a_second_account_for_one_email_and_an_unknown_role(app):
    assert _staff(app, "create", EMAIL, "--role", "triage").exit_code == 0
    again = _staff(app, "create", EMAIL.upper(), "--role", "triage")
    assert again.exit_code == 1 and "already exists" in again.output
    assert _staff(app, "create", "other@example.nhs.uk", "--role", "superuser").exit_code == 2


def test_list_shows_each_account_its_state_and_last_sign_in(app):
    secret = make_account(app)
    _staff(app, "create", "waiting@example.nhs.uk", "--role", "admin")
    sign_in(PageClient(app.test_client()), secret)
    lines = _staff(app, "list").output.splitlines()
    assert lines[0].startswith(f"{EMAIL}\ttriage\tactive\tapp set up\tlast signed in ")
    assert lines[1] == "waiting@example.nhs.uk\tadmin\twaiting for set-up\tno app yet\tnever signed in"


def test_disable_stops_sign_in_and_is_audited(app):
    make_account(app)
    result = _staff(app, "disable", EMAIL)
    assert result.exit_code == 0 and "ended 0 session(s)" in result.output
    assert account(app).disabled_at is not None
    assert audit_rows(app)[-1][0:1] == ("staff_account_disabled",)
    assert "disabled" in _staff(app, "list").output
    assert _staff(app, "disable", "nobody@example.nhs.uk").exit_code == 1


def test_reset_password_signs_out_everywhere_emails_the_person_and_prints_a_new_link(app):
    secret = make_account(app)
    client = PageClient(app.test_client())
    sign_in(client, secret)
    result = _staff(app, "reset-password", EMAIL)
    assert result.exit_code == 0 and LINK.search(result.output)
    assert client.get("/staff/queue", expect=302).response.location.startswith("/staff/sign-in")
    assert [purpose for purpose, _s, _b in emails_to(app, EMAIL)] == ["staff_password_reset"]


def test_reset_authenticator_makes_the_person_set_up_an_app_again(app):
    make_account(app)
    assert _staff(app, "reset-authenticator", EMAIL).exit_code == 0
    assert account(app).totp_confirmed_at is None and account(app).totp_secret_sealed is None
    client = PageClient(app.test_client())
    client.get("/staff/sign-in")
    page = client.post("/staff/sign-in", {"email": EMAIL, "password": "correct horse battery staple"})
    assert page.response.location == "/staff/sign-in/set-up-authenticator"
    purposes = [purpose for purpose, _s, body in emails_to(app, EMAIL)]
    assert purposes == ["staff_mfa_reset"]


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short words", "Your password must be 12 characters or more"),
        ("password1234", "Your password is too common"),
        ("qwertyuiop123", "Your password is too common"),
        ("Sunshine2024!!", "Your password is too common"),
        ("triage@example.nhs.uk", "Your password must not be your email address"),
        ("x" * 257, "Your password must be 256 characters or fewer"),
    ],
)
def test_weak_passwords_are_refused(app, password, problem):
    with app.app_context():
        assert (staff_accounts.password_problem(password, EMAIL) or "").startswith(problem)


def test_a_long_uncommon_password_is_accepted_and_stored_as_argon2id(app):
    with app.app_context(), db.unit_of_work():
        assert staff_accounts.password_problem("correct horse battery staple", EMAIL) is None
        user = staff_accounts.create_staff(EMAIL, "triage", "correct horse battery staple")
        assert user.password_hash.startswith("$argon2id$")


def test_the_common_password_list_holds_the_10000_most_common():
    words = staff_accounts.COMMON_PASSWORDS.read_text().split("\n")
    assert len([w for w in words if w]) == 10_000
    assert words[:4] == ["123456", "123456789", "qwerty", "password"]

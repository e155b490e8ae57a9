"""Signing in: password, then a code; wrong answers look alike; lock-out; throttling; audit."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import time_machine
from bs4 import BeautifulSoup

from tests.conftest import PageClient, make_app
from tests.staff.test_signin_support import (
    EMAIL,
    MONDAY_9AM,
    PASSWORD,
    account,
    audit_rows,
    code_now,
    emails_to,
    give_password,
    make_account,
    sign_in,
    staff_cookie,
)

WRONG = "Enter a correct email address and password"


def _what_a_person_sees(page) -> str:
    """The page's main content, without the per-request CSRF token and the email typed."""
    main = BeautifulSoup(str(page.soup.select_one("main")), "html.parser")
    for box in main.select("input"):
        box.attrs.pop("value", None)
    return str(main)


def test_the_right_password_and_code_sign_in_and_open_the_queue(app, client):
    secret = make_account(app)
    page = sign_in(client, secret)
    assert page.status == 302 and page.response.location == "/staff/"
    assert client.get("/staff/queue").status == 200
    assert client.get("/staff/account").text_of("dl").startswith(f"Email address {EMAIL}")


def test_a_wrong_password_is_refused_with_one_message(app, client):
    make_account(app)
    page = give_password(client, password="not my password at all")
    assert page.status == 200
    assert page.error_summary == [WRONG]
    assert page.error_for("password") == f"Error: {WRONG}"
    assert staff_cookie(client) is None


def test_an_unknown_email_gets_the_same_status_and_page_as_a_wrong_password(app):
    make_account(app)
    known = give_password(PageClient(app.test_client()), password="not my password at all")
    unknown = give_password(PageClient(app.test_client()), email="nobody@example.nhs.uk")
    assert (unknown.status, unknown.error_summary) == (known.status, known.error_summary)
    assert _what_a_person_sees(unknown) == _what_a_person_sees(known)


def test_an_unknown_email_takes_as_long_as_a_wrong_password(app):
    """Both check a password hash: an unknown email that answered at once would give accounts away."""
    make_account(app)
    client = PageClient(app.test_client())
    client.get("/staff/sign-in")

    def timed(email: str) -> float:
        started = time.perf_counter()
        client.post("/staff/sign-in", {"email": email, "password": "not my password at all"}, expect=200)
        return time.perf_counter() - started

    known = statistics.median(timed(EMAIL) for _ in range(4))
    unknown = statistics.median(timed("nobody@example.nhs.uk") for _ in range(4))
    assert 0.5 < unknown / known < 2, f"unknown {unknown:.3f}s, known {known:.3f}s"


def test_ten_failures_lock_the_account_even_against_the_right_password_until_the_lock_ends(app, client):
    secret = make_account(app)
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        for _ in range(10):
            assert give_password(client, password="not my password at all").status == 200
        assert account(app).locked_until is not None
        locked = give_password(client)
        assert locked.status == 200 and locked.error_summary == [WRONG]

        clock.shift(timedelta(minutes=14))
        assert give_password(client).status == 200

        clock.shift(timedelta(minutes=2))
        page = sign_in(client, secret)
        assert page.status == 302 and page.response.location == "/staff/"
    actions = [action for action, _actor, _detail in audit_rows(app)]
    assert actions.count("sign_in_failed") == 12
    assert actions.count("sign_in_locked") == 1
    assert [purpose for purpose, _s, _b in emails_to(app, EMAIL)] == ["staff_locked"]


def test_wrong_codes_count_towards_the_lock_out(app, client):
    secret = make_account(app)
    with time_machine.travel(MONDAY_9AM, tick=False):
        give_password(client)
        for _ in range(9):
            assert client.post("/staff/sign-in/code", {"code": "000000"}).status == 200
        last = client.post("/staff/sign-in/code", {"code": "000000"})
        assert last.status == 302 and last.response.location == "/staff/sign-in"
        assert client.post("/staff/sign-in/code", {"code": code_now(secret)}).response.location == "/staff/sign-in"
        assert give_password(client).status == 200


def test_one_address_is_throttled_across_accounts(sqlite_template, tmp_path):
    import shutil

    path = tmp_path / "throttled.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", staff_signin_rate_limit="3 per minute")
    client = PageClient(app.test_client())
    client.get("/staff/sign-in")
    for number in range(3):
        page = client.post("/staff/sign-in", {"email": f"guess{number}@example.nhs.uk", "password": "x" * 12})
        assert page.status == 200
    page = client.post("/staff/sign-in", {"email": "guess9@example.nhs.uk", "password": "x" * 12})
    assert page.status == 429
    assert page.h1 == "Sorry, there have been too many attempts to sign in"
    app.extensions["engine"].dispose()


def test_a_wrong_code_is_refused(app, client):
    make_account(app)
    give_password(client)
    page = client.post("/staff/sign-in/code", {"code": "123456"})
    assert page.status == 200
    assert page.error_summary == ["Enter the 6-digit code your authenticator app shows now"]
    assert client.get("/staff/queue", expect=302).response.location.startswith("/staff/sign-in")


def test_a_code_from_the_last_30_seconds_works_but_an_older_one_has_expired(app, client):
    secret = make_account(app)
    with time_machine.travel(MONDAY_9AM, tick=False):
        give_password(client)
        assert client.post("/staff/sign-in/code", {"code": code_now(secret, seconds_ago=61)}).status == 200
        page = client.post("/staff/sign-in/code", {"code": code_now(secret, seconds_ago=30)})
        assert page.status == 302 and page.response.location == "/staff/"


def test_a_code_cannot_be_used_twice(app, client):
    secret = make_account(app)
    with time_machine.travel(MONDAY_9AM, tick=False):
        code = code_now(secret)
        give_password(client)
        assert client.post("/staff/sign-in/code", {"code": code}).status == 302
        other = PageClient(app.test_client())
        give_password(other)
        page = other.post("/staff/sign-in/code", {"code": code})
        assert page.status == 200
        assert other.get("/staff/queue", expect=302).response.location.startswith("/staff/sign-in")


def test_a_password_alone_reaches_no_staff_page(app, client):
    make_account(app)
    give_password(client)
    assert staff_cookie(client) is not None
    for url in ("/staff/queue", "/staff/account", "/staff/admin"):
        assert client.get(url, expect=302).response.location.startswith("/staff/sign-in")


def test_signing_in_gives_a_new_session_id_each_step(app, client):
    """Session fixation: a cookie planted before sign-in, or the half-signed-in one, is worth nothing after it."""
    secret = make_account(app)
    client.client.set_cookie("staff", "planted-by-someone-else")
    give_password(client)
    half_way = staff_cookie(client)
    assert half_way not in (None, "planted-by-someone-else")
    sign_in_page = client.post("/staff/sign-in/code", {"code": code_now(secret)})
    assert sign_in_page.status == 302
    signed_in = staff_cookie(client)
    assert signed_in not in (None, half_way, "planted-by-someone-else")

    replay = PageClient(app.test_client())
    replay.client.set_cookie("staff", half_way)
    assert replay.get("/staff/queue", expect=302).response.location.startswith("/staff/sign-in")


def test_after_signing_in_the_person_returns_to_the_page_they_asked_for_and_never_to_another_site(app, client):
    secret = make_account(app)
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        first = client.get("/staff/queue?kind=new", expect=302)
        assert first.response.location == "/staff/sign-in?next=/staff/queue"
        client.get(first.response.location)
        page = client.post(first.response.location, {"email": EMAIL, "password": PASSWORD})
        assert page.response.location == "/staff/sign-in/code?next=/staff/queue"
        page = client.post(page.response.location, {"code": code_now(secret)})
        assert page.response.location == "/staff/queue"

        clock.shift(timedelta(seconds=30))
        client.post("/staff/sign-out", {})
        give_password(client)
        page = client.post("/staff/sign-in/code?next=//evil.example/staff/", {"code": code_now(secret)})
        assert page.response.location == "/staff/"


def test_a_disabled_account_cannot_sign_in(app, client):
    make_account(app)
    assert app.test_cli_runner().invoke(args=["staff", "disable", EMAIL]).exit_code == 0
    assert give_password(client).error_summary == [WRONG]


def test_sign_in_failures_and_successes_are_audited_without_any_password(app, client):
    secret = make_account(app)
    give_password(client, email="nobody@example.nhs.uk", password="typed-secret-one")
    give_password(client, password="typed-secret-two")
    give_password(client)
    client.post("/staff/sign-in/code", {"code": "000000"})
    client.post("/staff/sign-in/code", {"code": code_now(secret)})
    rows = audit_rows(app)
    assert rows == [
        ("sign_in_failed", "unknown", "password"),
        ("sign_in_failed", EMAIL, "password"),
        ("sign_in_failed", EMAIL, "code"),
        ("sign_in", EMAIL, "authenticator app"),
    ]
    assert not [row for row in rows if "typed-secret" in repr(row)]

"""Staff sessions end when they should: sign-out, everywhere, disabling, idling, 12 hours; cookies are locked down."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet
from flask import Flask
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from portal.cli.database import upgrade
from tests.conftest import Page, PageClient, make_app
from tests.staff.test_signin_support import (
    EMAIL,
    MONDAY_9AM,
    PASSWORD,
    audit_rows,
    give_password,
    make_account,
    sign_in,
    staff_cookie,
)

SIGN_IN = "/staff/sign-in"


def _is_sent_to_sign_in(client: PageClient, url: str = "/staff/queue") -> bool:
    page = client.get(url, expect=302)
    return page.response.location.startswith(SIGN_IN)


def _with_cookie(app: Flask, token: str | None) -> PageClient:
    """Another browser that has (a copy of) this cookie."""
    other = PageClient(app.test_client())
    assert token
    other.client.set_cookie("staff", token)
    return other


def test_signing_out_ends_the_session_so_the_old_cookie_opens_nothing(app, client):
    secret = make_account(app)
    sign_in(client, secret)
    token = staff_cookie(client)
    page = client.post("/staff/sign-out", {})
    assert page.response.location == "/staff/signed-out"
    assert client.get("/staff/signed-out").h1 == "You have signed out"
    assert staff_cookie(client) is None
    assert _is_sent_to_sign_in(_with_cookie(app, token))
    assert ("sign_out", EMAIL, "") in audit_rows(app)


def test_the_header_sign_out_button_works_from_our_own_pages_without_a_token(app, client):
    """Browsers say `Sec-Fetch-Site: same-origin` for a form on our page; another site's form says otherwise."""
    secret = make_account(app)
    sign_in(client, secret)
    token = staff_cookie(client)
    forged = client.client.post("/staff/sign-out", headers={"Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 400
    assert client.get("/staff/queue").status == 200
    ours = client.client.post("/staff/sign-out", headers={"Sec-Fetch-Site": "same-origin"})
    assert ours.status_code == 302
    assert _is_sent_to_sign_in(_with_cookie(app, token))


def test_sign_out_everywhere_ends_every_session_of_that_person_only(app):
    secret = make_account(app)
    other_secret = make_account(app, "colleague@example.nhs.uk")
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        laptop, phone, colleague = (PageClient(app.test_client()) for _ in range(3))
        sign_in(laptop, secret)
        clock.shift(timedelta(seconds=30))
        sign_in(phone, secret)
        sign_in(colleague, other_secret, "colleague@example.nhs.uk")
        page = laptop.get("/staff/account")
        assert "Sign out everywhere" in page.text_of("main")
        assert laptop.post("/staff/sign-out-everywhere", {}).response.location == "/staff/signed-out"
        assert _is_sent_to_sign_in(laptop)
        assert _is_sent_to_sign_in(phone)
        assert colleague.get("/staff/queue").status == 200
    assert ("sign_out_everywhere", EMAIL, "2 sessions ended") in audit_rows(app)


def test_disabling_an_account_ends_its_sessions_at_once(app, client):
    secret = make_account(app)
    sign_in(client, secret)
    assert client.get("/staff/queue").status == 200
    result = app.test_cli_runner().invoke(args=["staff", "disable", EMAIL])
    assert result.exit_code == 0 and "ended 1 session" in result.output
    assert _is_sent_to_sign_in(client)


def test_a_session_left_idle_for_20_minutes_ends(app, client):
    secret = make_account(app)
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        sign_in(client, secret)
        clock.shift(timedelta(minutes=19))
        assert client.get("/staff/queue").status == 200
        clock.shift(timedelta(minutes=19))
        assert client.get("/staff/queue").status == 200, "using the session restarts the idle clock"
        clock.shift(timedelta(minutes=20, seconds=1))
        assert _is_sent_to_sign_in(client)


def test_the_idle_timeout_is_configurable(sqlite_template, tmp_path):
    path = tmp_path / "idle.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", staff_idle_minutes=5)
    client = PageClient(app.test_client())
    secret = make_account(app)
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        sign_in(client, secret)
        clock.shift(timedelta(minutes=5, seconds=1))
        assert _is_sent_to_sign_in(client)
    app.extensions["engine"].dispose()


def test_an_idle_timeout_over_30_minutes_is_refused():
    from portal.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="STAFF_IDLE_MINUTES"):
        load_settings({"env": "test", "staff_idle_minutes": 31})


def test_a_session_ends_after_12_hours_however_busy(app, client):
    secret = make_account(app)
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        sign_in(client, secret)
        for _ in range(47):
            clock.shift(timedelta(minutes=15))
            assert client.get("/staff/queue").status == 200
        clock.shift(timedelta(minutes=15))
        assert _is_sent_to_sign_in(client)


def test_staff_pages_are_never_cached(app, client):
    secret = make_account(app)
    assert client.get(SIGN_IN).response.headers["Cache-Control"] == "no-store"
    sign_in(client, secret)
    assert client.get("/staff/account").response.headers["Cache-Control"] == "no-store"


# -- production cookies -----------------------------------------------------------


@pytest.fixture
def production_app(sqlite_template, tmp_path, monkeypatch):
    path = tmp_path / "production.sqlite3"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ENCRYPTION_KEYS", Fernet.generate_key().decode())
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    app = make_app(f"sqlite:///{path}", env="production")
    with app.app_context():
        upgrade()
    yield app
    app.extensions["engine"].dispose()


def test_in_production_the_cookie_is_host_only_secure_httponly_and_strict(production_app):
    make_account(production_app)
    client = production_app.test_client()
    https = {"base_url": "https://portal.example.nhs.uk", "headers": {"Referer": "https://portal.example.nhs.uk/"}}
    form = Page(client.get("/staff/sign-in", **https))
    token = form.soup.select_one("input[name=csrf_token]")["value"]
    response = client.post("/staff/sign-in", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}, **https)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    set_cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("__Host-staff="))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in set_cookie.split(";")[1:]}
    assert set(attributes) == {"secure", "httponly", "path", "samesite"}
    assert attributes["path"] == "Path=/" and attributes["samesite"] == "SameSite=Strict"


# -- nobody reaches a staff page without signing in ---------------------------------

PUBLIC_STAFF_PAGES = {
    "staff.home",
    "staff.sign_in",
    "staff.sign_in_code",
    "staff.sign_in_recovery_code",
    "staff.set_up_authenticator",
    "staff.set_up_link",
    "staff.create_password",
    "staff.password_created",
    "staff.sign_out",
    "staff.signed_out",
    "staff.sso_start",
    "staff.sso_callback",
}


def _url_for(rule: Rule) -> str:
    """The rule's address with a plausible value for each argument (a reference, a number, a choice)."""
    url = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):
            value = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            value = "1"
        else:
            value = "DSR-ABCD-EFGH" if "reference" in name else "x"
        url = re.sub(rf"<(?:[^>:]*:)?{name}>", value, url)
    return url


def _staff_rules(app: Flask):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("staff.")]


def test_only_the_sign_in_pages_are_open_to_the_public(app):
    public = {rule.endpoint for rule in _staff_rules(app) if app.view_functions[rule.endpoint].required_role is None}
    assert public == PUBLIC_STAFF_PAGES


def _every_staff_request(app: Flask):
    for rule in _staff_rules(app):
        if rule.endpoint in PUBLIC_STAFF_PAGES:
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            yield method, _url_for(rule), app.view_functions[rule.endpoint].required_role


def test_a_member_of_the_public_is_sent_to_sign_in_from_every_staff_page(app):
    client = PageClient(app.test_client())
    checked = 0
    for method, url, _role in _every_staff_request(app):
        page = client.client.get(url) if method == "GET" else client.post(url, {}).response
        assert page.status_code == 302, f"{method} {url}: {page.status_code}"
        assert page.location.startswith(SIGN_IN), f"{method} {url} → {page.location}"
        checked += 1
    assert checked >= 5


def test_someone_who_gave_only_a_password_is_sent_to_sign_in_from_every_staff_page(app, client):
    make_account(app)
    give_password(client)
    for method, url, _role in _every_staff_request(app):
        response = client.client.get(url) if method == "GET" else client.post(url, {}).response
        assert response.status_code == 302 and response.location.startswith(SIGN_IN), f"{method} {url}"


def test_triage_staff_are_refused_every_admin_page(app, client):
    secret = make_account(app)
    sign_in(client, secret)
    admin_requests = [(m, u) for m, u, role in _every_staff_request(app) if role == "admin"]
    assert admin_requests
    for method, url in admin_requests:
        response = client.client.get(url) if method == "GET" else client.post(url, {}).response
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"

"""Single sign-on with a real OpenID provider on 127.0.0.1: who gets in, what is refused, what is audited.

The browser's part is played by hand: the Flask test client for our pages,
`requests` for the provider's, following each redirect between them.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask

from portal import db
from portal.config import ConfigError, load_settings
from portal.services import staff_accounts
from tests.conftest import Page, PageClient, make_app
from tests.staff.test_signin_support import (
    EMAIL,
    account,
    audit_rows,
    code_now,
    give_password,
    make_account,
    staff_cookie,
)
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIDProvider, new_signing_key

REFUSED = "You cannot sign in with this account"


@pytest.fixture(scope="module")
def provider() -> Iterator[OpenIDProvider]:
    server = OpenIDProvider().start()
    yield server
    server.stop()


def _sso_app(sqlite_template: Path, tmp_path: Path, provider: OpenIDProvider, **overrides: object) -> Flask:
    path = tmp_path / "portal.sqlite3"
    shutil.copy(sqlite_template, path)
    return make_app(
        f"sqlite:///{path}",
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        **overrides,
    )


@pytest.fixture
def sso_app(sqlite_template: Path, tmp_path: Path, provider: OpenIDProvider) -> Iterator[Flask]:
    """The portal with single sign-on on; the provider's MFA is not trusted (the default)."""
    provider.reset()
    app = _sso_app(sqlite_template, tmp_path, provider)
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def trusting_app(sqlite_template: Path, tmp_path: Path, provider: OpenIDProvider) -> Iterator[Flask]:
    """The portal with single sign-on on, trusting the provider's MFA."""
    provider.reset()
    app = _sso_app(sqlite_template, tmp_path, provider, oidc_provider_enforces_mfa=True)
    yield app
    app.extensions["engine"].dispose()


def go_to_provider(client: PageClient, start: str = "/staff/sign-in/sso") -> str:
    """Press "Sign in with NHSmail"; returns where the provider sends the browser back to (our callback)."""
    ours = client.client.get(start)
    assert ours.status_code == 302, ours.status_code
    theirs = requests.get(ours.location, allow_redirects=False, timeout=10)
    assert theirs.status_code == 302, theirs.text
    return theirs.headers["Location"]


def come_back(client: PageClient, callback: str, expect: int = 200) -> Page:
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}", expect=expect)


def sso_sign_in(client: PageClient, start: str = "/staff/sign-in/sso", expect: int = 200) -> Page:
    return come_back(client, go_to_provider(client, start), expect)


def continue_link(page: Page) -> str:
    link = page.soup.select_one("main a")
    refresh = page.soup.select_one("meta[http-equiv=refresh]")["content"]
    assert refresh == f"0; url={link['href']}"
    return link["href"]


# -- signing in ---------------------------------------------------------------


def test_the_sign_in_page_offers_nhsmail_only_when_configured(app, sso_app):
    plain = PageClient(app.test_client()).get("/staff/sign-in")
    assert "NHSmail" not in plain.text_of("main")
    PageClient(app.test_client()).get("/staff/sign-in/sso", expect=404)
    page = PageClient(sso_app.test_client()).get("/staff/sign-in?next=/staff/downloads")
    button = page.soup.find("a", string=lambda text: text and "Sign in with NHSmail" in text)
    assert button is not None
    assert button["href"] == "/staff/sign-in/sso?next=/staff/downloads"


def test_the_provider_is_asked_with_state_nonce_and_pkce(sso_app, provider):
    client = PageClient(sso_app.test_client())
    asked = parse_qs(urlsplit(client.client.get("/staff/sign-in/sso").location).query)
    assert {"state", "nonce", "code_challenge"} <= set(asked)
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["redirect_uri"] == ["http://127.0.0.1:5000/staff/sign-in/sso/callback"]
    assert "openid" in asked["scope"][0].split() and "email" in asked["scope"][0].split()


def test_a_trusted_provider_signs_an_admin_straight_into_the_queue(trusting_app, provider):
    make_account(trusting_app, role="admin")
    client = PageClient(trusting_app.test_client())
    page = sso_sign_in(client)
    assert page.h1 == "Signing you in"
    assert continue_link(page) == "/staff/"
    assert page.response.headers["Cache-Control"] == "no-store"
    queue = client.get("/staff/queue")
    assert queue.h1 == "Intake queue"
    assert "Admin" in queue.text_of("header")
    assert client.get("/staff/admin").status == 200
    assert ("sign_in", EMAIL, "sso with the provider's MFA") in audit_rows(trusting_app)


def test_a_triage_account_gets_the_triage_role_only(trusting_app, provider):
    make_account(trusting_app, role="triage")
    client = PageClient(trusting_app.test_client())
    sso_sign_in(client)
    assert "Admin" not in client.get("/staff/queue").text_of("header")
    client.get("/staff/admin", expect=403)


def test_sso_goes_back_to_the_page_asked_for(trusting_app, provider):
    make_account(trusting_app)
    client = PageClient(trusting_app.test_client())
    page = sso_sign_in(client, "/staff/sign-in/sso?next=/staff/downloads")
    assert continue_link(page) == "/staff/downloads"
    page = sso_sign_in(client, "/staff/sign-in/sso?next=https://evil.example/")
    assert continue_link(page) == "/staff/"


def test_an_untrusted_provider_still_needs_the_authenticator_code(sso_app, provider):
    secret = make_account(sso_app)
    client = PageClient(sso_app.test_client())
    page = sso_sign_in(client)
    assert continue_link(page) == "/staff/sign-in/code?next=/staff/"
    assert client.client.get("/staff/queue").status_code == 302  # not signed in yet
    client.get("/staff/sign-in/code?next=/staff/")
    done = client.post("/staff/sign-in/code?next=/staff/", {"code": code_now(secret)})
    assert done.status == 302 and done.response.location == "/staff/"
    assert client.get("/staff/queue").h1 == "Intake queue"
    rows = audit_rows(sso_app)
    assert ("sign_in_started", EMAIL, "sso; authenticator code next") in rows
    assert rows[-1] == ("sign_in", EMAIL, "authenticator app")


def test_a_trusted_provider_without_mfa_in_the_token_still_needs_the_code(trusting_app, provider):
    make_account(trusting_app)
    provider.person.amr = ["pwd"]
    page = sso_sign_in(PageClient(trusting_app.test_client()))
    assert continue_link(page).startswith("/staff/sign-in/code")


def test_an_account_without_an_authenticator_sets_one_up_after_sso(sso_app, provider):
    make_account(sso_app, with_app=False)
    page = sso_sign_in(PageClient(sso_app.test_client()))
    assert continue_link(page).startswith("/staff/sign-in/set-up-authenticator")


def test_the_email_is_matched_whatever_its_case(trusting_app, provider):
    make_account(trusting_app)
    provider.person.email = "Triage@Example.NHS.uk"
    client = PageClient(trusting_app.test_client())
    sso_sign_in(client)
    assert client.get("/staff/queue").h1 == "Intake queue"


def test_sso_sessions_end_with_sign_out_everywhere(trusting_app, provider):
    make_account(trusting_app)
    client = PageClient(trusting_app.test_client())
    sso_sign_in(client)
    client.get("/staff/account")
    client.post("/staff/sign-out-everywhere", {}, expect=302)
    assert client.client.get("/staff/queue").status_code == 302


# -- refusals -----------------------------------------------------------------


def test_an_unknown_email_is_refused_like_a_disabled_account(trusting_app, provider):
    make_account(trusting_app)
    with trusting_app.app_context(), db.unit_of_work():
        staff_accounts.create_staff("gone@example.nhs.uk", "triage", "correct horse battery staple")
        staff_accounts.disable(staff_accounts.find_by_email("gone@example.nhs.uk"))
    provider.person.email = "stranger@example.nhs.uk"
    unknown_client = PageClient(trusting_app.test_client())
    unknown = sso_sign_in(unknown_client, expect=403)
    provider.person.email = "gone@example.nhs.uk"
    disabled_client = PageClient(trusting_app.test_client())
    disabled = sso_sign_in(disabled_client, expect=403)
    assert unknown.h1 == disabled.h1 == REFUSED
    assert unknown.text_of("main") == disabled.text_of("main")
    assert staff_cookie(unknown_client) is None and staff_cookie(disabled_client) is None
    failures = [row for row in audit_rows(trusting_app) if row[0] == "sign_in_failed"]
    assert failures == [
        ("sign_in_failed", "unknown", "sso: no staff account"),
        ("sign_in_failed", "gone@example.nhs.uk", "sso: account disabled or locked"),
    ]
    assert account(trusting_app, "stranger@example.nhs.uk") is None  # nobody is created by signing in


def test_an_email_the_provider_has_not_verified_is_refused(trusting_app, provider):
    make_account(trusting_app)
    provider.person.email_verified = False
    client = PageClient(trusting_app.test_client())
    assert sso_sign_in(client, expect=403).h1 == REFUSED
    assert staff_cookie(client) is None


def test_a_tampered_state_is_refused(trusting_app, provider):
    make_account(trusting_app)
    client = PageClient(trusting_app.test_client())
    callback = go_to_provider(client)
    query = parse_qs(urlsplit(callback).query)
    forged = urlencode({"code": query["code"][0], "state": query["state"][0] + "x"})
    page = client.get(f"/staff/sign-in/sso/callback?{forged}", expect=403)
    assert page.h1 == REFUSED and staff_cookie(client) is None
    assert provider.token_requests == []  # the code was never even spent
    assert audit_rows(trusting_app)[-1] == (
        "sign_in_failed",
        "unknown",
        "sso: provider answer refused: mismatching_state",
    )


def test_a_callback_in_another_browser_is_refused(trusting_app, provider):
    """Login CSRF: a code and state made for someone else's browser do not sign this one in."""
    make_account(trusting_app)
    callback = go_to_provider(PageClient(trusting_app.test_client()))
    victim = PageClient(trusting_app.test_client())
    assert come_back(victim, callback, expect=403).h1 == REFUSED
    assert staff_cookie(victim) is None


def test_a_replayed_code_is_refused(trusting_app, provider):
    make_account(trusting_app)
    client = PageClient(trusting_app.test_client())
    callback = go_to_provider(client)
    come_back(client, callback)
    second = PageClient(trusting_app.test_client())
    replay = go_to_provider(second)
    # The second browser's own state, with the first browser's spent code.
    state = parse_qs(urlsplit(replay).query)["state"][0]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    page = second.get(f"/staff/sign-in/sso/callback?{urlencode({'code': code, 'state': state})}", expect=403)
    assert page.h1 == REFUSED and staff_cookie(second) is None
    assert audit_rows(trusting_app)[-1][2] == "sso: provider answer refused: invalid_grant"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"nonce": "a-nonce-from-another-sign-in"}, "id_token refused: invalid_claim"),
        ({"aud": "some-other-service"}, "id_token refused: invalid_claim"),
        ({"aud": ["some-other-service"], "azp": CLIENT_ID}, "id_token refused: invalid_claim"),
        ({"iss": "https://login.example.com/someone-else"}, "id_token refused: invalid_claim"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "id_token refused: expired_token"),
    ],
    ids=["wrong nonce", "wrong audience", "audience list without us", "wrong issuer", "expired"],
)
def test_an_id_token_with_wrong_claims_is_refused(trusting_app, provider, change, reason):
    make_account(trusting_app)
    provider.claim_changes = change
    client = PageClient(trusting_app.test_client())
    page = sso_sign_in(client, expect=403)
    assert page.h1 == REFUSED and staff_cookie(client) is None
    assert audit_rows(trusting_app)[-1] == ("sign_in_failed", "unknown", f"sso: {reason}")


@pytest.mark.parametrize("kid", ["provider-key-1", "an-unknown-key"], ids=["same kid", "unknown kid"])
def test_an_id_token_signed_with_another_key_is_refused(trusting_app, provider, kid):
    make_account(trusting_app)
    provider.signing_key = new_signing_key(kid)
    client = PageClient(trusting_app.test_client())
    page = sso_sign_in(client, expect=403)
    assert page.h1 == REFUSED and staff_cookie(client) is None
    assert audit_rows(trusting_app)[-1][2].startswith("sso: id_token refused:")


def test_an_error_from_the_provider_is_refused(trusting_app, provider):
    client = PageClient(trusting_app.test_client())
    go_to_provider(client)
    page = client.get("/staff/sign-in/sso/callback?error=access_denied&error_description=no", expect=403)
    assert page.h1 == REFUSED
    assert audit_rows(trusting_app)[-1][2] == "sso: provider answer refused: access_denied"


def test_a_made_up_error_never_reaches_the_audit_log(trusting_app, provider):
    """Anyone can call the callback: its `error` text is the visitor's, so only an OAuth error code is kept."""
    client = PageClient(trusting_app.test_client())
    go_to_provider(client)
    client.get("/staff/sign-in/sso/callback?error=Call+0800+000+or+visit+evil.example", expect=403)
    assert audit_rows(trusting_app)[-1][2] == "sso: provider answer refused: other"


def test_abandoned_attempts_do_not_pile_up_in_the_cookie(trusting_app, provider):
    client = PageClient(trusting_app.test_client())
    for _attempt in range(20):
        client.client.get("/staff/sign-in/sso")
    with client.client.session_transaction() as session:
        assert len([key for key in session if key.startswith("_state_")]) == 1


def test_an_unreachable_provider_is_refused_without_a_server_error(sqlite_template, tmp_path, provider):
    app = make_app(
        f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        oidc_issuer="http://127.0.0.1:9",
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
    )
    shutil.copy(sqlite_template, tmp_path / "unused.sqlite3")
    page = PageClient(app.test_client()).get("/staff/sign-in/sso", expect=403)
    assert page.h1 == REFUSED
    app.extensions["engine"].dispose()


def test_no_token_reaches_the_audit_log_or_the_logs(trusting_app, provider, caplog):
    """Only the portal's own logging is searched: the test's "browser" (urllib3) logs the URLs it visits."""
    caplog.set_level(logging.DEBUG)
    make_account(trusting_app)
    client = PageClient(trusting_app.test_client())
    authorize = client.client.get("/staff/sign-in/sso").location
    portal_logs = caplog.text
    callback = requests.get(authorize, allow_redirects=False, timeout=10).headers["Location"]
    caplog.clear()
    assert come_back(client, callback).h1 == "Signing you in"
    portal_logs += caplog.text
    query = parse_qs(urlsplit(callback).query)
    secrets = [query["code"][0], query["state"][0], provider.token_requests[-1]["code_verifier"], CLIENT_SECRET]
    for place in (repr(audit_rows(trusting_app)), portal_logs):
        for secret in secrets:
            assert secret not in place


# -- local accounts still work ------------------------------------------------


def test_email_and_password_still_work_with_sso_on(sso_app, provider):
    secret = make_account(sso_app)
    client = PageClient(sso_app.test_client())
    page = give_password(client)
    assert page.status == 302 and page.response.location.startswith("/staff/sign-in/code")
    done = client.post("/staff/sign-in/code", {"code": code_now(secret)})
    assert done.status == 302
    assert client.get("/staff/queue").h1 == "Intake queue"


# -- configuration --------------------------------------------------------------


PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "x" * 40,
    "ENCRYPTION_KEYS": "unused-here",
    "DATABASE_URL": "sqlite://",
}


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"OIDC_ISSUER": "https://login.example.com/tenant/v2.0"}, "OIDC_CLIENT_ID, OIDC_CLIENT_SECRET must be set"),
        ({"OIDC_CLIENT_ID": "id", "OIDC_CLIENT_SECRET": "secret"}, "OIDC_ISSUER must be set"),
        (
            {"OIDC_ISSUER": "http://login.example.com/t", "OIDC_CLIENT_ID": "id", "OIDC_CLIENT_SECRET": "s"},
            "OIDC_ISSUER must be an https:// address",
        ),
    ],
    ids=["issuer only", "no issuer", "plain http"],
)
def test_production_refuses_to_start_with_half_a_single_sign_on(monkeypatch, given, problem):
    for name, value in {**PRODUCTION, **given}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=problem):
        load_settings()


def test_production_starts_with_all_or_none_of_single_sign_on(monkeypatch):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    assert load_settings().sso_enabled is False
    monkeypatch.setenv("OIDC_ISSUER", "https://login.example.com/tenant/v2.0/")
    monkeypatch.setenv("OIDC_CLIENT_ID", "id")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "secret")
    monkeypatch.setenv("OIDC_PROVIDER_ENFORCES_MFA", "true")
    settings = load_settings()
    assert settings.sso_enabled and settings.oidc_provider_enforces_mfa
    assert (settings.oidc_issuer, settings.oidc_display_name) == ("https://login.example.com/tenant/v2.0", "NHSmail")

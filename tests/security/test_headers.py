"""The security headers are on every response: every page, redirects, errors (404, 405, 413, 500) and built assets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cryptography.fernet import Fernet

from portal import assets
from tests.conftest import make_app
from tests.security.support import post_raw, routes, urls_for

ONE_YEAR = 365 * 24 * 3600
PRODUCTION_SECRET = "x" * 40


def _directives(response: Any) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def assert_secure_headers(response: Any, what: str, page: bool = True) -> None:
    """The headers SECURITY.md asks of every response; `page` responses also carry a nonce and no-store."""
    headers = response.headers
    csp = _directives(response)
    assert "frame-ancestors 'none'" in csp.get("frame-ancestors", ""), f"{what}: CSP frame-ancestors"
    assert "unsafe-inline" not in headers.get("Content-Security-Policy", ""), f"{what}: unsafe-inline in CSP"
    assert headers.get("X-Content-Type-Options") == "nosniff", f"{what}: nosniff"
    assert headers.get("Referrer-Policy") in {"no-referrer", "same-origin", "strict-origin-when-cross-origin"}, what
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", f"{what}: COOP"
    assert "camera=()" in headers.get("Permissions-Policy", ""), f"{what}: Permissions-Policy"
    if page:
        assert re.search(r"'nonce-[A-Za-z0-9_-]{16,}'", csp.get("script-src", "")), f"{what}: no nonce in script-src"
        assert "no-store" in headers.get("Cache-Control", ""), f"{what}: Cache-Control"


def _nonce(response: Any) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def test_every_get_route_sends_the_headers(app, carer_at_check):
    seen = 0
    for rule in routes(app, "GET"):
        for url in urls_for(rule):
            response = carer_at_check.client.get(url)
            assert response.status_code < 500, f"GET {url}: {response.status_code}"
            assert_secure_headers(response, f"GET {url}")
            seen += 1
    assert seen >= 20


def test_each_page_has_its_own_nonce_and_its_scripts_carry_it(client):
    first, second = client.get("/"), client.get("/")
    assert _nonce(first.response) != _nonce(second.response)
    scripts = first.select("script")
    assert scripts and all(s.get("nonce") == _nonce(first.response) for s in scripts)


def test_a_page_that_is_not_there_sends_the_headers(client):
    page = client.get("/no-such-page", expect=404)
    assert page.h1 == "Page not found"
    assert_secure_headers(page.response, "404")


def test_a_method_that_is_not_allowed_sends_the_headers(client):
    page = client.post("/", {}, expect=405)
    assert_secure_headers(page.response, "405")


def test_a_body_that_is_too_big_sends_the_headers(client):
    page = post_raw(client, "/referral/who", {"who": "a" * 1_100_000})
    assert page.status == 413
    assert_secure_headers(page.response, "413")


def test_a_server_error_shows_the_kind_page_with_the_headers(app):
    @app.get("/test-only/explode")
    def explode() -> str:
        raise RuntimeError("something broke")

    response = app.test_client().get("/test-only/explode")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    assert "something broke" not in response.get_data(as_text=True)
    assert_secure_headers(response, "500")


def _built_asset() -> str:
    return next(
        path.name
        for path in sorted(assets.DIST.iterdir())
        if path.suffix == ".css" and re.search(r"\.[0-9a-f]{12}\.css$", path.name)
    )


def test_a_built_asset_is_immutable_for_a_year_with_the_headers(client):
    response = client.client.get(f"/assets/{_built_asset()}")
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= ONE_YEAR
    assert_secure_headers(response, "asset", page=False)


@pytest.fixture
def production(monkeypatch, app):
    """The portal as production runs it, on the test's database."""
    url = str(app.extensions["engine"].url)
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_SECRET)
    monkeypatch.setenv("ENCRYPTION_KEYS", Fernet.generate_key().decode())
    monkeypatch.setenv("DATABASE_URL", url)
    production = make_app(url, env="production")
    yield production
    production.extensions["engine"].dispose()


def _hsts_max_age(response: Any) -> int:
    return int(re.search(r"max-age=(\d+)", response.headers.get("Strict-Transport-Security", "max-age=0")).group(1))


def test_production_pages_errors_and_assets_ask_for_https_for_a_year(production):
    browser = production.test_client()
    for url in ("/", "/referral/who", "/no-such-page", f"/assets/{_built_asset()}"):
        response = browser.get(url, base_url="https://localhost")
        assert _hsts_max_age(response) >= ONE_YEAR, url
        assert_secure_headers(response, url, page=not url.startswith("/assets/"))


def test_production_session_cookie_is_host_only_secure_httponly_and_samesite(production):
    browser = production.test_client()
    https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/referral/who"}}
    page = browser.get("/referral/who", base_url="https://localhost")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = browser.post("/referral/who", data={"csrf_token": token, "who": "self"}, **https)
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("__Host-")]
    assert cookies, response.headers.getlist("Set-Cookie")
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookies[0].split(";")}
    assert "secure" in attributes and "httponly" in attributes
    assert attributes.get("samesite", "").lower() in {"samesite=lax", "samesite=strict"}
    assert attributes["path"] == "Path=/" and "domain" not in attributes

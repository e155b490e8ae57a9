"""Security headers on every response, 404 and 500 included, with a per-request CSP nonce."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
}


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def content_security_policy(nonce: str) -> str:
    return _CSP.format(nonce=nonce)


# Built assets run no script of their own: an SVG or a CSS file opened directly may do nothing.
ASSET_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; frame-ancestors 'none'"


def static_headers(production: bool) -> dict[str, str]:
    headers = dict(STATIC_HEADERS)
    if production:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def static_header_adder(production: bool):  # type: ignore[no-untyped-def]
    """For WhiteNoise, which serves built assets before Flask sees the request."""
    headers = {**static_headers(production), "Content-Security-Policy": ASSET_CSP}

    def add(response_headers, _path: str, _url: str) -> None:  # type: ignore[no-untyped-def]
        for name, value in headers.items():
            response_headers[name] = value

    return add


def init_app(app: Flask, production: bool) -> None:
    headers = static_headers(production)

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static" and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response

    app.jinja_env.globals["csp_nonce"] = csp_nonce

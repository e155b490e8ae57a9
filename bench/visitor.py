"""A person's browser, reduced to what the figures need: cookies, compression, forms.

Built on `http.client` so that it counts the bytes that really cross the wire
and costs the load generator little. It asks for `br, gzip` as a browser does.
"""

from __future__ import annotations

import gzip
import http.client
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import brotli

from tests.support.journey import PAGES

ACCEPT_ENCODING = "br, gzip"
USER_AGENT = "dsr-portal-bench"
INPUT_TAG = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'([a-z_-]+)="([^"]*)"')
REFERENCE = re.compile(r'class="app-reference">([^<]+)<')
ASSET_LINK = re.compile(r'<(?:link|script|img)\b[^>]*?(?:href|src)="(/[^"]+)"')
MAX_STEPS = 40


@dataclass
class Fetched:
    """One response: what crossed the wire and what the page says."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    header_bytes: int
    body_bytes: int
    text: str

    @property
    def location(self) -> str:
        """Where a redirect goes, as a path (with its query)."""
        parts = urlsplit(self.headers.get("location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def inputs(self) -> dict[str, str]:
        """Hidden and other inputs' values by name (the CSRF token, the submission id)."""
        found: dict[str, str] = {}
        for tag in INPUT_TAG.findall(self.text):
            attributes = dict(ATTRIBUTE.findall(tag))
            if "name" in attributes:
                found.setdefault(attributes["name"], attributes.get("value", ""))
        return found

    def assets(self) -> list[str]:
        """Paths of the stylesheets, scripts, icons and pictures the page asks for."""
        return list(dict.fromkeys(ASSET_LINK.findall(self.text)))


def _decode(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


@dataclass
class Visitor:
    """One person: one connection (reopened when the server closes it) and their cookies."""

    base_url: str
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)
    history: list[Fetched] = field(default_factory=list)
    keep_history: bool = False

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=self.timeout)

    def close(self) -> None:
        self.connection.close()

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> Fetched:
        headers = {"Accept-Encoding": ACCEPT_ENCODING, "User-Agent": USER_AGENT, "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        header_bytes = sum(len(f"{k}: {v}\r\n") for k, v in response.getheaders()) + len("HTTP/1.1 200 OK\r\n\r\n")
        encoding = response.getheader("Content-Encoding", "")
        content_type = response.getheader("Content-Type", "")
        text = _decode(raw, encoding).decode("utf-8", "replace") if content_type.startswith("text/") else ""
        fetched = Fetched(
            method,
            path,
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            header_bytes,
            len(raw),
            text,
        )
        if self.keep_history:
            self.history.append(fetched)
        return fetched

    def get(self, path: str) -> Fetched:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, Any]) -> Fetched:
        return self.request("POST", path, form)


class JourneyError(RuntimeError):
    """The walk did not end on a confirmation with a reference: a figure without it would mislead."""


def _expect(fetched: Fetched, status: int) -> Fetched:
    if fetched.status != status:
        raise JourneyError(f"{fetched.method} {fetched.path}: {fetched.status}, expected {status}")
    return fetched


def walk_referral(visitor: Visitor, answers: dict[str, dict[str, Any]] | None = None) -> str:
    """Walk the journey as a person would: read each page, answer it, send; returns the reference shown."""
    pages = {**PAGES, **(answers or {})}
    _expect(visitor.get("/"), 200)
    url = _expect(visitor.get("/referral"), 302).location
    for _ in range(MAX_STEPS):
        if url.startswith("/referral/check"):
            break
        page = _expect(visitor.get(url), 200)
        slug = url.removeprefix("/referral/").split("?")[0]
        form = {"csrf_token": page.inputs()["csrf_token"], **pages[slug]}
        url = _expect(visitor.post(url, form), 302).location
    else:
        raise JourneyError("the journey did not reach check your answers")
    check = _expect(visitor.get("/referral/check"), 200).inputs()
    sent = _expect(visitor.post("/referral/check", check), 302)
    if not sent.location.startswith("/referral/confirmation"):
        raise JourneyError(f"sending went to {sent.location}")
    found = REFERENCE.search(_expect(visitor.get("/referral/confirmation"), 200).text)
    if not found:
        raise JourneyError("the confirmation page shows no reference")
    return found.group(1).strip()

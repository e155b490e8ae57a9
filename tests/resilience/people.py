"""A person referring through real servers over HTTP, as a browser would, reduced to what the tests need.

Cookies are kept by hand: in production they are `__Host-` and `Secure`, and
a cookie jar would refuse to send them back over plain http on loopback.
Each page is fetched, its CSRF token read, the answers posted and the redirect
followed, each request on the next server in turn, so any server continues
any draft. No `Accept-Encoding`, so the servers spend nothing compressing.
"""

from __future__ import annotations

import html
import http.client
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.support.journey import PAGES

INPUT_VALUE = re.compile(r'<input\b[^>]*\bname="(csrf_token|submission_id)"[^>]*\bvalue="([^"]*)"')
REFERENCE = re.compile(r'class="app-reference">([^<]+)<')
MAX_PAGES = 40
# What a person typed that would identify them: none of it may reach a log.
PERSONAL_VALUES = (
    PAGES["name"]["full_name"],
    PAGES["contact-details"]["email"],
    PAGES["contact-details"]["phone"],
    PAGES["nhs-number"]["nhs_number"],
    PAGES["address"]["address_line_1"],
    PAGES["whats-happening"]["situation"],
)


class ServerGoneError(ConnectionError):
    """The request got no answer: the server died under it, or is not back yet."""


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    text: str

    def field(self, name: str) -> str:
        found = dict(INPUT_VALUE.findall(self.text))
        if name not in found:
            raise AssertionError(f"no {name} on the page (status {self.status})")
        return html.unescape(found[name])


@dataclass
class Person:
    """One person with their own cookies, moving between `servers` (base URLs) request by request."""

    servers: list[str]
    cookies: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    retries: int = 0

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> Answer:
        parts = urlsplit(self.servers[self.requests % len(self.servers)])
        self.requests += 1
        headers = {"Accept": "text/html", "User-Agent": "dsr-resilience-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            raise ServerGoneError(f"{method} {path}: {type(error).__name__}") from error
        finally:
            connection.close()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        location = urlsplit(response.getheader("Location", ""))
        return Answer(response.status, location.path + (f"?{location.query}" if location.query else ""), text)

    def pressing_again(self, method: str, path: str, form: dict[str, Any] | None = None, patience: float = 0) -> Answer:
        """Send; if the server died under it, wait and press again (as a person would), for `patience` seconds."""
        deadline = time.monotonic() + patience
        while True:
            try:
                return self.request(method, path, form)
            except ServerGoneError:
                if time.monotonic() >= deadline:
                    raise
                self.retries += 1
                time.sleep(0.2)

    def walk_to_check(self, patience: float = 0) -> Answer:
        """GET each page, POST its answers with the page's token, follow the redirect, until check your answers."""
        path = "/referral/who"
        for _ in range(MAX_PAGES):
            page = self.pressing_again("GET", path, patience=patience)
            assert page.status == 200, f"GET {path}: {page.status}"
            if path == "/referral/check":
                return page
            slug = path.removeprefix("/referral/").split("?")[0]
            form = {"csrf_token": page.field("csrf_token"), **PAGES[slug]}
            sent = self.pressing_again("POST", path, form, patience=patience)
            assert sent.status == 302, f"POST {path}: {sent.status}"
            path = sent.location
        raise AssertionError("the journey did not reach check your answers")

    def send(self, check: Answer, patience: float = 0) -> Answer:
        """Press "Send" on check your answers; returns the redirect."""
        form = {"csrf_token": check.field("csrf_token"), "submission_id": check.field("submission_id")}
        sent = self.pressing_again("POST", "/referral/check", form, patience=patience)
        assert sent.status == 302 and sent.location == "/referral/confirmation", (sent.status, sent.location)
        return sent

    def reference_shown(self, patience: float = 0) -> str:
        """The reference on the confirmation page: what the person was told had been received."""
        page = self.pressing_again("GET", "/referral/confirmation", patience=patience)
        found = REFERENCE.search(page.text)
        assert page.status == 200 and found, f"no reference on the confirmation page ({page.status})"
        return found.group(1).strip()

    def refer(self, patience: float = 0) -> tuple[str, str]:
        """The whole journey, sent once; returns (submission id, reference shown)."""
        check = self.walk_to_check(patience)
        self.send(check, patience)
        return check.field("submission_id"), self.reference_shown(patience)

"""A local stand-in for GOV.UK Notify's API on 127.0.0.1, for the tests.

It speaks the part of Notify's REST API the portal uses: `POST
/v2/notifications/email`. Like the real service it checks the bearer token,
a JWT signed (HS256) with the API key's secret, whose `iss` is the service id
and whose `iat` is within 30 seconds of now (the decoding is Notify's own,
from `notifications_python_client.authentication`); it answers 201 with
Notify's JSON, 400 for a missing field, 403 for a bad token. `fail_next(500)`
or `fail_next(429, 3)` makes it refuse the next sends, to show the outbox
retrying with backoff.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

from tests.support.postgres import free_port

SERVICE_ID = "6ba3ab70-1c5a-4f1b-8c2e-3c5f1c0d2a11"
SECRET = "2c9e8f4a-77a1-4b0e-9a53-5d0b9e6a1f42"
API_KEY = f"dsr_portal_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
ERRORS = {
    400: "BadRequestError",
    403: "AuthError",
    429: "RateLimitError",
    500: "Exception",
}


@dataclass(frozen=True)
class SentEmail:
    """One email Notify accepted: what the portal asked it to send."""

    notification_id: str
    email_address: str
    template_id: str
    personalisation: dict[str, str]
    reference: str | None


class NotifyServer:
    """`start()`, `stop()`; `sent` keeps every accepted email, `refused` counts refusals."""

    def __init__(self, service_id: str = SERVICE_ID, secret: str = SECRET) -> None:
        self.service_id = service_id
        self.secret = secret
        self.host = "127.0.0.1"
        self.port = free_port()
        self.sent: list[SentEmail] = []
        self.refused: list[int] = []
        self._failures: list[tuple[int, str]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def fail_next(self, status: int, times: int = 1, message: str = "Refused by the test") -> None:
        """Refuse the next `times` sends with `status` and Notify's `message` (say, its trial-mode 400)."""
        with self._lock:
            self._failures.extend([(status, message)] * times)

    def start(self) -> None:
        self._server = ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def answer(self, path: str, authorization: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """What Notify would answer to this request."""
        if path != "/v2/notifications/email":
            return 404, _error(404, "Not found")
        auth_error = self._check_token(authorization)
        if auth_error:
            return 403, _error(403, auth_error)
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            status, message = failure
            self.refused.append(status)
            return status, _error(status, message)
        try:
            request = json.loads(body)
        except ValueError:
            return 400, _error(400, "Invalid JSON supplied in POST data")
        missing = [name for name in ("email_address", "template_id") if not request.get(name)]
        if missing:
            return 400, _error(400, f"{missing[0]} is a required property")
        if "@" not in request["email_address"]:
            self.refused.append(400)
            return 400, _error(400, "email_address Not a valid email address", "ValidationError")
        return 201, self._accept(request)

    def _check_token(self, authorization: str) -> str:
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return "Unauthorized: authentication token must be provided"
        try:
            if get_token_issuer(token) != self.service_id:
                return "Invalid token: service not found"
            decode_jwt_token(token, self.secret)
        except TokenError as error:
            return error.message
        return ""

    def _accept(self, request: dict[str, Any]) -> dict[str, Any]:
        personalisation = request.get("personalisation") or {}
        email = SentEmail(
            str(uuid.uuid4()),
            request["email_address"],
            request["template_id"],
            personalisation,
            request.get("reference"),
        )
        with self._lock:
            self.sent.append(email)
        return {
            "id": email.notification_id,
            "reference": email.reference,
            "content": {
                "subject": personalisation.get("subject", ""),
                "body": personalisation.get("body", ""),
                "from_email": "dsr.portal@notifications.service.gov.uk",
                "one_click_unsubscribe_url": None,
            },
            "uri": f"{self.base_url}/v2/notifications/{email.notification_id}",
            "template": {
                "id": email.template_id,
                "version": 1,
                "uri": f"{self.base_url}/services/{self.service_id}/templates/{email.template_id}",
            },
        }


def _error(status: int, message: str, error: str = "") -> dict[str, Any]:
    return {"status_code": status, "errors": [{"error": error or ERRORS.get(status, "Error"), "message": message}]}


def _handler_for(server: NotifyServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, answer = server.answer(self.path, self.headers.get("Authorization", ""), self.rfile.read(length))
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            """Quiet: the test output is for the tests."""

    return Handler

"""A small, real OpenID Connect provider on 127.0.0.1 for the single sign-on tests.

It serves discovery, its signing keys, `/authorize` (which approves the
configured person at once and sends the browser back with a code and the
state) and `/token` (which checks the code, the client secret and the PKCE
verifier, and answers with an RS256 id_token signed by a key made at start-up).
A test can change the next id_token (`claim_changes`, `signing_key`) to play
a provider that lies or is impersonated.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.support.postgres import free_port

CLIENT_ID = "dsr-intake-test"
CLIENT_SECRET = "test-client-secret-not-used-anywhere-else"


def new_signing_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


@dataclass
class Person:
    """Who the provider says has signed in."""

    email: str
    email_verified: bool = True
    amr: list[str] = field(default_factory=lambda: ["pwd", "mfa"])


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str
    person: Person


class OpenIDProvider:
    """`start()`, then point the portal's `OIDC_ISSUER` at `issuer`; `stop()` at the end."""

    def __init__(self, host_name: str = "127.0.0.1") -> None:
        """`host_name="localhost"` makes the provider another site than a portal on 127.0.0.1, as in real life.

        With `asks_person` set, `/authorize` shows a page with a link back instead of
        redirecting at once, so the way back starts on the provider's site.
        """
        self.port = free_port()
        self.issuer = f"http://{host_name}:{self.port}"
        self.key = new_signing_key("provider-key-1")
        self.person = Person("triage@example.nhs.uk")
        self.claim_changes: dict[str, Any] = {}
        self.signing_key: RSAKey | None = None
        self.asks_person = False
        self.token_requests: list[dict[str, str]] = []
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", self.port, self._wsgi, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> OpenIDProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self, email: str = "triage@example.nhs.uk") -> None:
        self.person = Person(email)
        self.asks_person = False
        self.claim_changes = {}
        self.signing_key = None
        self.token_requests = []

    # -- the provider's pages ------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        pages = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
        }
        page = pages.get(request.path)
        response = page(request) if page else Response("not found", status=404)
        return response(environ, start_response)

    def _discovery(self, _request: Request) -> Response:
        return _json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "email", "profile"],
            }
        )

    def _jwks(self, _request: Request) -> Response:
        return _json(KeySet([self.key]).as_dict(private=False))

    def _authorize(self, request: Request) -> Response:
        """Approve at once: a person who is already signed in to the provider sees no page."""
        args = request.args
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            return Response("unknown client", status=400)
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            return Response("PKCE required", status=400)
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = _Grant(
                CLIENT_ID, args["redirect_uri"], args.get("nonce", ""), args["code_challenge"], self.person
            )
        back = f"{args['redirect_uri']}?{urlencode({'code': code, 'state': args.get('state', '')})}"
        if self.asks_person:  # the person presses a link on the provider's own page, as after typing a password
            page = f'<!doctype html><title>Provider</title><link rel="icon" href="data:,"><h1>Provider</h1><a href="{escape(back)}">Continue</a>'
            return Response(page, mimetype="text/html")
        return Response(status=302, headers={"Location": back})

    def _client_authenticated(self, request: Request) -> bool:
        if request.authorization is not None and request.authorization.type == "basic":
            given = (request.authorization.username, request.authorization.password)
        else:
            given = (request.form.get("client_id"), request.form.get("client_secret"))
        return given == (CLIENT_ID, CLIENT_SECRET)

    def _token(self, request: Request) -> Response:
        form = request.form
        self.token_requests.append(dict(form))
        if not self._client_authenticated(request):
            return _json({"error": "invalid_client"}, 401)
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("grant_type") != "authorization_code":
            return _json({"error": "invalid_grant"}, 400)
        if form.get("redirect_uri") != grant.redirect_uri:
            return _json({"error": "invalid_grant", "error_description": "redirect_uri"}, 400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant.code_challenge:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        return _json(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": self.id_token(grant),
            }
        )

    def id_token(self, grant: _Grant) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": hashlib.sha256(grant.person.email.encode()).hexdigest()[:20],
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            "email": grant.person.email,
            "email_verified": grant.person.email_verified,
            "amr": grant.person.amr,
        }
        claims.update(self.claim_changes)
        key = self.signing_key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json", headers={"Cache-Control": "no-store"})

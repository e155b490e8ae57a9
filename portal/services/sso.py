"""Single sign-on by OpenID Connect (NHSmail / Microsoft Entra ID), optional and off by default.

The provider proves who the person is; our database still decides whether
they may come in. Only an existing, enabled staff account with the same
verified email address signs in: nobody gets an account by signing in.
The provider's multi-factor sign-in counts only when the deployment says
it enforces one and the id_token says one was used (`amr` holds `mfa`);
otherwise the person still gives their authenticator code.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, Response, current_app, session
from joserfc.errors import JoseError

from portal.config import Settings
from portal.models import StaffUser
from portal.services import staff_accounts

CLIENT_NAME = "staff_sso"
OAUTH_ERROR_CODE = re.compile(r"[a-z_]{1,40}")
TIMEOUT_SECONDS = 10
# Authlib logs the PKCE verifier at DEBUG: keep its logger above that whatever the root level is.
logging.getLogger("authlib").setLevel(logging.WARNING)


class SignInRefused(Exception):  # noqa: N818 - a refusal, not a programming error
    """Single sign-on did not prove an account we can let in; `reason` is for the audit row only."""

    def __init__(self, reason: str, email: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.email = email


@dataclass(frozen=True)
class ProvedIdentity:
    """What a valid id_token told us about the person."""

    email: str
    provider_mfa: bool


def _settings() -> Settings:
    return current_app.config["PORTAL_SETTINGS"]


def enabled() -> bool:
    return _settings().sso_enabled


def _client(app: Flask):  # type: ignore[no-untyped-def]
    """The app's Authlib client, made on first use (the provider's metadata is fetched then, not at start-up)."""
    oauth = app.extensions.get("authlib.integrations.flask_client")
    if oauth is None:
        settings: Settings = app.config["PORTAL_SETTINGS"]
        oauth = OAuth(app)
        oauth.register(
            CLIENT_NAME,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret or None,
            server_metadata_url=f"{settings.oidc_issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": "openid email profile",
                "code_challenge_method": "S256",
                "default_timeout": TIMEOUT_SECONDS,
            },
        )
    return oauth.create_client(CLIENT_NAME)


def start(redirect_uri: str) -> Response:
    """Send the person to the provider with a fresh state, nonce and PKCE verifier (kept in our session)."""
    for key in [key for key in session if key.startswith(f"_state_{CLIENT_NAME}_")]:
        session.pop(key)  # an abandoned attempt's state: without this the cookie grows past 4 kB
    try:
        return _client(current_app).authorize_redirect(redirect_uri)
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused("provider unreachable") from error


def finish() -> ProvedIdentity:
    """Swap the code for tokens and check the id_token: issuer, audience, expiry, nonce, signature."""
    settings = _settings()
    client = _client(current_app)
    claims_options = {
        "iss": {"essential": True, "value": settings.oidc_issuer},
        "aud": {"essential": True, "value": settings.oidc_client_id},
        "sub": {"essential": True},
        "nonce": {"essential": True},
    }
    try:
        if client.load_server_metadata().get("issuer") != settings.oidc_issuer:
            raise SignInRefused("provider metadata names another issuer")
        token = client.authorize_access_token(claims_options=claims_options, leeway=60)
    except OAuthError as error:
        # `error` may come from the callback's query string: only an OAuth error code reaches the audit log.
        code = error.error if isinstance(error.error, str) and OAUTH_ERROR_CODE.fullmatch(error.error) else "other"
        raise SignInRefused(f"provider answer refused: {code}") from error
    except JoseError as error:
        raise SignInRefused(f"id_token refused: {error.error}"[:120]) from error
    except (requests.RequestException, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise SignInRefused(f"provider answer unusable: {type(error).__name__}") from error
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused("no id_token")
    return ProvedIdentity(email=verified_email(claims), provider_mfa=provider_mfa(claims, settings))


def verified_email(claims: dict) -> str:
    """The email address the provider vouches for.

    Standard providers say `email_verified`; Entra ID says `xms_edov` (the
    email's domain belongs to the tenant) once that optional claim is added.
    """
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SignInRefused("no email in id_token")
    if claims.get("email_verified") is not True and claims.get("xms_edov") is not True:
        raise SignInRefused("email not verified by provider")
    return staff_accounts.normalise_email(email)


def provider_mfa(claims: dict, settings: Settings) -> bool:
    """Trust the provider's second factor only when configured to and the token says one was used."""
    amr = claims.get("amr")
    return settings.oidc_provider_enforces_mfa and isinstance(amr, list) and "mfa" in amr


def account_for(identity: ProvedIdentity) -> StaffUser:
    """The existing, enabled, unlocked account with this email; no account is ever created here."""
    user = staff_accounts.find_by_email(identity.email)
    if user is None:
        raise SignInRefused("no staff account", email="unknown")
    if not staff_accounts.can_sign_in(user):
        raise SignInRefused("account disabled or locked", email=user.email)
    return user

"""The public session cookie: signed as Flask signs it, but sent again only when it needs to be."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature

# The cookie lives the draft timeout + 24 hours (config.py) and a save extends the draft by the timeout, so a cookie
# signed again whenever a save finds it older than this always outlives the draft it names.
REFRESH_AFTER = timedelta(hours=12)


class SignedSession(SecureCookieSession):
    """A session that knows when its cookie was signed (None for a new one)."""

    signed_at: datetime | None = None


class SessionCookie(SecureCookieSessionInterface):
    """The cookie is sent again when the session changes, or when a form is sent and the cookie is
    more than `REFRESH_AFTER` old; not on every page view or save.

    Signing it again cost 0.2 ms a page view, and as much again on each save (a tenth of a save's CPU).
    """

    session_class = SignedSession

    def open_session(self, app: Flask, request: Request) -> SignedSession | None:
        serializer = self.get_signing_serializer(app)
        value = request.cookies.get(self.get_cookie_name(app))
        if serializer is None or not value:
            return super().open_session(app, request)  # type: ignore[return-value]
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        if request.method in ("GET", "HEAD"):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(UTC) - signed_at >= REFRESH_AFTER

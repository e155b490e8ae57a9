"""Sign in with NHSmail (OpenID Connect), beside email and password: off unless configured.

Every refusal, whatever its cause, shows the same page with the same status,
so the page never says whether an account exists. The audit row says why.
The callback answers with a short page instead of a redirect: it is reached
from the provider's site, and a browser does not send our `SameSite=Strict`
staff cookie on a navigation another site started.
"""

from __future__ import annotations

from flask import Response, abort, current_app, make_response, render_template, request, session, url_for

from portal import db
from portal.extensions import limiter
from portal.services import audit, sso, staff_accounts, staff_sessions
from portal.staff import bp
from portal.staff.auth import cookie_name, public_staff_page, set_staff_cookie
from portal.staff.signin import _next_url, _sign_in_limit, _too_many

NEXT_KEY = "staff_sso_next"
# The callback asks the provider for tokens, so it shares the sign-in pages' budget per address.
throttled_get = limiter.shared_limit(_sign_in_limit, scope="staff-sign-in", methods=["GET"], on_breach=_too_many)


def _callback_url() -> str:
    """The redirect URI registered with the provider: fixed by `PUBLIC_BASE_URL`, not by the request's Host."""
    return current_app.config["PORTAL_SETTINGS"].public_base_url + url_for("staff.sso_callback")


def _refused(reason: str, actor: str) -> Response:
    with db.unit_of_work():
        audit.record("sign_in_failed", detail=f"sso: {reason}", actor=actor or "unknown")
    return make_response(render_template("staff/signin/sso_refused.html"), 403)


@bp.get("/sign-in/sso")
@public_staff_page
def sso_start():  # type: ignore[no-untyped-def]
    if not sso.enabled():
        abort(404)
    session[NEXT_KEY] = _next_url()
    try:
        return sso.start(_callback_url())
    except sso.SignInRefused as refusal:
        return _refused(refusal.reason, refusal.email)


@bp.get("/sign-in/sso/callback")
@public_staff_page
@throttled_get
def sso_callback():  # type: ignore[no-untyped-def]
    if not sso.enabled():
        abort(404)
    target = session.pop(NEXT_KEY, None) or url_for("staff.home")
    try:
        identity = sso.finish()
        with db.unit_of_work():
            user = sso.account_for(identity)
            earlier = staff_sessions.find_session(request.cookies.get(cookie_name()))
            if earlier is not None:
                staff_sessions.revoke(earlier)
            token = staff_sessions.start_session(user, mfa_passed=identity.provider_mfa)
            if identity.provider_mfa:
                staff_accounts.record_success(user)
                audit.record("sign_in", detail="sso with the provider's MFA", actor=user.email)
            else:
                audit.record("sign_in_started", detail="sso; authenticator code next", actor=user.email)
                step = "staff.set_up_authenticator" if user.totp_confirmed_at is None else "staff.sign_in_code"
                target = url_for(step, next=target)
    except sso.SignInRefused as refusal:
        return _refused(refusal.reason, refusal.email)
    response = make_response(render_template("staff/signin/sso_continue.html", next_url=target))
    response.headers["Cache-Control"] = "no-store"
    set_staff_cookie(response, token)
    return response

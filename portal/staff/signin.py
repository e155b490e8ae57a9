"""Sign-in: email and password, then a code from an authenticator app (set up at first sign-in).

Every wrong answer looks the same, whether the email is unknown, the password
wrong, or the account locked or disabled (ASVS 2.2.1, 5.0 6.3.8). A session
that has passed only the password can reach nothing but the code pages; passing
the code ends it and starts a new one, so no session id survives sign-in.
"""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import TooManyRequests
from wtforms import StringField, ValidationError

from forms import widgets
from portal import db
from portal.extensions import csrf, limiter
from portal.request_guard import is_own_page
from portal.services import audit, mfa, staff_accounts, staff_sessions
from portal.staff import bp
from portal.staff.auth import cookie_name, current_staff, public_staff_page, set_staff_cookie, staff_required

SIGN_IN_FAILED = _l("Enter a correct email address and password")
CODE_FAILED = _l("Enter the 6-digit code your authenticator app shows now")
RECOVERY_FAILED = _l("Enter one of your recovery codes. Each code works once")


# -- forms ------------------------------------------------------------------


class SecretField(StringField):
    """A password or code box that never sends back what was typed."""

    def _value(self) -> str:
        return ""


def _required(message: Any):  # type: ignore[no-untyped-def]
    def check(_form: FlaskForm, field: Any) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(message))

    return check


class StaffForm(FlaskForm):
    """A staff page's form; `error_items` feeds the error summary in the staff layout."""

    def error_items(self) -> list[dict[str, str]]:
        return [
            {"text": str(field.errors[0]), "href": f"#{field.id}"}
            for field in self
            if field.errors and field.name != "csrf_token"
        ]


class SignInForm(StaffForm):
    email = StringField(
        _l("Email address"),
        validators=[_required(_l("Enter your email address"))],
        widget=widgets.Input("email", autocomplete="username", spellcheck=False),
    )
    password = SecretField(
        _l("Password"),
        validators=[_required(_l("Enter your password"))],
        widget=widgets.Input("password", autocomplete="current-password"),
    )


CODE_WIDGET = widgets.Input(
    "text", autocomplete="one-time-code", inputmode="numeric", spellcheck=False, classes="nhsuk-input--width-10"
)


class CodeForm(StaffForm):
    code = SecretField(_l("Code"), validators=[_required(CODE_FAILED)], widget=CODE_WIDGET)


class RecoveryCodeForm(StaffForm):
    code = SecretField(
        _l("Recovery code"),
        validators=[_required(RECOVERY_FAILED)],
        widget=widgets.Input("text", autocomplete="off", spellcheck=False, classes="nhsuk-input--width-20"),
    )


class CreatePasswordForm(StaffForm):
    password = SecretField(
        _l("Create a password"),
        validators=[_required(_l("Enter a password"))],
        widget=widgets.Input("password", autocomplete="new-password"),
    )


# -- helpers ----------------------------------------------------------------


def _sign_in_limit() -> str:
    from flask import current_app

    return current_app.config["PORTAL_SETTINGS"].staff_signin_rate_limit


def _too_many(_limit: Any) -> Response:
    return make_response(render_template("staff/signin/too_many.html"), 429)


# One budget per client address shared by every page that checks a password or code.
throttled = limiter.shared_limit(_sign_in_limit, scope="staff-sign-in", methods=["POST"], on_breach=_too_many)


@bp.errorhandler(429)
def too_many_attempts(error: TooManyRequests) -> Response:
    """The sign-in pages' own "too many attempts" page (set by `_too_many`); others keep the general one."""
    if error.response is not None:
        return error.response
    return make_response(render_template("errors/429.html"), 429)


def _next_url() -> str:
    """Where to go after signing in: only a staff page of ours, never another site."""
    target = request.args.get("next", "")
    if is_own_page(target, "/staff/") and "sign-in" not in target:
        return target
    return url_for("staff.home")


def _carry_next(endpoint: str) -> str:
    target = request.args.get("next")
    return url_for(endpoint, next=target) if target else url_for(endpoint)


def _pending_session() -> staff_sessions.StaffSession | None:
    """The session of someone who has given their password but not yet a code."""
    found = staff_sessions.find_session(request.cookies.get(cookie_name()))
    return found if found is not None and not found.mfa_passed else None


def _signed_in(pending: staff_sessions.StaffSession, via: str) -> str:
    """The second factor is done: a new session, failures forgotten, an audit row."""
    staff_accounts.record_success(pending.user)
    token = staff_sessions.pass_mfa(pending)
    audit.record("sign_in", detail=via, actor=pending.user.email)
    return token


def _code_failed(pending: staff_sessions.StaffSession, step: str) -> bool:
    """Count a wrong code; returns True when the account is now locked (and the pending session ended)."""
    staff_accounts.record_failure(pending.user, step)
    if staff_accounts.is_locked(pending.user):
        staff_sessions.revoke(pending)
        return True
    return False


def _render(template: str, form: StaffForm, **context: Any) -> Response:
    """A page with its form; errors are shown with 200, as GOV.UK services do (the summary says what to fix)."""
    return make_response(render_template(template, form=form, **context))


# -- email and password -------------------------------------------------------


@bp.get("/")
@public_staff_page
def home():  # type: ignore[no-untyped-def]
    return redirect(url_for("staff.queue"))


@bp.route("/sign-in", methods=["GET", "POST"])
@public_staff_page
@throttled
def sign_in():  # type: ignore[no-untyped-def]
    if request.method == "GET" and current_staff() is not None:
        return redirect(_next_url())
    form = SignInForm()
    if not form.validate_on_submit():
        return _render("staff/signin/sign_in.html", form)
    with db.unit_of_work():
        user = staff_accounts.find_by_email(form.email.data or "")
        matches = staff_accounts.password_matches(user, form.password.data or "")
        if not matches or not staff_accounts.can_sign_in(user):
            staff_accounts.record_failure(user, "password")
            failed = True
        else:
            assert user is not None
            earlier = staff_sessions.find_session(request.cookies.get(cookie_name()))
            if earlier is not None:
                staff_sessions.revoke(earlier)
            token = staff_sessions.start_session(user, mfa_passed=False)
            set_up = user.totp_confirmed_at is None
            failed = False
    if failed:
        form.password.errors = [str(SIGN_IN_FAILED)]
        return _render("staff/signin/sign_in.html", form)
    response = redirect(_carry_next("staff.set_up_authenticator" if set_up else "staff.sign_in_code"))
    set_staff_cookie(response, token)
    return response


# -- the second factor ----------------------------------------------------------


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public_staff_page
@throttled
def sign_in_code():  # type: ignore[no-untyped-def]
    pending = _pending_session()
    if pending is None:
        return redirect(url_for("staff.sign_in"))
    if pending.user.totp_confirmed_at is None:
        return redirect(_carry_next("staff.set_up_authenticator"))
    return _second_factor(pending, CodeForm(), "code", mfa.verify_code, "authenticator app", "code", CODE_FAILED)


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@public_staff_page
@throttled
def sign_in_recovery_code():  # type: ignore[no-untyped-def]
    pending = _pending_session()
    if pending is None or pending.user.totp_confirmed_at is None:
        return redirect(url_for("staff.sign_in"))
    return _second_factor(
        pending,
        RecoveryCodeForm(),
        "recovery_code",
        mfa.use_recovery_code,
        "recovery code",
        "recovery code",
        RECOVERY_FAILED,
    )


def _second_factor(pending, form, page: str, check, method: str, failure: str, failed_message):  # type: ignore[no-untyped-def]
    """An authenticator or recovery code: sign in on success, count a failure (and lock) otherwise."""
    template = f"staff/signin/{page}.html"
    if not form.validate_on_submit():
        return _render(template, form)
    with db.unit_of_work():
        if staff_accounts.can_sign_in(pending.user) and check(pending.user, form.code.data or ""):
            token = _signed_in(pending, method)
        else:
            token = None
            locked = _code_failed(pending, failure)
    if token is None:
        if locked:
            return redirect(url_for("staff.sign_in"))
        form.code.errors = [str(failed_message)]
        return _render(template, form)
    response = redirect(_next_url())
    set_staff_cookie(response, token)
    return response


@bp.route("/sign-in/set-up-authenticator", methods=["GET", "POST"])
@public_staff_page
@throttled
def set_up_authenticator():  # type: ignore[no-untyped-def]
    pending = _pending_session()
    if pending is None:
        return redirect(url_for("staff.sign_in"))
    user = pending.user
    if user.totp_confirmed_at is not None:
        return redirect(_carry_next("staff.sign_in_code"))
    form = CodeForm()
    codes, token, locked = None, None, False
    with db.unit_of_work():
        secret = mfa.pending_secret(user)
        if form.validate_on_submit():
            codes = mfa.confirm_set_up(user, form.code.data or "") if staff_accounts.can_sign_in(user) else None
            if codes is not None:
                token = _signed_in(pending, "authenticator app set up")
            else:
                locked = _code_failed(pending, "set-up code")
    if locked:
        return redirect(url_for("staff.sign_in"))
    if codes is not None and token is not None:
        response = _render("staff/signin/recovery_codes.html", form, codes=codes, next_url=_next_url())
        set_staff_cookie(response, token)
        return response
    if request.method == "POST" and not form.errors:
        form.code.errors = [str(CODE_FAILED)]
    return _render(
        "staff/signin/set_up_authenticator.html",
        form,
        qr_code=mfa.qr_code_data_uri(user, secret),
        secret=mfa.grouped(secret),
    )


# -- set-up links -------------------------------------------------------------


@bp.get("/set-up/<token>")
@public_staff_page
def set_up_link(token: str):  # type: ignore[no-untyped-def]
    """Opening the link uses nothing up (mail scanners open links): it leads to the password page."""
    if staff_accounts.find_by_setup_token(token) is None:
        return render_template("staff/signin/link_expired.html"), 404
    session["staff_setup_token"] = token
    return redirect(url_for("staff.create_password"))


@bp.route("/create-password", methods=["GET", "POST"])
@public_staff_page
@throttled
def create_password():  # type: ignore[no-untyped-def]
    token = session.get("staff_setup_token", "")
    if staff_accounts.find_by_setup_token(token) is None:
        return render_template("staff/signin/link_expired.html"), 404
    form = CreatePasswordForm()
    if form.validate_on_submit():
        try:
            with db.unit_of_work():
                user = staff_accounts.use_setup_link(token, form.password.data or "")
        except staff_accounts.AccountError as problem:
            form.password.errors = [str(problem)]
        else:
            session.pop("staff_setup_token", None)
            if user is None:
                return render_template("staff/signin/link_expired.html"), 404
            return redirect(url_for("staff.password_created"))
    return _render("staff/signin/create_password.html", form)


@bp.get("/create-password/done")
@public_staff_page
def password_created():  # type: ignore[no-untyped-def]
    return render_template("staff/signin/password_created.html")


# -- signing out --------------------------------------------------------------


def _signed_out_response() -> Response:
    response = redirect(url_for("staff.signed_out"))
    response.delete_cookie(cookie_name(), path="/", secure=cookie_name().startswith("__Host-"), samesite="Strict")
    return response


@bp.post("/sign-out")
@public_staff_page
@csrf.exempt
def sign_out():  # type: ignore[no-untyped-def]
    """The header's sign-out button cannot carry a token, so a same-origin fetch stands in for one."""
    if request.headers.get("Sec-Fetch-Site") != "same-origin":
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError as error:
            raise CSRFError(str(error)) from error
    with db.unit_of_work():
        found = staff_sessions.find_session(request.cookies.get(cookie_name()))
        if found is not None:
            staff_sessions.revoke(found)
            audit.record("sign_out", actor=found.user.email)
    return _signed_out_response()


@bp.post("/sign-out-everywhere")
@staff_required("triage")
def sign_out_everywhere():  # type: ignore[no-untyped-def]
    user = current_staff()
    assert user is not None
    with db.unit_of_work():
        ended = staff_sessions.revoke_all(user)
        audit.record("sign_out_everywhere", detail=f"{ended} sessions ended")
    return _signed_out_response()


@bp.get("/signed-out")
@public_staff_page
def signed_out():  # type: ignore[no-untyped-def]
    return render_template("staff/signin/signed_out.html")


@bp.get("/account")
@staff_required("triage")
def account():  # type: ignore[no-untyped-def]
    user = current_staff()
    assert user is not None
    return render_template("staff/signin/account.html", codes_left=mfa.recovery_codes_left(user))

"""Sign-in (password, then TOTP; TOTP set-up at first sign-in), sign-out, sign out everywhere."""

from flask import redirect, render_template, url_for

from portal.staff import bp
from portal.staff.auth import public_staff_page


@bp.get("/")
@public_staff_page
def home():  # type: ignore[no-untyped-def]
    return redirect(url_for(".queue"))


@bp.get("/sign-in")
@public_staff_page
def sign_in():  # type: ignore[no-untyped-def]
    return render_template("staff/not_available.html"), 503


@bp.post("/sign-out")
@public_staff_page
def sign_out():  # type: ignore[no-untyped-def]
    return redirect(url_for(".sign_in"))

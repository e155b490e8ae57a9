"""The DSR team's intake: sign-in, the queue, records, downloads, audit.

Every route is wrapped in `staff_required(role)` or marked `public_staff_page`;
a structural test fails when a new route has neither.
"""

from flask import Blueprint, redirect, render_template, url_for

from portal.staff.auth import public_staff_page

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/sign-in")
@public_staff_page
def sign_in():  # type: ignore[no-untyped-def]
    return render_template("staff/not_available.html"), 503


@bp.get("/")
@public_staff_page
def home():  # type: ignore[no-untyped-def]
    return redirect(url_for(".sign_in"))

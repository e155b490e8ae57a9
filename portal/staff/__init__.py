"""The DSR team's intake. Sign-in and the queue arrive with the staff intake issue;
until then nothing personal is reachable here."""

from flask import Blueprint, render_template

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
@bp.get("/intake/<reference>")
def sign_in_needed(reference: str | None = None):  # type: ignore[no-untyped-def]
    return render_template("staff/not_available.html"), 503

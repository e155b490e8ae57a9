"""The day's letters as one PDF, for the team to print and post: reconfirmations and confirmations of answers.

Letters hold names and addresses, so the download is audited like any other
and carries a server-made file name, `no-store` and `attachment`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Response, request

from portal import db
from portal.services import audit, letters
from portal.services.due_dates import local_date
from portal.staff import bp
from portal.staff.auth import staff_required


def _day() -> date:
    try:
        return date.fromisoformat(request.args.get("day", "")[:10])
    except ValueError:
        return local_date(datetime.now(UTC))


@bp.get("/consent/letters")
@staff_required("triage")
def consent_letters() -> Response:
    day = _day()
    with db.unit_of_work():
        todays = letters.letters_for(day)
        audit.record("consent_letters_download", [letter.reference for letter in todays], f"letters for {day}")
    body = letters.letters_pdf(todays, day)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="dsr-consent-letters-{day.isoformat()}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

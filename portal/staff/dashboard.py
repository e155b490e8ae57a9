"""The team's dashboard: counts, overdue, time to outcome, share reviewed within four weeks."""

from portal.staff import bp
from portal.staff.auth import staff_required


@bp.get("/dashboard")
@staff_required("triage")
def dashboard():  # type: ignore[no-untyped-def]
    return "dashboard", 200

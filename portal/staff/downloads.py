"""Downloads: one referral as PDF, selections as CSV, Excel and FHIR."""

from portal.staff import bp
from portal.staff.auth import staff_required


@bp.get("/downloads")
@staff_required("triage")
def downloads():  # type: ignore[no-untyped-def]
    return "downloads", 200

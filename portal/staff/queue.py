"""The intake queue: everything that needs the team, with due dates; claim and release."""

from portal.staff import bp
from portal.staff.auth import staff_required


@bp.get("/queue")
@staff_required("triage")
def queue():  # type: ignore[no-untyped-def]
    return "queue", 200

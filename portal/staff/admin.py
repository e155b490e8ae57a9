"""Admin: staff accounts, the audit log, retention settings."""

from portal.staff import bp
from portal.staff.auth import staff_required


@bp.get("/admin")
@staff_required("admin")
def admin_home():  # type: ignore[no-untyped-def]
    return "admin", 200

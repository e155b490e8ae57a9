"""The DSR team's intake: sign-in, the queue, records, downloads, audit.

Every route is wrapped in `staff_required(role)` or marked `public_staff_page`;
a structural test fails when a new route has neither.
"""

from flask import Blueprint, has_request_context, request, url_for
from flask_babel import gettext as _

from portal.staff.auth import current_staff

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.app_context_processor
def staff_context() -> dict[str, object]:
    """The signed-in staff member and the staff navigation, for staff templates."""
    if not has_request_context() or request.blueprint != "staff":
        return {}
    user = current_staff()
    navigation = []
    if user is not None:
        navigation = [
            {"href": url_for("staff.queue"), "text": _("Queue")},
            {"href": url_for("staff.dashboard"), "text": _("Dashboard")},
            {"href": url_for("staff.downloads"), "text": _("Downloads")},
            {"href": url_for("staff.keyed_referral"), "text": _("Key in a referral")},
        ]
        if user.role == "admin":
            navigation.append({"href": url_for("staff.admin_home"), "text": _("Admin")})
    return {"staff_user": user, "staff_navigation": navigation}


# Routes register on import; one module per job.
from portal.staff import admin, dashboard, downloads, keyed, letters, queue, records, signin, sso  # noqa: E402, F401

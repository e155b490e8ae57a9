"""Who is signed in to the staff area, and the role check every staff route carries.

The cookie holds only a random session token (`__Host-staff` in production);
the session itself is server-side (see `services.staff_sessions`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, abort, current_app, g, redirect, request, url_for

from portal import db
from portal.services import staff_sessions
from portal.services.staff_accounts import StaffUser

F = TypeVar("F", bound=Callable[..., Any])
ROLE_RANK = {"triage": 1, "admin": 2}


def cookie_name() -> str:
    production = current_app.config["PORTAL_SETTINGS"].env == "production"
    return "__Host-staff" if production else "staff"


def set_staff_cookie(response: Response, token: str) -> None:
    """The session token, for this site's pages only: `__Host-` pins it to our host, path `/`, HTTPS (3.4)."""
    response.set_cookie(
        cookie_name(),
        token,
        path="/",
        secure=cookie_name().startswith("__Host-"),
        httponly=True,
        samesite="Strict",
    )


def current_staff() -> StaffUser | None:
    """The signed-in staff member whose session has passed MFA, or None."""
    if "staff_user" not in g:
        found = staff_sessions.find_session(request.cookies.get(cookie_name()))
        g.staff_session = found
        g.staff_user = found.user if found is not None and found.mfa_passed else None
        if g.staff_user is not None:
            with db.unit_of_work():
                staff_sessions.touch(found)
    return g.staff_user


def staff_required(role: str = "triage") -> Callable[[F], F]:
    """Every staff route says which role it needs; a structural test checks none is missing."""
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_staff()
            if user is None:
                return redirect(url_for("staff.sign_in", next=request.path))
            if ROLE_RANK[user.role] < ROLE_RANK[role]:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = role  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def public_staff_page(view: F) -> F:
    """Mark a staff route that needs no sign-in (the sign-in pages themselves)."""
    view.required_role = None  # type: ignore[attr-defined]
    return view

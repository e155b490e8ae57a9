"""The intake queue: everything that needs the team, most urgent first; claim, claim next, release, download."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from forms.staff import KINDS, STATUSES, QueueFilterForm
from portal import db
from portal.services.intake_queue import IntakeQueue, QueueFilters, QueuePage, QueueRow
from portal.services.references import normalise_reference
from portal.staff import bp
from portal.staff.auth import current_staff, staff_required
from portal.staff.downloads import DownloadForm

PAGE_WINDOW = 1
FILTERS = ("kind", "status", "overdue", "reference")


def _filters(form: QueueFilterForm) -> QueueFilters:
    """What the form asked for; a part with an error is left out rather than guessed."""
    form.validate()
    return QueueFilters(
        kinds=() if form.kind.errors else tuple(form.kind.data or ()),
        statuses=() if form.status.errors else tuple(form.status.data or ()),
        overdue=not form.overdue.errors and "yes" in (form.overdue.data or []),
        reference="" if form.reference.errors else (form.reference.data or ""),
        page=request.args.get("page", 1, type=int) or 1,
    )


def _page_url(number: int) -> str:
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args["page"] = number
    return url_for(".queue", **args)


def pagination(found: QueuePage) -> dict[str, Any]:
    """NHS.UK numbered pagination: first, last, and the pages either side of this one."""
    shown = sorted({1, found.pages, *range(found.page - PAGE_WINDOW, found.page + PAGE_WINDOW + 1)})
    items: list[dict[str, Any]] = []
    for number in (n for n in shown if 1 <= n <= found.pages):
        if items and number - items[-1].get("number", number) > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": _page_url(number), "current": number == found.page})
    return {
        "items": items,
        "previous": {"href": _page_url(found.page - 1)} if found.page > 1 else {},
        "next": {"href": _page_url(found.page + 1)} if found.page < found.pages else {},
    }


@bp.get("/queue")
@staff_required("triage")
def queue() -> str:
    form = QueueFilterForm(formdata=request.args)
    filters = _filters(form)
    found = IntakeQueue().page(filters)
    return render_template(
        "staff/queue/index.html",
        form=form,
        found=found,
        filtered=any(name in request.args for name in FILTERS),
        pagination=pagination(found) if found.pages > 1 else None,
        kinds=KINDS,
        statuses=STATUSES,
        nothing_left=request.args.get("next") == "none",
        download_form=DownloadForm(formdata=None),
        row_url=row_url,
    )


def row_url(row: QueueRow, **values: Any) -> str:
    """A referral opens its record; every other item its own page (one person may have several)."""
    if row.kind == "referral" and row.reference:
        return url_for(".record", reference=row.reference, **values)
    return url_for(".item", item_id=row.item_id, **values)


@bp.post("/queue/next")
@staff_required("triage")
def claim_next() -> Response:
    """The most urgent unclaimed item, handed to one person only."""
    with db.unit_of_work():
        row = IntakeQueue().claim_next_item(current_staff().email)  # type: ignore[union-attr]
    if row is None:
        return redirect(url_for(".queue", next="none"))
    return redirect(row_url(row, claimed="yes"))


def _item_id(reference: str) -> int:
    canonical = normalise_reference(reference)
    row = IntakeQueue().row_for(canonical) if canonical else None
    if row is None:
        abort(404)
    return row.item_id


@bp.post("/intake/<reference>/claim")
@staff_required("triage")
def claim(reference: str) -> Response:
    """Claim one item; if someone got there first, the record page says who."""
    item_id = _item_id(reference)
    with db.unit_of_work():
        result = IntakeQueue().claim(item_id, current_staff().email)  # type: ignore[union-attr]
    return redirect(
        url_for(".record", reference=normalise_reference(reference), claimed="yes" if result.claimed else "no")
    )


@bp.post("/intake/<reference>/release")
@staff_required("triage")
def release(reference: str) -> Response:
    """Give an item back to the queue: its holder may, and an admin may free a colleague's."""
    item_id = _item_id(reference)
    user = current_staff()
    with db.unit_of_work():
        IntakeQueue().release(item_id, user.email, anyone=user.role == "admin")  # type: ignore[union-attr]
    return redirect(url_for(".record", reference=normalise_reference(reference)))


@bp.post("/items/<int:item_id>/claim")
@staff_required("triage")
def claim_item(item_id: int) -> Response:
    """Claim a removal, call-back or other consent item, safely as for referrals."""
    if IntakeQueue().row_for_item(item_id) is None:
        abort(404)
    with db.unit_of_work():
        result = IntakeQueue().claim(item_id, current_staff().email)  # type: ignore[union-attr]
    return redirect(url_for(".item", item_id=item_id, claimed="yes" if result.claimed else "no"))


@bp.post("/items/<int:item_id>/release")
@staff_required("triage")
def release_item(item_id: int) -> Response:
    if IntakeQueue().row_for_item(item_id) is None:
        abort(404)
    user = current_staff()
    with db.unit_of_work():
        IntakeQueue().release(item_id, user.email, anyone=user.role == "admin")  # type: ignore[union-attr]
    return redirect(url_for(".item", item_id=item_id))

"""One intake item's record page: every answer, consent history, notes, and the outcome.

Every view of a record writes one audit row, and so does every change. The
action pages (status, outcome, telling the person) show the reference only,
so they are not views of personal data.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_datetime
from werkzeug.wrappers import Response

from forms import staff as words
from forms.staff import NoteForm, OutcomeForm, StaffForm, StatusForm, ToldForm
from portal import db
from portal.services import audit
from portal.services.intake_queue import IntakeQueue
from portal.services.records import ReferralRecord, find_record
from portal.services.references import normalise_reference
from portal.staff import bp
from portal.staff.auth import current_staff, staff_required

COMMUNICATION_STEP = "communication"


def optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to a page another engineer may not have built yet: None until the endpoint exists."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def communication_first(record: ReferralRecord) -> list[tuple[str, list[Any]]]:
    """Every answer in words, with communication needs first: read them before making contact."""
    sections = record.sections()
    first = [s for s in sections if s[1] and s[1][0].step.slug == COMMUNICATION_STEP]
    return first + [s for s in sections if s not in first]


def _load(reference: str) -> ReferralRecord:
    canonical = normalise_reference(reference)
    record = find_record(canonical) if canonical else None
    if record is None or record.item is None:
        abort(404)
    return record


def _staff_email() -> str:
    return current_staff().email  # type: ignore[union-attr]


def _render_record(record: ReferralRecord, form: NoteForm, status: int = 200) -> tuple[str, int]:
    """The record page; showing it is a read of personal data, so it is audited."""
    queue = IntakeQueue()
    with db.unit_of_work():
        audit.record("view_record", [record.reference])
    user = current_staff()
    page = render_template(
        "staff/records/record.html",
        form=form,
        record=record,
        item=record.item,
        row=queue.row_for(record.reference),
        sections=communication_first(record),
        notes=queue.notes(record.item),  # type: ignore[arg-type]
        reason=queue.outcome_reason(record.item),  # type: ignore[arg-type]
        words=words,
        format_datetime=format_datetime,
        back_url=url_for(".queue"),
        claimed=request.args.get("claimed"),
        can_release=record.item.claimed_by == user.email or user.role == "admin",  # type: ignore[union-attr]
        pdf_url=optional_url("staff.referral_pdf", reference=record.reference),
        fhir_url=optional_url("staff.referral_fhir", reference=record.reference),
    )
    return page, status


@bp.get("/intake/<reference>")
@staff_required("triage")
def record(reference: str) -> Response | tuple[str, int]:
    found = _load(reference)
    if found.reference != reference:
        return redirect(url_for(".record", reference=found.reference, **request.args))
    return _render_record(found, NoteForm(formdata=None))


@bp.post("/intake/<reference>/notes")
@staff_required("triage")
def add_note(reference: str) -> Response | tuple[str, int]:
    found = _load(reference)
    form = NoteForm()
    if not form.validate():
        return _render_record(found, form)
    with db.unit_of_work():
        IntakeQueue().add_note(found.item, form.note.data, _staff_email())  # type: ignore[arg-type]
    return redirect(url_for(".record", reference=found.reference, _anchor="notes"))


def _action_page(reference: str, form: StaffForm, template: str, apply: Any) -> Response | tuple[str, int]:
    """An action's own page: GET shows the form, a valid POST applies it and returns to the record.

    A form with errors comes back with 200, like the public journey's pages.
    """
    found = _load(reference)
    if request.method == "POST" and form.validate():
        with db.unit_of_work():
            apply(IntakeQueue(), found.item, form)
        return redirect(url_for(".record", reference=found.reference))
    back = url_for(".record", reference=found.reference)
    return render_template(template, form=form, reference=found.reference, back_url=back), 200


@bp.route("/intake/<reference>/status", methods=["GET", "POST"])
@staff_required("triage")
def change_status(reference: str) -> Response | tuple[str, int]:
    found = _load(reference)
    form = StatusForm(data={"status": found.item.status})  # type: ignore[union-attr]
    return _action_page(
        reference,
        form,
        "staff/records/status.html",
        lambda queue, item, f: queue.set_status(item, f.status.data, _staff_email()),
    )


@bp.route("/intake/<reference>/outcome", methods=["GET", "POST"])
@staff_required("triage")
def record_outcome(reference: str) -> Response | tuple[str, int]:
    return _action_page(
        reference,
        OutcomeForm(),
        "staff/records/outcome.html",
        lambda queue, item, f: queue.record_outcome(
            item, f.outcome.data, _staff_email(), rating=f.rating.data or "", reason=f.reason.data or ""
        ),
    )


@bp.route("/intake/<reference>/told", methods=["GET", "POST"])
@staff_required("triage")
def record_told(reference: str) -> Response | tuple[str, int]:
    return _action_page(
        reference,
        ToldForm(),
        "staff/records/told.html",
        lambda queue, item, f: queue.record_told(item, f.told_on.data, f.told_by.data, _staff_email()),
    )

"""Record pages: a referral (every answer, consent history, notes, the outcome) and every other item.

A removal, call-back, lapsed-consent, locked-link or turned-16 item has its
own page at `/staff/items/<id>`: what the item says, its referral's summary
and consent history, and the actions that kind needs. Every view of a record
writes one audit row, and so does every change. The action pages show the
reference only, so they are not views of personal data.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_datetime
from werkzeug.wrappers import Response

from forms import staff as words
from forms.staff import CallForm, MatchForm, NoteForm, OutcomeForm, StaffForm, StatusForm, TeamConsentForm, ToldForm
from portal import db
from portal.services import audit, consent
from portal.services.intake_queue import IntakeQueue
from portal.services.records import ReferralRecord, find_record, to_record
from portal.services.references import normalise_reference
from portal.staff import bp
from portal.staff.auth import current_staff, staff_required

COMMUNICATION_STEP = "communication"
# The part of a referral the team needs beside a removal or call-back: who, how to reach them safely, how to talk.
SUMMARY_STEPS = ("name", "date-of-birth", "contact-details", "safe-contact", "communication")
# The action each kind of consent item needs, beside claim, status and notes.
KIND_ACTIONS = {"removal": "staff.removal_done", "callback": "staff.record_call", "lapsed": "staff.reconfirm"}


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
        other_items=[r for r in queue.rows_for_person(record.reference) if r.item_id != record.item.id],  # type: ignore[union-attr]
    )
    return page, status


@bp.get("/intake/<reference>")
@staff_required("triage")
def record(reference: str) -> Response | tuple[str, int]:
    found = _load(reference)
    if found.reference != reference:
        return redirect(url_for(".record", reference=found.reference, claimed=request.args.get("claimed")))
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


def _action_page(found: ReferralRecord, form: StaffForm, template: str, apply: Any) -> Response | tuple[str, int]:
    """An action's own page for a record the view has loaded: GET shows the form, a valid POST applies it and
    returns to the record.

    A form with errors comes back with 200, like the public journey's pages.
    """
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
        found,
        form,
        "staff/records/status.html",
        lambda queue, item, f: queue.set_status(item, f.status.data, _staff_email()),
    )


@bp.route("/intake/<reference>/outcome", methods=["GET", "POST"])
@staff_required("triage")
def record_outcome(reference: str) -> Response | tuple[str, int]:
    found = _load(reference)
    referral = found.item.referral  # type: ignore[union-attr]
    return _action_page(
        found,
        OutcomeForm(no_consent=consent.why_not_acceptable(referral) if referral is not None else ""),
        "staff/records/outcome.html",
        lambda queue, item, f: queue.record_outcome(
            item, f.outcome.data, _staff_email(), rating=f.rating.data or "", reason=f.reason.data or ""
        ),
    )


@bp.route("/intake/<reference>/told", methods=["GET", "POST"])
@staff_required("triage")
def record_told(reference: str) -> Response | tuple[str, int]:
    found = _load(reference)
    item = found.item
    return _action_page(
        found,
        ToldForm(nothing_to_tell=item is not None and item.kind == "referral" and item.outcome is None),
        "staff/records/told.html",
        lambda queue, item, f: queue.record_told(item, f.told_on.data, f.told_by.data, _staff_email()),
    )


@bp.route("/intake/<reference>/consent", methods=["GET", "POST"])
@staff_required("triage")
def record_consent(reference: str) -> Response | tuple[str, int]:
    """Consent given to the team by phone or on paper: the same service call as every other consent event."""
    found = _load(reference)
    return _action_page(
        found,
        TeamConsentForm(),
        "staff/records/team_consent.html",
        lambda queue, item, f: queue.record_consent(found.referral, f.given_by.data, f.channel.data, _staff_email()),
    )


# -- removal, call-back, lapsed, locked-link and turned-16 items ----------------


def load_item(item_id: int, kind: str | None = None) -> Any:
    """A consent item (referrals have their own page); 404 for an unknown id or the wrong kind."""
    item = IntakeQueue().find_item(item_id)
    if item is None or item.kind == "referral" or (kind is not None and item.kind != kind):
        abort(404)
    return item


def _related(item: Any) -> ReferralRecord | None:
    referral = IntakeQueue().referral_of(item)
    return to_record(referral) if referral is not None else None


def item_details(item: Any) -> list[tuple[str, str]]:
    """What the item says, labelled in words, known fields first; lists joined, empty ones left out."""
    details = IntakeQueue.details(item)
    ordered = [key for key in words.DETAIL_LABELS if key in details] + [
        key for key in details if key not in words.DETAIL_LABELS
    ]
    shown = []
    for key in ordered:
        value = details[key]
        text = ", ".join(str(part) for part in value) if isinstance(value, list) else str(value or "")
        if text:
            shown.append((str(words.DETAIL_LABELS.get(key, key)), text))
    return shown


def _render_item(item: Any, form: NoteForm) -> tuple[str, int]:
    """A consent item's page; it shows personal data, so the view is audited."""
    queue = IntakeQueue()
    row = queue.row_for_item(item.id)
    related = _related(item)
    with db.unit_of_work():
        audit.record("view_item", [row.reference] if row and row.reference else [], f"{item.kind} item {item.id}")
    user = current_staff()
    action = KIND_ACTIONS.get(item.kind)
    page = render_template(
        "staff/records/item.html",
        form=form,
        item=item,
        row=row,
        details=item_details(item),
        related=related,
        summary=[s for s in related.sections() if s[1] and s[1][0].step.slug in SUMMARY_STEPS] if related else [],
        consent_state=consent.state_of(related.referral) if related else None,
        notes=queue.notes(item),
        words=words,
        format_datetime=format_datetime,
        back_url=url_for(".queue"),
        claimed=request.args.get("claimed"),
        can_release=item.claimed_by == user.email or user.role == "admin",  # type: ignore[union-attr]
        action_url=url_for(action, item_id=item.id) if action and related and item.status != "closed" else None,
    )
    return page, 200


@bp.get("/items/<int:item_id>")
@staff_required("triage")
def item(item_id: int) -> tuple[str, int]:
    return _render_item(load_item(item_id), NoteForm(formdata=None))


@bp.post("/items/<int:item_id>/notes")
@staff_required("triage")
def add_item_note(item_id: int) -> Response | tuple[str, int]:
    found = load_item(item_id)
    form = NoteForm()
    if not form.validate():
        return _render_item(found, form)
    with db.unit_of_work():
        IntakeQueue().add_note(found, form.note.data, _staff_email())
    return redirect(url_for(".item", item_id=item_id, _anchor="notes"))


def _item_action(item_id: int, kind: str | None, form: StaffForm, template: str, apply: Any) -> Any:
    """An item action's own page: GET shows the form, a valid POST applies it and returns to the item."""
    found = load_item(item_id, kind)
    back = url_for(".item", item_id=item_id)
    needs_referral = kind in KIND_ACTIONS
    if needs_referral and (found.referral_id is None or found.status == "closed"):
        return redirect(back)
    if request.method == "POST" and form.validate():
        with db.unit_of_work() as session:
            queue = IntakeQueue()
            if apply(queue, found, queue.referral_of(found), form) is False:
                # Someone else finished the item first, or the form was wrong after all: change nothing.
                session.rollback()
        if not any(field.errors for field in form):
            return redirect(back)
    caption = found.reference or words.KINDS.get(found.kind, found.kind)
    return render_template(template, form=form, reference=caption, back_url=back), 200


@bp.route("/items/<int:item_id>/status", methods=["GET", "POST"])
@staff_required("triage")
def change_item_status(item_id: int) -> Any:
    form = StatusForm(data={"status": load_item(item_id).status})
    return _item_action(
        item_id,
        None,
        form,
        "staff/records/status.html",
        lambda queue, item, referral, f: queue.set_status(item, f.status.data, _staff_email()),
    )


@bp.route("/items/<int:item_id>/removal-done", methods=["GET", "POST"])
@staff_required("triage")
def removal_done(item_id: int) -> Any:
    """Only the team removes a person: consent withdrawn, older links dead, the person told."""
    return _item_action(
        item_id,
        "removal",
        ToldForm(),
        "staff/records/removal_done.html",
        lambda queue, item, referral, f: queue.removal_done(
            item, referral, f.told_on.data, f.told_by.data, _staff_email()
        ),
    )


@bp.route("/items/<int:item_id>/call", methods=["GET", "POST"])
@staff_required("triage")
def record_call(item_id: int) -> Any:
    return _item_action(
        item_id,
        "callback",
        CallForm(),
        "staff/records/call.html",
        lambda queue, item, referral, f: queue.record_call(item, f.called_on.data, _staff_email(), f.note.data or ""),
    )


@bp.route("/items/<int:item_id>/reconfirm", methods=["GET", "POST"])
@staff_required("triage")
def reconfirm(item_id: int) -> Any:
    return _item_action(
        item_id,
        "lapsed",
        TeamConsentForm(),
        "staff/records/team_consent.html",
        lambda queue, item, referral, f: queue.reconfirm(
            item, referral, f.channel.data, f.given_by.data, _staff_email()
        ),
    )


@bp.route("/items/<int:item_id>/match", methods=["GET", "POST"])
@staff_required("triage")
def match_item(item_id: int) -> Any:
    """A request made without a (matching) reference: the team finds the person and links the item to them."""
    form = MatchForm()

    def apply(queue: IntakeQueue, item: Any, referral: Any, f: MatchForm) -> bool:
        if not queue.match(item, f.reference.data, _staff_email()):
            f.reference.errors = [str(words.NO_SUCH_REFERENCE)]
            return False
        return True

    return _item_action(item_id, None, form, "staff/records/match.html", apply)

"""Downloads: one referral as PDF or FHIR, a selection or date range as CSV, Excel or FHIR.

Every download writes one audit row saying what and how many records. Files
carry a server-made name with no personal data and are never cached.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Response, abort, render_template, request, send_file, stream_with_context
from flask_babel import lazy_gettext as _l
from wtforms import Field

from forms import validators as v
from forms import widgets
from forms.questions import ChoiceField, DateInputField, TextField
from forms.staff import StaffForm
from portal import db
from portal.services import audit, records
from portal.services.exports import fhir, pdf, tabular
from portal.services.exports.selection import Selection, Snapshot, iter_records, referral_references, take_snapshot
from portal.staff import bp
from portal.staff.auth import staff_required

FORMATS = {
    "csv": (
        _l("CSV (opens in any spreadsheet)"),
        _l("One row per referral. The last row says how many were exported."),
    ),
    "xlsx": (_l("Excel workbook"), _l("The same rows as the CSV, in an .xlsx file.")),
    "fhir": (_l("FHIR R4 bundle"), _l("For importing into a register or patient record system (up to 1,000).")),
}
REFERENCE_SPLIT = re.compile(r"[\s,;]+")


def _choices(field: Field, thing: Any, options: dict[str, tuple[Any, Any]]) -> None:
    field.thing = thing
    field.exclusive = None
    field.choice_hints = [(value, str(text), str(hint)) for value, (text, hint) in options.items()]


class DownloadForm(StaffForm):
    """Pasted references win over dates; with neither, the form asks for one."""

    references = TextField(
        _l("Paste references"),
        validators=[v.Optional(), v.MaxLength(100_000, _l("the references"))],
        widget=widgets.Textarea(rows=4, spellcheck=False),
    )
    received_from = DateInputField(_l("Received from"), validators=[v.Optional()], widget=widgets.DateInput())
    received_to = DateInputField(
        _l("Received up to and including"), validators=[v.Optional()], widget=widgets.DateInput()
    )
    format = ChoiceField(_l("Format"), validators=[v.Required(_l("a format"), "choose")], widget=widgets.Radios())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.format, _l("a format"), FORMATS)
        self.references.hint = _l("One or more, like DSR-7KQM-4TXH, separated by spaces, commas or new lines.")
        for field, thing in ((self.received_from, _l("the first date")), (self.received_to, _l("the last date"))):
            field.thing = thing
            field.hint = _l("For example, 1 11 2026")

    def selection(self, ticked: list[str]) -> Selection | None:
        """What to export, or None with an error on the field at fault."""
        pasted = [text for text in REFERENCE_SPLIT.split(self.references.data or "") if text]
        if pasted or ticked:
            chosen = Selection.of_references([*ticked, *pasted])
            if not chosen.references:
                self.references.errors = [str(_l("Enter references like DSR-7KQM-4TXH"))]
                return None
            return chosen
        start, end = self.received_from.data, self.received_to.data
        if start is None and end is None:
            self.received_from.errors = [str(_l("Enter a date range, or paste references"))]
            return None
        if start and end and end < start:
            self.received_to.errors = [str(_l("The last date must be the same as or after the first date"))]
            return None
        return Selection(received_from=start, received_to=end)


def attachment(response: Response, filename: str) -> Response:
    """A download, never shown in the browser nor kept in a cache (ASVS 5.0 5.4, 14.3.2)."""
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def file_name(kind: str, extension: str) -> str:
    """`dsr-referrals-2026-11-24.csv`: the date and what it is, never who."""
    return f"dsr-{kind}-{date.today().isoformat()}.{extension}"


@bp.get("/downloads")
@staff_required("triage")
def downloads() -> str:
    return render_template("staff/downloads/index.html", form=DownloadForm(formdata=None))


def _page_with_error(form: DownloadForm) -> str:
    return render_template("staff/downloads/index.html", form=form)


@bp.post("/export")
@staff_required("triage")
def export() -> Response | str:
    form = DownloadForm()
    selection = form.selection(request.form.getlist("reference")) if form.validate() else None
    if selection is None:
        return _page_with_error(form)
    snapshot = take_snapshot(selection)
    target = form.references if selection.references else form.received_from
    if snapshot.count == 0:
        target.errors = [str(_l("No referrals match: check the references or the dates"))]
        return _page_with_error(form)
    if form.format.data == "fhir" and snapshot.count > fhir.MAX_BUNDLE_REFERRALS:
        target.errors = [str(_l("A FHIR bundle holds up to 1,000 referrals: choose fewer, or download CSV"))]
        return _page_with_error(form)
    return EXPORTERS[form.format.data](snapshot)


def _audit(action: str, snapshot: Snapshot) -> None:
    with db.unit_of_work():
        audit.record(
            action, referral_references(snapshot), detail=f"{snapshot.count} referrals; {snapshot.references_note}"
        )


def _csv(snapshot: Snapshot) -> Response:
    """Streamed as it is written (chunked): a break part-way shows as a failed download, and no trailer row."""
    _audit("export_csv", snapshot)
    response = Response(stream_with_context(tabular.csv_chunks(snapshot)), mimetype="text/csv")
    return attachment(response, file_name("referrals", "csv"))


def _excel(snapshot: Snapshot) -> Response:
    """Written to a temporary file first (a zip has to be finished), then sent with its length."""
    path = tabular.excel_file(snapshot)
    _audit("export_excel", snapshot)
    response = send_file(
        path,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.call_on_close(lambda: path.unlink(missing_ok=True))
    return attachment(response, file_name("referrals", "xlsx"))


def _fhir(snapshot: Snapshot) -> Response:
    bundle = fhir.bundle(list(iter_records(snapshot)))
    _audit("export_fhir", snapshot)
    return attachment(
        Response(bundle.model_dump_json(), mimetype="application/fhir+json"), file_name("referrals", "fhir.json")
    )


EXPORTERS = {"csv": _csv, "xlsx": _excel, "fhir": _fhir}


def _record_or_404(reference: str) -> records.ReferralRecord:
    found = records.find_record(reference)
    if found is None:
        abort(404)
    return found


@bp.get("/intake/<reference>/pdf")
@staff_required("triage")
def referral_pdf(reference: str) -> Response:
    record = _record_or_404(reference)
    body = pdf.referral_pdf(record)
    with db.unit_of_work():
        audit.record("download_pdf", [record.reference], detail="1 referral as PDF")
    return attachment(Response(body, mimetype="application/pdf"), f"dsr-referral-{record.reference}.pdf")


@bp.get("/intake/<reference>/fhir")
@staff_required("triage")
def referral_fhir(reference: str) -> Response:
    record = _record_or_404(reference)
    body = fhir.bundle([record]).model_dump_json()
    with db.unit_of_work():
        audit.record("download_fhir", [record.reference], detail="1 referral as FHIR bundle")
    return attachment(Response(body, mimetype="application/fhir+json"), f"dsr-referral-{record.reference}.fhir.json")

"""Admin: the audit log (view, filter, export) and the retention period.

The audit log is read here and only read: rows are added by `services.audit`
and nothing changes or removes them. Changing the retention period is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, redirect, render_template, request, stream_with_context, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectField

from forms import validators as v
from forms import widgets
from forms.questions import DateInputField, TextField
from forms.staff import StaffForm
from portal import db
from portal.services import audit, retention
from portal.services.exports.audit_log import AuditFilter, AuditPage, actions, audit_csv_chunks, find_events
from portal.staff import bp
from portal.staff.auth import current_staff, staff_required
from portal.staff.downloads import attachment


class Select(widgets.NhsukWidget):
    """The NHS.UK select, its options from the field's choices."""

    component, macro = "select", "select"

    def map_params(self, field: Any) -> dict[str, Any]:
        params = super().map_params(field)
        params["items"] = [
            {"value": value, "text": str(text), "selected": value == (field.data or "")}
            for value, text in field.choices
        ]
        return params


class AuditFilterForm(StaffForm):
    """Sent by GET, so a filtered log is a link; no CSRF token needed for a read."""

    class Meta:
        csrf = False

    occurred_from = DateInputField(_l("From"), validators=[v.Optional()], widget=widgets.DateInput())
    occurred_to = DateInputField(_l("To"), validators=[v.Optional()], widget=widgets.DateInput())
    actor = TextField(
        _l("Who (email address)"),
        validators=[v.Optional(), v.MaxLength(254, _l("the email address"))],
        widget=widgets.Input(input_type="text", spellcheck=False, autocomplete="off"),
    )
    action = SelectField(_l("Action"), validators=[v.Optional()], widget=Select(), validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.occurred_from.thing = _l("the first date")
        self.occurred_to.thing = _l("the last date")
        self.action.choices = [("", str(_l("Any action")))] + [(name, name) for name in actions()]

    def audit_filter(self) -> AuditFilter:
        """What was asked for; a part with an error is left out rather than guessed."""
        self.validate()
        return AuditFilter(
            occurred_from=None if self.occurred_from.errors else self.occurred_from.data,
            occurred_to=None if self.occurred_to.errors else self.occurred_to.data,
            actor="" if self.actor.errors else (self.actor.data or ""),
            action=self.action.data or "",
        )


class RetentionForm(StaffForm):
    days = TextField(
        _l("Keep personal data of closed items for this many days"),
        validators=[v.Required(_l("a number of days"))],
        widget=widgets.Input(input_type="text", inputmode="numeric", classes="nhsuk-input--width-4"),
    )

    def validate_days(self, field: TextField) -> None:
        """A whole number in range, typed in ASCII digits (`str.isdigit` alone would take `²`)."""
        text = (field.data or "").strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 5) or not (
            retention.MIN_RETENTION_DAYS <= int(text) <= retention.MAX_RETENTION_DAYS
        ):
            raise v.StopValidation(
                _l(
                    "Enter a whole number of days from %(low)s to %(high)s",
                    low=retention.MIN_RETENTION_DAYS,
                    high=retention.MAX_RETENTION_DAYS,
                )
            )


def _home(form: RetentionForm, saved: bool = False) -> str:
    return render_template("staff/admin/home.html", form=form, days=retention.retention_days(), saved=saved)


@bp.get("/admin")
@staff_required("admin")
def admin_home() -> str:
    form = RetentionForm(formdata=None, data={"days": str(retention.retention_days())})
    return _home(form, saved=request.args.get("saved") == "1")


@bp.post("/admin/retention")
@staff_required("admin")
def retention_settings() -> BaseResponse | str:
    form = RetentionForm()
    if not form.validate():
        return _home(form)
    user = current_staff()
    with db.unit_of_work():
        retention.set_retention_days(int(form.days.data.strip()), user.email if user else "unknown")
    return redirect(url_for("staff.admin_home", saved=1))


def _page_url(number: int) -> str:
    args: dict[str, Any] = request.args.to_dict(flat=True)
    args["page"] = number
    return url_for("staff.audit_log", **args)


def pagination(found: AuditPage) -> dict[str, Any]:
    return {
        "previous": {"href": _page_url(found.page - 1), "labelText": f"{found.page - 1} of {found.pages}"}
        if found.page > 1
        else {},
        "next": {"href": _page_url(found.page + 1), "labelText": f"{found.page + 1} of {found.pages}"}
        if found.page < found.pages
        else {},
    }


@bp.get("/admin/audit")
@staff_required("admin")
def audit_log() -> str:
    form = AuditFilterForm(formdata=request.args)
    found = find_events(form.audit_filter(), request.args.get("page", 1, type=int) or 1)
    csv_args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template(
        "staff/admin/audit_log.html",
        form=form,
        found=found,
        pagination=pagination(found),
        csv_url=url_for("staff.audit_log_csv", **csv_args),
    )


@bp.get("/admin/audit.csv")
@staff_required("admin")
def audit_log_csv() -> Response:
    audit_filter = AuditFilterForm(formdata=request.args).audit_filter()
    with db.unit_of_work():
        audit.record("export_audit_log", detail=f"audit log as CSV; {audit_filter}"[:500])
    response = Response(stream_with_context(audit_csv_chunks(audit_filter)), mimetype="text/csv")
    return attachment(response, f"dsr-audit-log-{date.today().isoformat()}.csv")

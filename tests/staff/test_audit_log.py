"""The audit log: admins read, filter and export it; nobody else sees it; nothing ever changes a row."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlalchemy import event, select

from portal import db
from portal.models import AuditEvent
from portal.services import audit
from tests.support.staff import sign_in_as

ROOT = Path(__file__).resolve().parents[2]


def add_events(app, count: int, action: str = "view_record", actor: str = "someone@example.nhs.uk") -> None:
    with app.app_context(), db.unit_of_work():
        for number in range(count):
            audit.record(action, [f"DSR-AAAA-{number:04d}"], detail=f"event {number}", actor=actor)


def test_a_triage_member_cannot_see_the_audit_log_or_admin(app, client):
    sign_in_as(app, client, "triage@example.nhs.uk", "triage")
    assert client.client.get("/staff/admin/audit").status_code == 403
    assert client.client.get("/staff/admin/audit.csv").status_code == 403
    assert client.client.get("/staff/admin").status_code == 403


def test_an_admin_sees_events_newest_first_a_page_at_a_time(app, client):
    add_events(app, 60)
    sign_in_as(app, client, "admin@example.nhs.uk", "admin")
    page = client.get("/staff/admin/audit")
    assert page.h1 == "Audit log"
    rows = page.select("tbody tr")
    assert len(rows) == 50
    assert "event 59" in rows[0].get_text()
    second = client.get("/staff/admin/audit?page=2")
    assert "event 0" in second.select("tbody tr")[-1].get_text()


def test_the_log_filters_by_actor_and_action(app, client):
    add_events(app, 3, actor="one@example.nhs.uk")
    add_events(app, 2, action="export_csv", actor="two@example.nhs.uk")
    sign_in_as(app, client, "admin@example.nhs.uk", "admin")
    page = client.get("/staff/admin/audit?actor=TWO@example.nhs.uk")
    assert len(page.select("tbody tr")) == 2
    page = client.get("/staff/admin/audit?action=view_record")
    assert len(page.select("tbody tr")) == 3
    page = client.get("/staff/admin/audit?occurred_from-day=1&occurred_from-month=1&occurred_from-year=2001")
    assert len(page.select("tbody tr")) == 5


def test_the_log_exports_as_csv_with_neutralised_cells_and_the_export_is_audited(app, client):
    add_events(app, 2, actor="=cmd|' /C calc'!A0")
    sign_in_as(app, client, "admin@example.nhs.uk", "admin")
    response = client.client.get("/staff/admin/audit.csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="dsr-audit-log-')
    assert response.headers["Cache-Control"] == "no-store"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0][:3] == ["When (UTC)", "Who", "Action"]
    assert table[1][1] == "'=cmd|' /C calc'!A0"
    assert table[-1] == ["END OF EXPORT", f"{len(table) - 2} audit events"]
    with app.app_context():
        exported = db.session().scalars(select(AuditEvent).where(AuditEvent.action == "export_audit_log")).all()
    assert [e.actor for e in exported] == ["admin@example.nhs.uk"]


def test_no_code_updates_or_deletes_audit_rows():
    pattern = re.compile(
        r"(update|delete)\(\s*AuditEvent|AuditEvent\.__table__\.(update|delete)|audit_events\s+(SET|WHERE)"
    )
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("portal", "forms")
        for path in (ROOT / folder).rglob("*.py")
        if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_the_orm_is_never_asked_to_change_an_audit_row_by_exports_and_purge(app, client):
    """Every statement run while downloading, exporting and purging: none touches audit_events but INSERT."""
    from portal.cli.seed import seed_referrals
    from portal.services import retention

    statements: list[str] = []
    engine = app.extensions["engine"]

    def watch(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        with app.app_context():
            seed_referrals(3)
        add_events(app, 2)
        sign_in_as(app, client, "admin@example.nhs.uk", "admin")
        client.get("/staff/admin/audit")
        client.client.get("/staff/admin/audit.csv").get_data()
        page = client.get("/staff/downloads")
        client.client.post(
            "/staff/export",
            data={
                "csrf_token": page.soup.select_one("input[name=csrf_token]")["value"],
                "format": "csv",
                "received_from-day": "1",
                "received_from-month": "1",
                "received_from-year": "2001",
            },
        ).get_data()
        with app.app_context():
            retention.purge()
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    touching = [
        s for s in statements if "audit_events" in s and not s.lstrip().upper().startswith(("INSERT", "SELECT"))
    ]
    assert touching == []
    assert any(s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS") for s in statements)


def test_an_export_of_thousands_names_every_record_it_sent(db_app):
    """The audit row of a large export says which records went out, all of them, not the first 1,428."""
    references = [f"DSR-{number // 10000:04d}-{number % 10000:04d}" for number in range(5000)]
    with db_app.app_context(), db.unit_of_work():
        audit.record("export_csv", references, detail="5000 referrals", actor="triage@example.nhs.uk")
    with db_app.app_context():
        row = db.session().scalar(select(AuditEvent).where(AuditEvent.action == "export_csv"))
        assert row.record_refs.split(",") == references and row.record_count == 5000

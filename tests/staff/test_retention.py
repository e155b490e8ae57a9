"""Retention: closed items lose every personal detail after N days, leave a stub, and audit rows stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from portal import db
from portal.cli.seed import seed_referrals
from portal.models import AuditEvent, Draft, IntakeItem, IntakeNote, Referral, utcnow
from portal.services import audit, consent, crypto, retention
from tests.support.staff import sign_in_as

CANARY = {"full_name": "Canary Zebedee-Quillfeather", "situation": "canary-situation-7f3a9c"}


def seed_open(app, count: int) -> None:
    """Seeded referrals, all still open, so only the items a test closes are old enough to purge."""
    with app.app_context():
        seed_referrals(count)
        with db.unit_of_work() as session:
            session.execute(update(IntakeItem).values(status="new", closed_at=None))


def database_bytes(app) -> bytes:
    """The SQLite database file and its WAL, as they are on disk."""
    path = Path(app.extensions["engine"].url.database)
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def slices(token: str) -> list[bytes]:
    """Pieces short enough to sit within one page, so a search finds them wherever the row lives."""
    return [token[i : i + 32].encode() for i in range(0, len(token) - 32, 32)]


def close_one(app, days_ago: int, reference_index: int = 0, came_off: bool = True) -> tuple[str, list[str]]:
    """Close an accepted referral's item `days_ago` days ago, with canary answers, a note and a reason.

    `came_off`: the person has since withdrawn, so nothing keeps their details. Returns the sealed tokens.
    """
    with app.app_context(), db.unit_of_work() as session:
        referral = session.scalars(select(Referral).order_by(Referral.id)).all()[reference_index]
        referral.answers_sealed = crypto.seal({**crypto.unseal(referral.answers_sealed), **CANARY})
        item = referral.intake_item
        item.status, item.outcome, item.rating = "closed", "accepted", "amber"
        item.outcome_reason_sealed = crypto.seal({"reason": "canary reason"})
        item.closed_at = utcnow() - timedelta(days=days_ago)
        note = IntakeNote(item_id=item.id, author="triage@example.nhs.uk", text_sealed=crypto.seal({"text": "canary"}))
        session.add(note)
        if came_off:
            consent.record_event(referral, "withdrawn", "team", "team", "")
        return referral.reference, [referral.answers_sealed, item.outcome_reason_sealed, note.text_sealed]


def test_purge_erases_closed_items_past_retention_and_leaves_a_stub(app):
    seed_open(app, 3)
    old, tokens = close_one(app, 120, 0)
    recent, recent_tokens = close_one(app, 10, 1)
    raw = database_bytes(app)
    assert any(piece in raw for token in tokens for piece in slices(token)), "the test must see the data first"
    with app.app_context():
        report = retention.purge()
    assert report.items == [old] and report.referrals == 1 and report.notes == 1
    raw = database_bytes(app)
    for token in tokens:
        assert not any(piece in raw for piece in slices(token)), "erased ciphertext is still on disk"
    for value in CANARY.values():
        assert value.encode() not in raw
    with app.app_context():
        stub = db.session().scalar(select(Referral).where(Referral.reference == old))
        assert stub.answers_sealed is None and stub.erased_at is not None
        assert stub.received_at and stub.review_due_at
        item = stub.intake_item
        assert (item.kind, item.status, item.outcome, item.rating) == ("referral", "closed", "accepted", "amber")
        assert item.outcome_reason_sealed is None
        assert db.session().scalar(select(IntakeNote.text_sealed).where(IntakeNote.item_id == item.id)) is None
        assert [event.kind for event in stub.consent_events] == ["given", "withdrawn"]
        kept = db.session().scalar(select(Referral).where(Referral.reference == recent))
        assert kept.answers_sealed == recent_tokens[0]


def test_a_person_still_on_the_register_keeps_their_details_for_the_yearly_reconfirmation(db_app):
    app = db_app
    """Accepted, consent not ended: closing the item is not coming off the register."""
    seed_open(app, 2)
    on_register, tokens = close_one(app, 400, 0, came_off=False)
    lapsed, _ = close_one(app, 400, 1, came_off=False)
    with app.app_context(), db.unit_of_work() as session:
        consent.record_event(
            session.scalar(select(Referral).where(Referral.reference == lapsed)), "lapsed", "system", "system", ""
        )
    with app.app_context():
        report = retention.purge()
        assert report.items == [lapsed], "a lapsed consent ends the keeping"
        kept = db.session().scalar(select(Referral).where(Referral.reference == on_register))
        assert kept.answers_sealed == tokens[0] and kept.erased_at is None
        assert retention.purge().items == [], "running it again finds nothing new"


def test_someone_who_asked_to_come_off_keeps_their_details_until_the_team_has_acted(db_app):
    """A "take me off" by link ends consent at once, but the team must still confirm it and tell them."""
    app = db_app
    seed_open(app, 1)
    reference, _tokens = close_one(app, 400, 0, came_off=True)
    with app.app_context(), db.unit_of_work() as session:
        referral = session.scalar(select(Referral).where(Referral.reference == reference))
        consent.add_intake_item("removal", {"reference": reference}, utcnow(), referral=referral)
    with app.app_context():
        assert retention.purge().items == [], "the removal is still open"
    with app.app_context(), db.unit_of_work() as session:
        removal = session.scalar(select(IntakeItem).where(IntakeItem.kind == "removal"))
        removal.status, removal.closed_at = "closed", utcnow() - timedelta(days=400)
    with app.app_context():
        assert retention.purge().items == [reference, reference], "the referral and its removal request"
        assert db.session().scalar(select(Referral.erased_at).where(Referral.reference == reference)) is not None


def test_purge_never_touches_audit_rows_and_audits_itself_as_system(app):
    seed_open(app, 2)
    with app.app_context(), db.unit_of_work():
        audit.record("view_record", ["DSR-AAAA-BBBB"], actor="someone@example.nhs.uk")
    old, _tokens = close_one(app, 200)
    with app.app_context():
        before = [(e.id, e.actor, e.action, e.record_refs) for e in db.session().scalars(select(AuditEvent))]
        retention.purge()
        after = [(e.id, e.actor, e.action, e.record_refs) for e in db.session().scalars(select(AuditEvent))]
    assert after[: len(before)] == before
    [purge_row] = after[len(before) :]
    assert purge_row[1:] == ("system", "retention_purge", old)


def test_purge_is_idempotent_and_says_what_it_did(app):
    seed_open(app, 2)
    with app.app_context(), db.unit_of_work() as session:
        session.add(
            Draft(
                id="d" * 40,
                journey="referral",
                answers_sealed=crypto.seal({}),
                submission_id="s",
                expires_at=utcnow() - timedelta(hours=1),
            )
        )
    close_one(app, 100)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["retention", "purge"])
    assert first.exit_code == 0, first.output
    assert "erased personal data of 1 closed items" in first.output
    assert "deleted 1 expired drafts" in first.output
    second = runner.invoke(args=["retention", "purge"])
    assert "erased personal data of 0 closed items" in second.output
    assert "deleted 0 expired drafts" in second.output
    with app.app_context():
        purges = db.session().scalar(select(func.count()).where(AuditEvent.action == "retention_purge"))
    assert purges == 1


def test_the_retention_period_is_the_admins_to_change_and_the_change_is_audited(app, client):
    seed_open(app, 1)
    close_one(app, 40)
    sign_in_as(app, client, "admin@example.nhs.uk", "admin")
    page = client.get("/staff/admin")
    assert page.soup.select_one("input[name=days]")["value"] == "90"
    page = client.post("/staff/admin/retention", {"days": "0"}, expect=200)
    assert page.error_summary == ["Enter a whole number of days from 1 to 3650"]
    client.post("/staff/admin/retention", {"days": "30"}, expect=302)
    assert "The retention period is now 30 days." in client.get("/staff/admin?saved=1").text_of("main")
    with app.app_context():
        assert retention.retention_days() == 30
        [change] = db.session().scalars(select(AuditEvent).where(AuditEvent.action == "setting_changed")).all()
        assert change.actor == "admin@example.nhs.uk" and change.detail == "retention_days: 90 -> 30"
        assert retention.purge().referrals == 1


def test_a_triage_member_cannot_change_retention(app, client):
    sign_in_as(app, client)
    client.get("/staff/downloads")
    assert client.post("/staff/admin/retention", {"days": "1"}).status == 403
    with app.app_context():
        assert retention.retention_days() == 90
        assert db.session().scalar(select(func.count()).select_from(IntakeItem)) == 0

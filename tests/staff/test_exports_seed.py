"""`flask dev seed N`: realistic referrals for development and benchmarks, never in production."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import db
from portal.models import ConsentEvent, IntakeItem, Referral
from portal.services import crypto
from portal.services.records import find_record
from tests.conftest import make_app


def test_seed_makes_whole_referrals_with_consents_and_queue_items(app):
    result = app.test_cli_runner().invoke(args=["dev", "seed", "50"])
    assert result.exit_code == 0, result.output
    assert "seeded 50 referrals" in result.output
    with app.app_context():
        session = db.session()
        for model in (Referral, ConsentEvent, IntakeItem):
            assert session.scalar(select(func.count()).select_from(model)) == 50
        names = [crypto.unseal(r.answers_sealed)["full_name"] for r in session.scalars(select(Referral))]
        assert any(not name.isascii() for name in names), "names in several scripts"
        reference = session.scalar(select(Referral.reference))
        with app.test_request_context():
            sections = find_record(reference).sections()
        assert sections and all(rows for _title, rows in sections)


def test_seed_refuses_production(tmp_path, monkeypatch):
    app = make_app(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    app.config["PORTAL_SETTINGS"].env = "production"
    result = app.test_cli_runner().invoke(args=["dev", "seed", "5"])
    assert result.exit_code != 0
    assert "refusing" in result.output

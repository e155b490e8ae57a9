"""`flask keys rotate`: after rotation the old key can be thrown away and nothing becomes unreadable."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import event, select

from portal import db
from portal.models import Draft, Referral
from portal.services import crypto
from portal.services.crypto import SealError
from tests.conftest import PageClient, make_app
from tests.support.journey import PAGES, submit, walk_to_check

DRAFTS = 5


@pytest.fixture
def apps(db_app):
    """The same database seen by apps holding different keys: [old], [new, old], [new]."""
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = db_app.config["PORTAL_SETTINGS"].database_url
    made = {
        "old": make_app(url, encryption_keys=[old]),
        "rotating": make_app(url, encryption_keys=[new, old]),
        "new": make_app(url, encryption_keys=[new]),
    }
    yield made
    for app in made.values():
        app.extensions["engine"].dispose()


def everything_opened(app) -> list[dict]:
    with app.app_context():
        session = db.session()
        sealed = [*session.scalars(select(Referral.answers_sealed)), *session.scalars(select(Draft.answers_sealed))]
        return [crypto.unseal(token) for token in sealed]


def test_records_sealed_with_an_old_key_open_with_only_the_new_key_after_rotation(apps):
    old = apps["old"]
    person = PageClient(old.test_client())
    walk_to_check(person)
    submit(person)
    for _ in range(DRAFTS):
        PageClient(old.test_client()).post("/referral/who", PAGES["who"], expect=302)
    with pytest.raises(SealError):
        everything_opened(apps["new"])

    selects = []
    event.listen(
        apps["rotating"].extensions["engine"],
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_args: (
            selects.append(statement) if statement.lstrip().upper().startswith("SELECT") else None
        ),
    )
    result = apps["rotating"].test_cli_runner().invoke(args=["keys", "rotate", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"re-sealed {1 + DRAFTS} records under the newest key"
    assert sum("FROM drafts" in statement for statement in selects) == 4, "five drafts in batches of two"

    opened = everything_opened(apps["new"])
    assert len(opened) == 1 + DRAFTS
    assert {"full_name": "Siân O'Neil-Jones", "postcode": "NR1 3SR"}.items() <= opened[0].items()
    assert all(answers == {"who": "self"} for answers in opened[1:])

"""intake items name their referral: reference column, many items per referral

Every queue item (referral, removal, call-back, lapsed, link locked, turned 16)
carries the person's referral reference, and may point at its referral: one
referral now has one `referral` item (a partial unique index keeps that) and
any number of others.

Existing rows: referral items take their referral's reference. Other items
take the reference inside their sealed details when the app's keys can open
them and a referral with that reference exists; otherwise they stay NULL and
the team matches them by hand.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REFERRAL_ITEM = sa.text("kind = 'referral'")


def _details_reference(sealed: str) -> str:
    """The reference inside an item's sealed details, or "" when it cannot be read here."""
    from flask import has_app_context

    if not has_app_context():
        return ""
    from portal.services import crypto
    from portal.services.references import normalise_reference

    try:
        details = crypto.unseal(sealed)
    except (crypto.SealError, ValueError):
        return ""
    return normalise_reference(str(details.get("reference") or "")) or ""


def _fill_references() -> None:
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE intake_items SET reference = "
            "(SELECT referrals.reference FROM referrals WHERE referrals.id = intake_items.referral_id) "
            "WHERE referral_id IS NOT NULL AND reference IS NULL"
        )
    )
    others = connection.execute(
        sa.text("SELECT id, details_sealed FROM intake_items WHERE reference IS NULL AND details_sealed IS NOT NULL")
    ).all()
    for item_id, sealed in others:
        reference = _details_reference(sealed)
        referral_id = (
            connection.execute(sa.text("SELECT id FROM referrals WHERE reference = :r"), {"r": reference}).scalar()
            if reference
            else None
        )
        if referral_id is not None:
            connection.execute(
                sa.text("UPDATE intake_items SET reference = :r, referral_id = :rid WHERE id = :id"),
                {"r": reference, "rid": referral_id, "id": item_id},
            )


def upgrade() -> None:
    with op.batch_alter_table("intake_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=16), nullable=True))
        batch_op.drop_constraint("uq_intake_items_referral_id", type_="unique")
        batch_op.create_index(batch_op.f("ix_intake_items_reference"), ["reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_items_referral_id"), ["referral_id"], unique=False)
        batch_op.create_index(
            "uq_intake_items_referral_item",
            ["referral_id"],
            unique=True,
            sqlite_where=REFERRAL_ITEM,
            postgresql_where=REFERRAL_ITEM,
        )
    _fill_references()


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE intake_items SET referral_id = NULL WHERE kind <> 'referral'"))
    with op.batch_alter_table("intake_items", schema=None) as batch_op:
        batch_op.drop_index("uq_intake_items_referral_item")
        batch_op.drop_index(batch_op.f("ix_intake_items_referral_id"))
        batch_op.drop_index(batch_op.f("ix_intake_items_reference"))
        batch_op.create_unique_constraint("uq_intake_items_referral_id", ["referral_id"])
        batch_op.drop_column("reference")

"""Drafts remember the language the person chose, so a saved form comes back in it

Revision ID: 0007
Revises: 0006

Referrals have recorded their language since 0001 (`referrals.language`); this gives
drafts the same column, set when a draft starts, so a save-and-return email and a
draft keyed in by the team know the person's language before the referral is sent.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=False, server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch_op:
        batch_op.drop_column("language")

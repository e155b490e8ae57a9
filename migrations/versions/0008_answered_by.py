"""A used consent link remembers which browser answered, so only that browser sees the answer again

Revision ID: 0008
Revises: 0007

`signed_links.answered_by` holds the SHA-256 (hex) of a random value kept in the
session of the browser that confirmed the date of birth and sent the answer. A
second press of "Send my answer" shows the confirmation only to that browser, for
a short while; a saved copy of another browser's cookie learns nothing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signed_links") as batch_op:
        batch_op.add_column(sa.Column("answered_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signed_links") as batch_op:
        batch_op.drop_column("answered_by")

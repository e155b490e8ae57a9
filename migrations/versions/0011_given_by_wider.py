"""Who gave consent fits its longest value: "parental_responsibility_via_referrer" is 36 characters

Revision ID: 0011
Revises: 0010

SQLite never enforced the old 32; PostgreSQL refused the insert, so a child
referred by a professional or a carer could not be sent there.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consent_events") as batch_op:
        batch_op.alter_column("given_by", existing_type=sa.String(length=32), type_=sa.String(length=64))


def downgrade() -> None:
    with op.batch_alter_table("consent_events") as batch_op:
        batch_op.alter_column("given_by", existing_type=sa.String(length=64), type_=sa.String(length=32))

"""An email refused for good is marked undeliverable instead of being retried for ever

Revision ID: 0009
Revises: 0008

`outbox_messages.undeliverable_at` is set when the mail server or GOV.UK Notify
refuses the address itself (an SMTP 5xx for the recipient, a Notify 400). Such a
message is no longer claimed, counted in the backlog or retried.
`outbox_messages.referral_id` names the referral an email to a person is about,
so the team gets a call-back item in its queue when that person was not reached.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.add_column(sa.Column("undeliverable_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("referral_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_outbox_messages_undeliverable_at", ["undeliverable_at"])
        batch_op.create_foreign_key("fk_outbox_messages_referral_id_referrals", "referrals", ["referral_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_constraint("fk_outbox_messages_referral_id_referrals", type_="foreignkey")
        batch_op.drop_index("ix_outbox_messages_undeliverable_at")
        batch_op.drop_column("referral_id")
        batch_op.drop_column("undeliverable_at")

"""The outbox seals who a message is to, its subject and body, and erases them once it is done with them

Revision ID: 0010
Revises: 0009

An address in clear beside "Please reconfirm: Dynamic Support Register" says
who is on the register: the database alone must reveal nothing. Waiting
messages are sealed with the app's current key; sent and undeliverable ones
keep no content at all.
"""

import sqlalchemy as sa
from alembic import op

from portal.services import crypto

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

outbox = sa.table(
    "outbox_messages",
    sa.column("id", sa.Integer),
    sa.column("to_address", sa.String),
    sa.column("subject", sa.String),
    sa.column("body", sa.Text),
    sa.column("content_sealed", sa.Text),
    sa.column("sent_at", sa.DateTime),
    sa.column("undeliverable_at", sa.DateTime),
)


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.add_column(sa.Column("content_sealed", sa.Text(), nullable=True))
    connection = op.get_bind()
    waiting = connection.execute(
        sa.select(outbox.c.id, outbox.c.to_address, outbox.c.subject, outbox.c.body).where(
            outbox.c.sent_at.is_(None), outbox.c.undeliverable_at.is_(None)
        )
    ).all()
    for id_, to_address, subject, body in waiting:
        sealed = crypto.seal({"to": to_address, "subject": subject, "body": body})
        connection.execute(sa.update(outbox).where(outbox.c.id == id_).values(content_sealed=sealed))
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_column("to_address")
        batch_op.drop_column("subject")
        batch_op.drop_column("body")


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.add_column(sa.Column("to_address", sa.String(length=254), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("subject", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("body", sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    sealed = connection.execute(
        sa.select(outbox.c.id, outbox.c.content_sealed).where(outbox.c.content_sealed.is_not(None))
    ).all()
    for id_, token in sealed:
        content = crypto.unseal(token)
        connection.execute(
            sa.update(outbox)
            .where(outbox.c.id == id_)
            .values(to_address=content["to"], subject=content["subject"], body=content["body"])
        )
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_column("content_sealed")

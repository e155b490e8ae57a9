"""consent lifecycle: signed links, reminders, consent version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 07:03:33.204556
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signed_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.String(length=64), nullable=False),
    sa.Column('short_code', sa.String(length=16), nullable=True),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=True),
    sa.Column('draft_id', sa.String(length=64), nullable=True),
    sa.Column('consent_version', sa.Integer(), nullable=False),
    sa.Column('addressed_to', sa.String(length=16), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('date_of_birth_failures', sa.Integer(), nullable=False),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_signed_links_referral_id_referrals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_links')),
    sa.UniqueConstraint('link_id', name=op.f('uq_signed_links_link_id')),
    sa.UniqueConstraint('short_code', name=op.f('uq_signed_links_short_code'))
    )
    with op.batch_alter_table('signed_links', schema=None) as batch_op:
        batch_op.create_index('ix_signed_links_live', ['purpose', 'referral_id', 'draft_id'], unique=False)

    op.create_table('consent_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('by_email', sa.Boolean(), nullable=False),
    sa.Column('by_letter', sa.Boolean(), nullable=False),
    sa.Column('addressed_to', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['signed_links.id'], name=op.f('fk_consent_reminders_link_id_signed_links')),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_consent_reminders_referral_id_referrals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_reminders')),
    sa.UniqueConstraint('referral_id', 'due_on', 'kind', name='uq_consent_reminders_step')
    )
    with op.batch_alter_table('consent_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_reminders_done_on'), ['done_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_reminders_referral_id'), ['referral_id'], unique=False)

    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_version', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_column('consent_version')

    with op.batch_alter_table('consent_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_reminders_referral_id'))
        batch_op.drop_index(batch_op.f('ix_consent_reminders_done_on'))

    op.drop_table('consent_reminders')
    with op.batch_alter_table('signed_links', schema=None) as batch_op:
        batch_op.drop_index('ix_signed_links_live')

    op.drop_table('signed_links')

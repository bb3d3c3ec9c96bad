"""several replicas: delivery claims on expert replies (routing/relay.py) and the SLA sweep's
notices, each recorded once (routing/sla.py)

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

UNSETTLED = sa.text("delivery = 'pending'")


def upgrade() -> None:
    with op.batch_alter_table('handoff_messages') as batch:
        batch.add_column(sa.Column('delivery_owner', sa.String(64), nullable=True))
        batch.add_column(sa.Column('delivery_until', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('delivery_attempts', sa.Integer(), nullable=False, server_default='0'))
    # The relay looks only at replies still to send: a small partial index, however long the history.
    op.create_index('ix_handoff_messages_unsettled', 'handoff_messages', ['handoff_id', 'id'],
                    postgresql_where=UNSETTLED, sqlite_where=UNSETTLED)
    op.create_table(
        'sla_notices',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('handoff_id', sa.String(32), sa.ForeignKey('handoffs.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('handoff_id', 'kind', 'due_at', name='uq_sla_notices_once'),
    )


def downgrade() -> None:
    op.drop_table('sla_notices')
    op.drop_index('ix_handoff_messages_unsettled', table_name='handoff_messages')
    with op.batch_alter_table('handoff_messages') as batch:
        batch.drop_column('delivery_attempts')
        batch.drop_column('delivery_until')
        batch.drop_column('delivery_owner')

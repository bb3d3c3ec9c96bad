"""conversation archive: events taken from Rasa's event broker, and where each source was left

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('archived_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('broker_id', sa.BigInteger(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('event_type', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('intent', sa.String(length=255), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('channel', sa.String(length=64), nullable=True),
    sa.Column('external', sa.Boolean(), nullable=False),
    sa.Column('buttons', sa.Text(), nullable=True),
    sa.Column('slot', sa.String(length=64), nullable=True),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'broker_id', 'fingerprint')
    )
    op.create_index('ix_archived_events_conversation_id', 'archived_events', ['conversation_id'])
    op.create_index('ix_archived_events_at', 'archived_events', ['at'])
    op.create_table('archive_cursors',
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source')
    )


def downgrade() -> None:
    op.drop_table('archive_cursors')
    op.drop_index('ix_archived_events_at', 'archived_events')
    op.drop_index('ix_archived_events_conversation_id', 'archived_events')
    op.drop_table('archived_events')

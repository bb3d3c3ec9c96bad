"""console: the audit log of admin and supervisor actions, and what each person has read of a handoff

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_audit_entries_at', 'audit_entries', ['at'])
    op.create_index('ix_audit_entries_actor', 'audit_entries', ['actor'])
    op.create_index('ix_audit_entries_action', 'audit_entries', ['action'])
    op.create_table('handoff_views',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('handoff_id', sa.String(length=32), nullable=False),
    sa.Column('seen_message_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoffs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'handoff_id')
    )


def downgrade() -> None:
    op.drop_table('handoff_views')
    op.drop_index('ix_audit_entries_action', table_name='audit_entries')
    op.drop_index('ix_audit_entries_actor', table_name='audit_entries')
    op.drop_index('ix_audit_entries_at', table_name='audit_entries')
    op.drop_table('audit_entries')

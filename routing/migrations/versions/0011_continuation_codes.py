"""Continuation codes (接续码): her request follows her to another app (routing/continuation.py)

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'continuation_codes',
        sa.Column('digest', sa.String(64), primary_key=True),
        sa.Column('handoff_id', sa.String(32), sa.ForeignKey('handoffs.id', ondelete='CASCADE'), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_continuation_codes_handoff_id', 'continuation_codes', ['handoff_id'])
    op.create_table(
        'continuation_wrong_codes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_continuation_wrong_codes_at', 'continuation_wrong_codes', ['at'])


def downgrade() -> None:
    op.drop_index('ix_continuation_wrong_codes_at', table_name='continuation_wrong_codes')
    op.drop_table('continuation_wrong_codes')
    op.drop_index('ix_continuation_codes_handoff_id', table_name='continuation_codes')
    op.drop_table('continuation_codes')

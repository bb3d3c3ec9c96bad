"""执委学堂 for cadres at all five levels: a cadre's account tied to her federation office
(routing/study.py `CadreOffice`)

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'cadre_offices',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('organisation_id', sa.String(64), sa.ForeignKey('organisations.id'), nullable=False),
    )
    op.create_index('ix_cadre_offices_organisation_id', 'cadre_offices', ['organisation_id'])


def downgrade() -> None:
    op.drop_index('ix_cadre_offices_organisation_id', table_name='cadre_offices')
    op.drop_table('cadre_offices')

"""activities and their sign-ups (routing/activity_models.py); 执委学堂 results (routing/study.py)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'activities',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('title', sa.String(200), nullable=False),
        sa.Column('organiser', sa.String(200), nullable=False),
        sa.Column('city', sa.String(20), nullable=False),
        sa.Column('place', sa.String(300), nullable=True),
        sa.Column('online', sa.Boolean(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('places_left', sa.Integer(), nullable=False),
        sa.Column('audience', sa.String(200), nullable=False),
        sa.Column('area', sa.String(32), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('keywords', sa.String(500), nullable=False),
        sa.Column('sample', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('places_left >= 0 AND places_left <= capacity', name='ck_activities_places_left'),
    )
    op.create_index('ix_activities_starts_at', 'activities', ['starts_at'])
    op.create_table(
        'activity_signups',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('activity_id', sa.String(64), sa.ForeignKey('activities.id', ondelete='CASCADE'), nullable=False),
        sa.Column('conversation_id', sa.String(200), nullable=False),
        sa.Column('channel', sa.String(32), nullable=True),
        sa.Column('name', sa.String(50), nullable=False),
        sa.Column('phone', sa.String(20), nullable=False),
        sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint('activity_id', 'conversation_id', name='uq_activity_signup_conversation'),
    )
    op.create_index('ix_activity_signups_activity_id', 'activity_signups', ['activity_id'])
    op.create_index('ix_activity_signups_conversation_id', 'activity_signups', ['conversation_id'])
    op.create_table(
        'study_results',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('level', sa.String(16), nullable=False),
        sa.Column('region', sa.String(200), nullable=False),
        sa.Column('topic', sa.String(32), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_study_results_user_id', 'study_results', ['user_id'])


def downgrade() -> None:
    op.drop_table('study_results')
    op.drop_table('activity_signups')
    op.drop_table('activities')

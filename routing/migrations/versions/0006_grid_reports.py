"""grid reporting: the grid tree, its people, chat bindings, children's base records, reports and their events

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('grid_units',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('parent_code', sa.String(length=32), nullable=True),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('sample', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['grid_units.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_index('ix_grid_units_path', 'grid_units', ['path'])
    op.create_table('grid_members',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_code'], ['grid_units.code'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('grid_binding_codes',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('grid_chat_bindings',
    sa.Column('conversation_id', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id')
    )
    op.create_index('ix_grid_chat_bindings_user_id', 'grid_chat_bindings', ['user_id'])
    op.create_table('grid_children',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('id_masked', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('grid_code', sa.String(length=32), nullable=False),
    sa.Column('guardian', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('last_visit_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['grid_code'], ['grid_units.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('id_hash')
    )
    op.create_index('ix_grid_children_grid_code', 'grid_children', ['grid_code'])
    op.create_table('grid_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('grid_code', sa.String(length=32), nullable=False),
    sa.Column('town_code', sa.String(length=32), nullable=False),
    sa.Column('scope_path', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=8), nullable=False),
    sa.Column('person_name', sa.String(length=50), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('urgency', sa.String(length=8), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('danger', sa.Boolean(), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('no_consent_reason', sa.Text(), nullable=True),
    sa.Column('area', sa.String(length=32), nullable=True),
    sa.Column('area_by', sa.String(length=16), nullable=False),
    sa.Column('triage_attempts', sa.Integer(), nullable=False),
    sa.Column('triage_after', sa.DateTime(timezone=True), nullable=True),
    sa.Column('work_order_no', sa.String(length=64), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reporter_name', sa.String(length=64), nullable=False),
    sa.Column('reporter_conversation_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('handoff_id', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stage_started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stage_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_to', sa.String(length=32), nullable=True),
    sa.Column('dispatch_level', sa.String(length=8), nullable=True),
    sa.Column('dispatch_unit', sa.String(length=32), nullable=True),
    sa.Column('reject_reason', sa.Text(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grid_code'], ['grid_units.code'], ),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['child_id'], ['grid_children.id'], ),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoffs.id'], ),
    sa.ForeignKeyConstraint(['escalated_to'], ['grid_units.code'], ),
    sa.ForeignKeyConstraint(['dispatch_unit'], ['grid_units.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('work_order_no')
    )
    for column in ('source', 'town_code', 'scope_path', 'area', 'status', 'stage_due_at', 'created_at'):
        op.create_index(f'ix_grid_reports_{column}', 'grid_reports', [column])
    op.create_table('grid_report_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['grid_reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_grid_report_events_report_id', 'grid_report_events', ['report_id'])


def downgrade() -> None:
    op.drop_table('grid_report_events')
    op.drop_table('grid_reports')
    op.drop_table('grid_children')
    op.drop_table('grid_chat_bindings')
    op.drop_table('grid_binding_codes')
    op.drop_table('grid_members')
    op.drop_table('grid_units')

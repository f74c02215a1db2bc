"""Undo entries per user and the merge journal (unmerge).

Revision ID: 0005
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'undo_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('reversal', sa.JSON(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_undo_entries_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_undo_entries')),
    )
    op.create_index('ix_undo_entries_user_created', 'undo_entries',
                    ['user_id', 'undone_at', 'id'], unique=False)
    op.create_table(
        'merge_journal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('primary_id', sa.Integer(), nullable=False),
        sa.Column('merged_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('merged_at', sa.DateTime(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['primary_id'], ['tickets.id'], ondelete='CASCADE',
                                name=op.f('fk_merge_journal_primary_id_tickets')),
        sa.ForeignKeyConstraint(['merged_id'], ['tickets.id'], ondelete='CASCADE',
                                name=op.f('fk_merge_journal_merged_id_tickets')),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_merge_journal_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_journal')),
        sa.UniqueConstraint('merged_id', name=op.f('uq_merge_journal_merged_id')),
    )
    op.create_index(op.f('ix_merge_journal_primary_id'), 'merge_journal', ['primary_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_merge_journal_primary_id'), table_name='merge_journal')
    op.drop_table('merge_journal')
    op.drop_index('ix_undo_entries_user_created', table_name='undo_entries')
    op.drop_table('undo_entries')

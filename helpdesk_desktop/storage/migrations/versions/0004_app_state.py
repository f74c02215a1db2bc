"""A small key-value table for the program's own bookkeeping (e.g. an unfinished demo build).

Revision ID: 0004
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_state',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_state'))
    )


def downgrade() -> None:
    op.drop_table('app_state')

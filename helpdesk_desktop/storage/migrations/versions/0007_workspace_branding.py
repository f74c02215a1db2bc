"""Workspace branding: the company name and logo printed on transcripts.

Revision ID: 0007
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'workspace_branding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_name', sa.String(length=200), nullable=False),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workspace_branding')),
    )


def downgrade() -> None:
    op.drop_table('workspace_branding')

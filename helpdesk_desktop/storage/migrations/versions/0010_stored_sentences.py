"""Sentences kept as msgid + arguments, so that a reader sees them in their own language: why a
message was set aside (``set_aside_mail.reason_sentence``) and why a reply could not be sent
(``outbox.error_sentence``). The English text stays in ``reason``/``last_error``; rows written
before have no sentence and show that text. (Timeline entries keep theirs in
``activities.data``, which needed no new column.)

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without a default: a plain ALTER TABLE ... ADD COLUMN on both
    # databases (no table copy, however much raw mail set_aside_mail holds).
    op.add_column("set_aside_mail", sa.Column("reason_sentence", sa.JSON(), nullable=True))
    op.add_column("outbox", sa.Column("error_sentence", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as table:
        table.drop_column("error_sentence")
    with op.batch_alter_table("set_aside_mail") as table:
        table.drop_column("reason_sentence")

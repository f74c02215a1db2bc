"""Mail intake and the composer: duplicate keys, intake notes and inline-image ids on
messages, per-inbox sender rules, mail set aside, drafts, and a signature per agent.

Columns are added with plain ALTER TABLE (no batch copy), so SQLite keeps the full-text
triggers on ``messages``.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('signature', sa.Text(), nullable=False, server_default=''))
    op.add_column('messages', sa.Column('dedupe_key', sa.String(length=64), nullable=True))
    op.add_column('messages', sa.Column('intake_note', sa.Text(), nullable=True))
    op.create_index('ix_messages_dedupe_key', 'messages', ['dedupe_key'], unique=True)
    op.add_column('attachments', sa.Column('content_id', sa.String(length=500), nullable=True))

    op.create_table('sender_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inbox_id', sa.Integer(), nullable=False),
    sa.Column('pattern', sa.String(length=320), nullable=False),
    sa.Column('allow', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['inbox_id'], ['inboxes.id'], name=op.f('fk_sender_rules_inbox_id_inboxes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sender_rules')),
    sa.UniqueConstraint('inbox_id', 'pattern', name=op.f('uq_sender_rules_inbox_id'))
    )
    op.create_index('ix_sender_rules_inbox_id', 'sender_rules', ['inbox_id'], unique=False)

    op.create_table('set_aside_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inbox_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('message_id_header', sa.String(length=500), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['inbox_id'], ['inboxes.id'], name=op.f('fk_set_aside_mail_inbox_id_inboxes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_set_aside_mail'))
    )
    op.create_index('ix_set_aside_mail_inbox_id', 'set_aside_mail', ['inbox_id'], unique=False)
    op.create_index('ix_set_aside_mail_received_at', 'set_aside_mail', ['received_at'], unique=False)

    op.create_table('drafts',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('to_addresses', sa.Text(), nullable=False),
    sa.Column('cc_addresses', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_drafts_ticket_id_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', 'user_id', name=op.f('pk_drafts'))
    )
    op.create_index('ix_drafts_user_id', 'drafts', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('drafts')
    op.drop_table('set_aside_mail')
    op.drop_table('sender_rules')
    with op.batch_alter_table('attachments') as batch_op:
        batch_op.drop_column('content_id')
    op.drop_index('ix_messages_dedupe_key', table_name='messages')
    with op.batch_alter_table('messages') as batch_op:
        batch_op.drop_column('intake_note')
        batch_op.drop_column('dedupe_key')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('signature')

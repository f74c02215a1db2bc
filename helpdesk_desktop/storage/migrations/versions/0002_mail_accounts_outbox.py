"""Mail accounts (IMAP/SMTP per inbox), IMAP folder read state, and the outbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 08:20:00
"""
from alembic import op
import sqlalchemy as sa



revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table('mail_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inbox_id', sa.Integer(), nullable=False),
    sa.Column('auth', _enum('mail_auth', 'password', 'xoauth2'), nullable=False),
    sa.Column('oauth_provider', sa.String(length=32), nullable=True),
    sa.Column('imap_host', sa.String(length=255), nullable=False),
    sa.Column('imap_port', sa.Integer(), nullable=False),
    sa.Column('imap_security', _enum('mail_security', 'tls', 'starttls', 'none'), nullable=False),
    sa.Column('imap_user', sa.String(length=320), nullable=False),
    sa.Column('imap_folder', sa.String(length=255), nullable=False),
    sa.Column('mark_seen', sa.Boolean(), nullable=False),
    sa.Column('poll_seconds', sa.Integer(), nullable=False),
    sa.Column('smtp_host', sa.String(length=255), nullable=False),
    sa.Column('smtp_port', sa.Integer(), nullable=False),
    sa.Column('smtp_security', _enum('mail_security', 'tls', 'starttls', 'none'), nullable=False),
    sa.Column('smtp_user', sa.String(length=320), nullable=False),
    sa.Column('sender_address', sa.String(length=320), nullable=False),
    sa.Column('sender_name', sa.String(length=200), nullable=False),
    sa.Column('undo_seconds', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['inbox_id'], ['inboxes.id'], name=op.f('fk_mail_accounts_inbox_id_inboxes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_accounts')),
    sa.UniqueConstraint('inbox_id', name=op.f('uq_mail_accounts_inbox_id'))
    )
    op.create_table('mail_folder_states',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('folder', sa.String(length=255), nullable=False),
    sa.Column('uid_validity', sa.BigInteger(), nullable=False),
    sa.Column('last_uid', sa.BigInteger(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['mail_accounts.id'], name=op.f('fk_mail_folder_states_account_id_mail_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'folder', name=op.f('pk_mail_folder_states'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('state', _enum('outbox_state', 'queued', 'sending', 'sent', 'failed', 'cancelled'), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claim_token', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['mail_accounts.id'], name=op.f('fk_outbox_account_id_mail_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_outbox_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outbox_message_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['state', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')
    op.drop_table('outbox')
    op.drop_table('mail_folder_states')
    op.drop_table('mail_accounts')

"""Initial schema: every table of the help desk, plus full-text search.

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 04:18:05.871480
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('companies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('domain', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies'))
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companies_name'), ['name'], unique=False)

    op.create_table('deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deals'))
    )
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deals_name'), ['name'], unique=False)

    op.create_table('inboxes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('help_desk', 'conversations', name='inbox_kind', native_enum=False, length=32), nullable=False),
    sa.Column('channel', sa.Enum('email', 'chat', 'form', 'phone', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inboxes')),
    sa.UniqueConstraint('name', name=op.f('uq_inboxes_name'))
    )
    op.create_table('pipelines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipelines')),
    sa.UniqueConstraint('name', name=op.f('uq_pipelines_name'))
    )
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_teams_name'))
    )
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_contacts_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_name'), ['name'], unique=False)

    op.create_table('statuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pipeline_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_closed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipelines.id'], name=op.f('fk_statuses_pipeline_id_pipelines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statuses')),
    sa.UniqueConstraint('pipeline_id', 'name', name=op.f('uq_statuses_pipeline_id'))
    )
    with op.batch_alter_table('statuses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statuses_pipeline_id'), ['pipeline_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('help_desk_access', sa.Boolean(), nullable=False),
    sa.Column('service_seat', sa.Boolean(), nullable=False),
    sa.Column('can_delete_tickets', sa.Boolean(), nullable=False),
    sa.Column('account_access', sa.Boolean(), nullable=False),
    sa.Column('super_admin', sa.Boolean(), nullable=False),
    sa.Column('scope', sa.Enum('all', 'team', 'owned', name='access_scope', native_enum=False, length=32), nullable=False),
    sa.Column('notify_record_updates', sa.Boolean(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_users_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_team_id'), ['team_id'], unique=False)

    op.create_table('saved_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_views_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_views')),
    sa.UniqueConstraint('user_id', 'name', name=op.f('uq_saved_views_user_id'))
    )
    with op.batch_alter_table('saved_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_views_user_id'), ['user_id'], unique=False)

    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('pipeline_id', sa.Integer(), nullable=False),
    sa.Column('status_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.SmallInteger(), nullable=True),
    sa.Column('category', sa.Enum('product_issue', 'billing_issue', 'feature_request', 'general_inquiry', name='category', native_enum=False, length=32), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('inbox_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('email', 'chat', 'form', 'phone', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('state', sa.Enum('live', 'spam', 'deleted', 'merged', name='ticket_state', native_enum=False, length=32), nullable=False),
    sa.Column('spam_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inbox_id'], ['inboxes.id'], name=op.f('fk_tickets_inbox_id_inboxes')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['tickets.id'], name=op.f('fk_tickets_merged_into_id_tickets')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tickets_owner_id_users')),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipelines.id'], name=op.f('fk_tickets_pipeline_id_pipelines')),
    sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_tickets_status_id_statuses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_deleted_at', ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_inbox_id'), ['inbox_id'], unique=False)
        batch_op.create_index('ix_tickets_merged_into', ['merged_into_id'], unique=False)
        batch_op.create_index('ix_tickets_owner_state_activity', ['owner_id', 'state', 'last_activity_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_pipeline_id'), ['pipeline_id'], unique=False)
        batch_op.create_index('ix_tickets_spam_at', ['spam_at'], unique=False)
        batch_op.create_index('ix_tickets_state_activity', ['state', 'last_activity_at', 'id'], unique=False)
        batch_op.create_index('ix_tickets_state_category', ['state', 'category', 'id'], unique=False)
        batch_op.create_index('ix_tickets_state_closed_activity', ['state', 'closed_at', 'last_activity_at', 'id'], unique=False)
        batch_op.create_index('ix_tickets_state_created', ['state', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_tickets_state_name', ['state', 'name', 'id'], unique=False)
        batch_op.create_index('ix_tickets_state_priority', ['state', 'priority', 'id'], unique=False)
        batch_op.create_index('ix_tickets_status_activity', ['status_id', 'last_activity_at', 'id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('created', 'message', 'property_changed', 'association_changed', 'followed', 'unfollowed', 'split_from', 'split_into', 'merged', 'conversation_moved', 'spam', 'not_spam', 'deleted', 'restored', name='activity_kind', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_activities_actor_id_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_activities_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_ticket_created', ['ticket_id', 'created_at', 'id'], unique=False)

    op.create_table('conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('origin_ticket_id', sa.Integer(), nullable=True),
    sa.Column('inbox_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('email', 'chat', 'form', 'phone', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('spam_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_conversations_contact_id_contacts')),
    sa.ForeignKeyConstraint(['inbox_id'], ['inboxes.id'], name=op.f('fk_conversations_inbox_id_inboxes')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_conversations_owner_id_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_conversations_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_inbox_id'), ['inbox_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_spam_at'), ['spam_at'], unique=False)
        batch_op.create_index('ix_conversations_ticket_created', ['ticket_id', 'created_at'], unique=False)

    op.create_table('followers',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_followers_ticket_id_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_followers_user_id_users')),
    sa.PrimaryKeyConstraint('ticket_id', 'user_id', name=op.f('pk_followers'))
    )
    with op.batch_alter_table('followers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followers_user_id'), ['user_id'], unique=False)

    op.create_table('read_states',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('forced_unread', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_read_states_ticket_id_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_read_states_user_id_users')),
    sa.PrimaryKeyConstraint('ticket_id', 'user_id', name=op.f('pk_read_states'))
    )
    with op.batch_alter_table('read_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_read_states_user_id'), ['user_id'], unique=False)

    op.create_table('ticket_companies',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_ticket_companies_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_companies_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', 'company_id', name=op.f('pk_ticket_companies'))
    )
    with op.batch_alter_table('ticket_companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_companies_company_id'), ['company_id'], unique=False)

    op.create_table('ticket_contacts',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_ticket_contacts_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_contacts_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', 'contact_id', name=op.f('pk_ticket_contacts'))
    )
    with op.batch_alter_table('ticket_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_contacts_contact_id'), ['contact_id'], unique=False)

    op.create_table('ticket_deals',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_ticket_deals_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_deals_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', 'deal_id', name=op.f('pk_ticket_deals'))
    )
    with op.batch_alter_table('ticket_deals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_deals_deal_id'), ['deal_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('email', 'reply', 'chat', 'note', 'comment', name='message_kind', native_enum=False, length=32), nullable=False),
    sa.Column('direction', sa.Enum('incoming', 'outgoing', 'internal', name='direction', native_enum=False, length=32), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('author_contact_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('author_email', sa.String(length=320), nullable=True),
    sa.Column('to_addresses', sa.Text(), nullable=False),
    sa.Column('cc_addresses', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('message_id_header', sa.String(length=500), nullable=True),
    sa.Column('in_reply_to', sa.String(length=500), nullable=True),
    sa.Column('references', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['author_contact_id'], ['contacts.id'], name=op.f('fk_messages_author_contact_id_contacts')),
    sa.ForeignKeyConstraint(['author_user_id'], ['users.id'], name=op.f('fk_messages_author_user_id_users')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_messages_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_conversation_sent', ['conversation_id', 'sent_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_message_id_header'), ['message_id_header'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_notifications_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_notifications_ticket_id_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at', 'created_at'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=500), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_attachments_message_id_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_message_id'), ['message_id'], unique=False)
    _create_full_text_search()


SQLITE_FTS = [
    # External-content FTS5 tables: the text stays in tickets/messages, the index follows it
    # through triggers. remove_diacritics lets "resolu" find "résolu".
    """CREATE VIRTUAL TABLE ticket_name_fts USING fts5(
        name, content='tickets', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
        INSERT INTO ticket_name_fts(rowid, name) VALUES (new.id, new.name); END""",
    """CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
        INSERT INTO ticket_name_fts(ticket_name_fts, rowid, name)
        VALUES ('delete', old.id, old.name); END""",
    """CREATE TRIGGER tickets_fts_au AFTER UPDATE OF name ON tickets BEGIN
        INSERT INTO ticket_name_fts(ticket_name_fts, rowid, name)
        VALUES ('delete', old.id, old.name);
        INSERT INTO ticket_name_fts(rowid, name) VALUES (new.id, new.name); END""",
    """CREATE VIRTUAL TABLE message_fts USING fts5(
        subject, body_text, content='messages', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
        INSERT INTO message_fts(rowid, subject, body_text)
        VALUES (new.id, new.subject, new.body_text); END""",
    """CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
        INSERT INTO message_fts(message_fts, rowid, subject, body_text)
        VALUES ('delete', old.id, old.subject, old.body_text); END""",
    """CREATE TRIGGER messages_fts_au AFTER UPDATE OF subject, body_text ON messages BEGIN
        INSERT INTO message_fts(message_fts, rowid, subject, body_text)
        VALUES ('delete', old.id, old.subject, old.body_text);
        INSERT INTO message_fts(rowid, subject, body_text)
        VALUES (new.id, new.subject, new.body_text); END""",
]

POSTGRESQL_FTS = [
    "CREATE INDEX ix_tickets_name_fts ON tickets USING gin (to_tsvector('simple', name))",
    """CREATE INDEX ix_messages_fts ON messages USING gin (
        to_tsvector('simple', coalesce(subject, '') || ' ' || body_text))""",
]


def _create_full_text_search() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRESQL_FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("ticket_name_fts", "message_fts"):
            op.execute(f"DROP TABLE IF EXISTS {name}")
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_message_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
        batch_op.drop_index(batch_op.f('ix_notifications_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_activity_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_message_id_header'))
        batch_op.drop_index('ix_messages_conversation_sent')

    op.drop_table('messages')
    with op.batch_alter_table('ticket_deals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_deals_deal_id'))

    op.drop_table('ticket_deals')
    with op.batch_alter_table('ticket_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_contacts_contact_id'))

    op.drop_table('ticket_contacts')
    with op.batch_alter_table('ticket_companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_companies_company_id'))

    op.drop_table('ticket_companies')
    with op.batch_alter_table('read_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_read_states_user_id'))

    op.drop_table('read_states')
    with op.batch_alter_table('followers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followers_user_id'))

    op.drop_table('followers')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_ticket_created')
        batch_op.drop_index(batch_op.f('ix_conversations_spam_at'))
        batch_op.drop_index(batch_op.f('ix_conversations_inbox_id'))
        batch_op.drop_index(batch_op.f('ix_conversations_contact_id'))

    op.drop_table('conversations')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_ticket_created')

    op.drop_table('activities')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_status_activity')
        batch_op.drop_index('ix_tickets_state_priority')
        batch_op.drop_index('ix_tickets_state_name')
        batch_op.drop_index('ix_tickets_state_created')
        batch_op.drop_index('ix_tickets_state_closed_activity')
        batch_op.drop_index('ix_tickets_state_category')
        batch_op.drop_index('ix_tickets_state_activity')
        batch_op.drop_index('ix_tickets_spam_at')
        batch_op.drop_index(batch_op.f('ix_tickets_pipeline_id'))
        batch_op.drop_index('ix_tickets_owner_state_activity')
        batch_op.drop_index('ix_tickets_merged_into')
        batch_op.drop_index(batch_op.f('ix_tickets_inbox_id'))
        batch_op.drop_index('ix_tickets_deleted_at')

    op.drop_table('tickets')
    with op.batch_alter_table('saved_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_views_user_id'))

    op.drop_table('saved_views')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_team_id'))

    op.drop_table('users')
    with op.batch_alter_table('statuses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statuses_pipeline_id'))

    op.drop_table('statuses')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_name'))
        batch_op.drop_index(batch_op.f('ix_contacts_email'))
        batch_op.drop_index(batch_op.f('ix_contacts_company_id'))

    op.drop_table('contacts')
    op.drop_table('teams')
    op.drop_table('pipelines')
    op.drop_table('inboxes')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deals_name'))

    op.drop_table('deals')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_companies_name'))

    op.drop_table('companies')

"""PostgreSQL: each ticket's message words in one narrow row (``ticket_search_vectors``),
kept by triggers.

Counting the tickets of a common word read every message it hits from the wide messages
table ("bonjour", in 40 % of the messages at 100,000 tickets: 130,000 rows of 33,000 pages,
then their conversations) or planned a scan of it. ``ticket_search_vectors`` holds, for each
ticket, the set of the lexemes (no positions: ``&`` and prefix queries need none) of the
stored vectors (``messages.search_vector``, migration 0012) of the messages of its non-spam
conversations, with a GIN index: the tickets of a word are then one bitmap scan of a table
of one row per ticket. A ticket whose messages hold no word has no row.

For one word the row answers exactly what the messages would (a lexeme of the ticket's set
is a lexeme of one of its messages); for several words, all of them in one message, the row
is a first filter and the messages are checked (``search_pg``).

Statement triggers with transition tables keep it in the writing transaction, whatever
program writes: new messages add their lexemes to their ticket's row; a message changed,
moved or deleted, a conversation moved to another ticket, marked or unmarked spam or
deleted, has its tickets' rows computed again from their messages. The demo's bulk build
(``demo_bulk_pg``) disables the triggers and fills the table in one pass.

SQLite is unchanged (its FTS5 tables). Filling the table takes about 15 s at 100,000
tickets (330,000 messages).

Revision ID: 0013
Revises: 0012
"""
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The lexemes of the messages of the non-spam conversations of each ticket {where}.
_VECTORS = ("SELECT c.ticket_id, array_to_tsvector(array_agg(DISTINCT w.lexeme)) "
            "FROM {conversations} c JOIN {messages} m ON m.conversation_id = c.id "
            "CROSS JOIN LATERAL unnest(tsvector_to_array(m.search_vector)) AS w(lexeme) "
            "WHERE c.ticket_id IS NOT NULL AND c.spam_at IS NULL{where} GROUP BY c.ticket_id")

_FUNCTIONS = [
    # Every row of the tickets in ``ids`` computed again from their messages.
    """CREATE FUNCTION ticket_search_vectors_refresh(ids integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM ticket_search_vectors WHERE ticket_id = ANY(ids);
  INSERT INTO ticket_search_vectors (ticket_id, vector) """
    + _VECTORS.format(conversations="conversations", messages="messages",
                      where=" AND c.ticket_id = ANY(ids)") + """;
END $$""",
    # New messages: their lexemes added to their tickets' rows.
    """CREATE FUNCTION ticket_search_vectors_messages_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_search_vectors AS s (ticket_id, vector) """
    + _VECTORS.format(conversations="conversations", messages="new_rows", where="") + """
  ON CONFLICT (ticket_id) DO UPDATE SET vector = s.vector || excluded.vector;
  RETURN NULL;
END $$""",
    """CREATE FUNCTION ticket_search_vectors_messages_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_search_vectors_refresh(ARRAY(
    SELECT DISTINCT c.ticket_id FROM old_rows o JOIN new_rows n ON n.id = o.id
    JOIN conversations c ON c.id IN (o.conversation_id, n.conversation_id)
    WHERE c.ticket_id IS NOT NULL AND (o.conversation_id <> n.conversation_id
      OR o.search_vector IS DISTINCT FROM n.search_vector)));
  RETURN NULL;
END $$""",
    """CREATE FUNCTION ticket_search_vectors_messages_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_search_vectors_refresh(ARRAY(
    SELECT DISTINCT c.ticket_id FROM old_rows o JOIN conversations c ON c.id = o.conversation_id
    WHERE c.ticket_id IS NOT NULL));
  RETURN NULL;
END $$""",
    """CREATE FUNCTION ticket_search_vectors_conversations_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_search_vectors_refresh(ARRAY(
    SELECT DISTINCT t.id FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (VALUES (o.ticket_id), (n.ticket_id)) AS t(id)
    WHERE t.id IS NOT NULL AND (o.ticket_id IS DISTINCT FROM n.ticket_id
      OR (o.spam_at IS NULL) <> (n.spam_at IS NULL))));
  RETURN NULL;
END $$""",
    """CREATE FUNCTION ticket_search_vectors_conversations_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_search_vectors_refresh(ARRAY(
    SELECT DISTINCT o.ticket_id FROM old_rows o WHERE o.ticket_id IS NOT NULL));
  RETURN NULL;
END $$""",
]

_TRIGGERS = [
    ("messages", "INSERT", "NEW TABLE AS new_rows", "messages_added"),
    ("messages", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "messages_changed"),
    ("messages", "DELETE", "OLD TABLE AS old_rows", "messages_removed"),
    ("conversations", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
     "conversations_changed"),
    ("conversations", "DELETE", "OLD TABLE AS old_rows", "conversations_removed"),
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE ticket_search_vectors ("
               "ticket_id integer NOT NULL CONSTRAINT pk_ticket_search_vectors PRIMARY KEY "
               "CONSTRAINT fk_ticket_search_vectors_ticket_id_tickets "
               "REFERENCES tickets (id) ON DELETE CASCADE, "
               "vector tsvector NOT NULL)")
    op.execute("INSERT INTO ticket_search_vectors (ticket_id, vector) "
               + _VECTORS.format(conversations="conversations", messages="messages", where=""))
    op.execute("CREATE INDEX ix_ticket_search_vectors_vector ON ticket_search_vectors "
               "USING gin (vector)")
    for function in _FUNCTIONS:
        op.execute(function)
    for table, event, referencing, name in _TRIGGERS:
        op.execute(f"CREATE TRIGGER ticket_search_vectors_{name} AFTER {event} ON {table} "
                   f"REFERENCING {referencing} FOR EACH STATEMENT "
                   f"EXECUTE FUNCTION ticket_search_vectors_{name}()")
    # Statistics for the planner (search_pg chooses its form from its estimates).
    op.execute("ANALYZE ticket_search_vectors")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, _event, _referencing, name in _TRIGGERS:
        op.execute(f"DROP TRIGGER ticket_search_vectors_{name} ON {table}")
    for name in ("refresh(integer[])", "messages_added()", "messages_changed()",
                 "messages_removed()", "conversations_changed()",
                 "conversations_removed()"):
        op.execute(f"DROP FUNCTION ticket_search_vectors_{name}")
    op.execute("DROP TABLE ticket_search_vectors")

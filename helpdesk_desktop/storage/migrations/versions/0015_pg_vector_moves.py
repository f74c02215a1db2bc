"""PostgreSQL: a ticket that receives a conversation adds its words to its row of
``ticket_search_vectors``; only the ticket that gives it is computed again.

Migration 0013's trigger computed both tickets of a conversation's move again from all their
messages: merging two tickets of 500 messages read the 1,000 messages of the survivor (a
third of the merge's time in the database at 100,000 tickets). Now, when conversations
change hands (``UPDATE conversations``: a move to another ticket, spam marked or cleared),
the ticket they leave is computed again (a word may be gone from it: only its messages can
say; for a merge's tombstone that is no message at all), and the ticket they reach, unless
it also gave one in the same statement, gets the words of the received conversations'
messages added to its row (``||``, as for new messages): the merge reads the 500 messages
it moves, not the survivor's 1,000. The result is the same set of words, exactly.

Messages moved one by one (a split) keep 0013's trigger: the same done for them (the words
read from the statement's transition tables, which hold the whole rows) measured slower
than computing both tickets again through the indexes (44 against 36 ms for 500 messages,
load 12).

Revision ID: 0015
Revises: 0014
"""
from typing import Any

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# Adds the lexemes of the rows of ``gained(ticket_id, vector)`` to their tickets' rows.
_ADD = """INSERT INTO ticket_search_vectors AS s (ticket_id, vector)
    SELECT g.ticket_id, array_to_tsvector(array_agg(DISTINCT w.lexeme)) FROM gained g
    CROSS JOIN LATERAL unnest(tsvector_to_array(g.vector)) AS w(lexeme)
    GROUP BY g.ticket_id
    ON CONFLICT (ticket_id) DO UPDATE SET vector = s.vector || excluded.vector"""

_MOVED_CONVERSATIONS = """SELECT n.id, o.ticket_id AS old_ticket, n.ticket_id AS new_ticket,
           o.spam_at IS NULL AS old_counted, n.spam_at IS NULL AS new_counted
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE o.ticket_id IS DISTINCT FROM n.ticket_id
       OR (o.spam_at IS NULL) <> (n.spam_at IS NULL)"""

FUNCTIONS = {
    "conversations_changed": f"""CREATE OR REPLACE FUNCTION
ticket_search_vectors_conversations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lost integer[];
BEGIN
  -- The tickets a conversation left (or that no longer count it): computed again.
  lost := ARRAY(SELECT DISTINCT old_ticket FROM ({_MOVED_CONVERSATIONS}) c
                WHERE old_ticket IS NOT NULL AND old_counted);
  IF cardinality(lost) > 0 THEN
    PERFORM ticket_search_vectors_refresh(lost);
  END IF;
  -- The others that received one: the words of its messages added.
  WITH gained AS (SELECT c.new_ticket AS ticket_id, m.search_vector AS vector
                  FROM ({_MOVED_CONVERSATIONS}) c JOIN messages m ON m.conversation_id = c.id
                  WHERE c.new_ticket IS NOT NULL AND c.new_counted
                  AND NOT c.new_ticket = ANY(lost))
  {_ADD};
  RETURN NULL;
END $$""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in FUNCTIONS.values():
        op.execute(function)


def _revision_module(revision: str) -> Any:
    """Another revision's module as Alembic loaded it (its SQL reused, not copied)."""
    environment = op.get_context().environment_context
    assert environment is not None and environment.script is not None
    script = environment.script.get_revision(revision)
    assert script is not None
    return script.module


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in _revision_module("0013")._FUNCTIONS:
        for name in FUNCTIONS:
            if f"FUNCTION ticket_search_vectors_{name}()" in function:
                op.execute(function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))

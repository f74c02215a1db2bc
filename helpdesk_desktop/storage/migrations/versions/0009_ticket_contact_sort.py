"""Sort by contact through an index: ``tickets.contact_sort`` holds the name of the ticket's
first contact (the lowest contact id, the one the list shows), NULL for a ticket without one,
kept by triggers on ``ticket_contacts`` (added, removed, moved) and on ``contacts`` (renamed)
whatever service or tool writes them; indexed with the views' columns so that the contact
sort walks an index in order instead of sorting every matching ticket.

On PostgreSQL the triggers lock the ticket row first and read the contact's name ``FOR
SHARE``: a contact renamed while another transaction links it to a ticket is either waited
for (the link then reads the new name) or sees the link (the rename then rewrites it).

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_tickets_state_closed_contact": ["state", "closed_at", "contact_sort", "id"],
    "ix_tickets_state_contact": ["state", "contact_sort", "id"],
}

# The name of ticket {ticket}'s first contact (lowest contact id), as SQL.
_FIRST = ("(SELECT c.name FROM ticket_contacts tc JOIN contacts c ON c.id = tc.contact_id "
          "WHERE tc.ticket_id = {ticket} ORDER BY tc.contact_id LIMIT 1)")


def _sqlite_refresh(ticket: str) -> str:
    first = _FIRST.format(ticket=ticket)
    return (f"UPDATE tickets SET contact_sort = {first} "
            f"WHERE id = {ticket} AND contact_sort IS NOT {first};")


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER ticket_contacts_sort_ai AFTER INSERT ON ticket_contacts BEGIN
        {_sqlite_refresh('new.ticket_id')} END""",
    f"""CREATE TRIGGER ticket_contacts_sort_ad AFTER DELETE ON ticket_contacts BEGIN
        {_sqlite_refresh('old.ticket_id')} END""",
    f"""CREATE TRIGGER ticket_contacts_sort_au AFTER UPDATE ON ticket_contacts BEGIN
        {_sqlite_refresh('old.ticket_id')} {_sqlite_refresh('new.ticket_id')} END""",
    f"""CREATE TRIGGER contacts_sort_au AFTER UPDATE OF name ON contacts
        WHEN old.name IS NOT new.name BEGIN
        UPDATE tickets SET contact_sort = {_FIRST.format(ticket='tickets.id')}
        WHERE id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id = new.id); END""",
]

POSTGRESQL_TRIGGERS = [
    """CREATE FUNCTION ticket_contact_sort_refresh(target integer) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE
        first_name varchar(200);
    BEGIN
        -- The ticket first: what the next statement reads is then committed or ours.
        PERFORM 1 FROM tickets WHERE id = target FOR NO KEY UPDATE;
        SELECT c.name INTO first_name FROM ticket_contacts tc
            JOIN contacts c ON c.id = tc.contact_id
            WHERE tc.ticket_id = target ORDER BY tc.contact_id LIMIT 1 FOR SHARE OF c;
        UPDATE tickets SET contact_sort = first_name
            WHERE id = target AND contact_sort IS DISTINCT FROM first_name;
    END $$""",
    """CREATE FUNCTION ticket_contacts_sort() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            PERFORM ticket_contact_sort_refresh(OLD.ticket_id);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT'
                                             OR NEW.ticket_id <> OLD.ticket_id
                                             OR NEW.contact_id <> OLD.contact_id) THEN
            PERFORM ticket_contact_sort_refresh(NEW.ticket_id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER ticket_contacts_sort AFTER INSERT OR DELETE OR UPDATE ON ticket_contacts
        FOR EACH ROW EXECUTE FUNCTION ticket_contacts_sort()""",
    """CREATE FUNCTION contacts_sort() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        target integer;
    BEGIN
        FOR target IN SELECT ticket_id FROM ticket_contacts WHERE contact_id = NEW.id
                      ORDER BY ticket_id LOOP
            PERFORM ticket_contact_sort_refresh(target);
        END LOOP;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER contacts_sort AFTER UPDATE OF name ON contacts
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION contacts_sort()""",
]

BACKFILL = (f"UPDATE tickets SET contact_sort = {_FIRST.format(ticket='tickets.id')} "
            "WHERE id IN (SELECT ticket_id FROM ticket_contacts)")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("tickets", sa.Column("contact_sort", sa.String(length=200), nullable=True))
    op.execute(BACKFILL)
    for name, columns in INDEXES.items():
        op.create_index(name, "tickets", columns, unique=False)
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS:
        op.execute(statement)
    if dialect == "sqlite":
        op.execute("ANALYZE tickets")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("ticket_contacts_sort_ai", "ticket_contacts_sort_ad",
                     "ticket_contacts_sort_au", "contacts_sort_au"):
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER ticket_contacts_sort ON ticket_contacts")
        op.execute("DROP TRIGGER contacts_sort ON contacts")
        op.execute("DROP FUNCTION ticket_contacts_sort()")
        op.execute("DROP FUNCTION contacts_sort()")
        op.execute("DROP FUNCTION ticket_contact_sort_refresh(integer)")
    for name in INDEXES:
        op.drop_index(name, table_name="tickets")
    if op.get_bind().dialect.name == "sqlite":
        # Not a batch copy of the table: that would drop the other triggers on tickets.
        op.execute("ALTER TABLE tickets DROP COLUMN contact_sort")
    else:
        op.drop_column("tickets", "contact_sort")

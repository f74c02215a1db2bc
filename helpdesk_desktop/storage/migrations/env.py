"""Alembic environment: always runs on the connection handed over by the program."""

from alembic import context

from helpdesk_desktop.domain.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by the alembic command line
    raise SystemExit("Run migrations through helpdesk_desktop.storage.database.open_database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

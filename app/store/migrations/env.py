"""Alembic environment: runs on the connection ``app.store.migrate`` hands over (the keyed
SQLCipher one), never on a URL of its own, and never configures logging."""

from __future__ import annotations

from alembic import context

from app.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through app.store.migrate, on an open store connection")

# SQLite cannot ALTER most things in place; batch mode copies the table instead.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

"""Alembic environment: runs on the connection ``app.store.migrate`` hands over (the keyed
SQLCipher one), never on a URL of its own, and never configures logging."""

from __future__ import annotations

from alembic import context

from app.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through app.store.migrate, on an open store connection")

# SQLite cannot ALTER most things in place; batch mode copies the table instead.


def _include(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave alone tables that other parts keep in the same database (APScheduler's job store):
    a migration made by autogenerate must never drop what the schema does not describe."""
    return not (type_ == "table" and reflected and compare_to is None)


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    include_object=_include,
)
with context.begin_transaction():
    context.run_migrations()

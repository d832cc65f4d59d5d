"""Alembic migrations of the encrypted store, run programmatically (see ``app.store.migrate``)."""

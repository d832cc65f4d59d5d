"""app meta (format marker) and an index for per-account history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 00:09:54.596128
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    app_meta = op.create_table(
        "app_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    # The marker lets a restore or a future format change recognise a Warden store.
    op.bulk_insert(
        app_meta,
        [
            {"key": "format", "value": "warden-store"},
            {"key": "format_version", "value": "1"},
        ],
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index("ix_transfers_account_chain", ["account", "chain_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_transfers_account_chain")

    op.drop_table("app_meta")

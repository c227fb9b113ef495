"""accounts gone from the upstream: a refetch marks the accounts its snapshot no longer holds

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 8


def upgrade() -> None:
    # Payments keep referring to such an account, so it stays; it is neither found nor payable any more.
    op.add_column("accounts", sa.Column("gone_at", sa.DateTime(), nullable=True))  # ALTER TABLE … ADD COLUMN
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

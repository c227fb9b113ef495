"""meter readings: a bill carries the readings it was computed from (起码, 止码), when the upstream has them

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28

The text of a decimal as the meter shows it ("4521", "4521.37"): exact, and printed as read. Existing bills
have none (NULL) until the upstream sends them again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 9


def upgrade() -> None:
    op.add_column("bills", sa.Column("reading_start", sa.String(length=20), nullable=True))  # ADD COLUMN
    op.add_column("bills", sa.Column("reading_end", sa.String(length=20), nullable=True))
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

"""counter core: approvals, day-end settlements, waivers on allocations, cash movement purpose

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 3


def upgrade() -> None:
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=False),
        sa.Column("terminal_id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "day_settlements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("hall_code", sa.String(length=32), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("settled_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deposit_cash_fen", sa.Integer(), nullable=False),
        sa.Column("totals", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["settled_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hall_code", "business_date", name="uq_day_settlements_day"),
    )
    # Added columns only (plain ALTER TABLE ADD COLUMN, no table copy).
    op.add_column("allocations", sa.Column("penalty_waived_fen", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("allocations", sa.Column("prev_settled_through", sa.Date(), nullable=True))
    op.add_column("cash_movements", sa.Column("purpose", sa.String(length=16), nullable=False, server_default="other"))
    # SQLite adds a column with a foreign key in place when its default is NULL.
    op.execute("ALTER TABLE shifts ADD COLUMN settlement_id VARCHAR(36) REFERENCES day_settlements (id)")
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

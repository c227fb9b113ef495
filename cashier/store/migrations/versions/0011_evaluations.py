"""service evaluations: the customer's rating of each payment (服务评价器)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28

A new table only; no existing row changes. Each evaluation goes upstream through the outbox as its own
document kind (``evaluation``), whose column already takes any kind.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 11


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=16), nullable=False),
        sa.Column("cashier_id", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("rating IN ('very_satisfied', 'satisfied', 'unsatisfied', 'unrated')",
                           name="ck_evaluations_rating"),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"]),
        sa.ForeignKeyConstraint(["cashier_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("payment_id"),
    )
    op.create_index("ix_evaluations_day", "evaluations", ["business_date", "cashier_id"], unique=False)
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

"""held items: a supervisor's resolution of an upload the upstream refused or found in conflict

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 7

_OUTBOX_COLUMNS = "id, kind, entity_id, seq, payload, created_at, status, attempts, sent_at, last_error"


def upgrade() -> None:
    # The outbox gains the status 'resolved' (held, then settled by a supervisor: never sent again).
    # SQLite cannot alter a CHECK constraint: the table is rebuilt with its rows, columns in the same order.
    op.execute("""
        CREATE TABLE outbox_new (
            id INTEGER NOT NULL,
            kind VARCHAR(20) NOT NULL,
            entity_id VARCHAR(36) NOT NULL,
            seq INTEGER,
            payload TEXT NOT NULL,
            created_at DATETIME NOT NULL,
            status VARCHAR(12) NOT NULL,
            attempts INTEGER NOT NULL,
            sent_at DATETIME,
            last_error TEXT,
            PRIMARY KEY (id),
            CONSTRAINT ck_outbox_status
                CHECK (status IN ('pending', 'accepted', 'duplicate', 'rejected', 'conflict', 'resolved')),
            CONSTRAINT uq_outbox_entity UNIQUE (kind, entity_id)
        )""")
    op.execute(f"INSERT INTO outbox_new ({_OUTBOX_COLUMNS}) SELECT {_OUTBOX_COLUMNS} FROM outbox")
    op.execute("DROP TABLE outbox")
    op.execute("ALTER TABLE outbox_new RENAME TO outbox")
    op.execute("CREATE INDEX ix_outbox_pending ON outbox (id) WHERE status = 'pending'")
    op.create_table(
        "held_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("held_status", sa.String(length=12), nullable=False),
        sa.Column("upstream_note", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("action IN ('retry', 'accept_upstream', 'dismiss')", name="ck_held_resolutions_action"),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"]),
        sa.ForeignKeyConstraint(["resolved_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["approval_id"], ["approvals.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_held_resolutions_outbox_id", "held_resolutions", ["outbox_id"], unique=False)
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

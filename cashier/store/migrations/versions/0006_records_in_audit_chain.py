"""money records in the audit chain: digests for payments, reversals, cash movements and shift closes made before

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

From schema 6 each payment, reversal, cash movement and shift close's audit entry carries the
sha256 of its canonical body (``cashier.records``). Records made before have no such digest, so
this upgrade computes them once, from the rows (and, for the three payment fields no row holds,
from the outbox payload), and appends one ``records.cover`` entry per record to the chain, in
record order; no existing entry is touched. From then on ``audit-verify`` covers them like new ones.
No table or column changes.
"""

from datetime import datetime, timezone

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 6


def upgrade() -> None:
    from sqlalchemy.orm import Session

    from cashier.records import cover_unchained

    with Session(bind=op.get_bind()) as session:
        cover_unchained(session, datetime.now(timezone.utc).replace(tzinfo=None))
        session.flush()
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

"""money records in the audit chain: digests for payments, reversals, cash movements and shift closes made before

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

From schema 6 each payment, reversal, cash movement and shift close's audit entry carries the
sha256 of its canonical body (``cashier.records``). Records made before have no such digest, so
this upgrade has them computed once, from the rows (and, for the fields no row holds, from the
outbox payload), one ``records.cover`` entry per record appended to the chain in record order; no
existing entry is touched. From then on ``audit-verify`` covers them like new ones.

The digests are built with the program's own code (the protocol models, the ORM), which reads the
tables as the newest schema has them (schema 8 added ``accounts.gone_at``): so this step only marks
the work (``sync_state.records_cover_pending``) and ``cashier.store.schema.upgrade`` does it once the
database has reached the head, in the same transaction. No table or column changes.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 6
COVER_PENDING = "records_cover_pending"  # the same key as cashier.store.schema.COVER_PENDING


def upgrade() -> None:
    op.execute(f"INSERT INTO sync_state (key, value) VALUES ('{COVER_PENDING}', '1') "
               "ON CONFLICT (key) DO UPDATE SET value = '1'")
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

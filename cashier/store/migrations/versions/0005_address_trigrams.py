"""address trigrams in the search index: an address fragment of 3+ characters is found fast

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 5


def upgrade() -> None:
    # Same FTS5 table and columns; every account is indexed again with its address trigrams
    # (cashier.search_index.account_tokens), since address lookups of 3+ characters now ask
    # for them. A contentless table cannot be patched row by row without the old tokens, and
    # a rebuild at a million accounts is under a minute on two cores.
    from cashier.search_index import rebuild_parallel

    rebuild_parallel(op.get_bind())
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

"""customer search index: reversed phones and the FTS5 bigram/initials table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 2


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: no table copy, so this stays quick at a million accounts.
    op.add_column("accounts", sa.Column("phone_rev", sa.String(length=20), nullable=True))
    op.create_index("ix_accounts_phone_rev", "accounts", ["phone_rev"], unique=False)
    op.execute(
        "CREATE VIRTUAL TABLE account_search USING fts5("
        "name_uni, name_bi, addr_bi, py, content='', columnsize=0, "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    from cashier.search_index import rebuild

    rebuild(op.get_bind())
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None
# The human schema number, kept in PRAGMA user_version too.
SCHEMA_VERSION = None


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

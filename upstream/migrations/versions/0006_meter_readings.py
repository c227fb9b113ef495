"""bills carry the meter readings they were computed from (起码, 止码), when the import has them

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 05:00:00

The text of a decimal as the meter shows it ("4521", "4521.37"): exact. Existing bills have none (NULL)
until an import gives them; terminals of protocol version 3 receive them.
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reading_start', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('reading_end', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.drop_column('reading_end')
        batch_op.drop_column('reading_start')

"""audit anchors: each terminal's audit chain heads, as its pushes carried them

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'audit_anchors',
        sa.Column('terminal_id', sa.String(length=16), nullable=False),
        sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('terminal_id', 'seq'),
    )


def downgrade() -> None:
    op.drop_table('audit_anchors')

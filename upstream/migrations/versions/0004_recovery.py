"""answers kept whole and enrollments that can be retried

Each document keeps its answer's flags (``after_shift_close``, ``totals_differ``) so a replay is answered
as the original was; an enrollment code keeps the terminal key's hash and the token sealed under that key,
so a terminal whose answer was lost gets the same credentials when it retries.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 02:10:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flags', sa.String(length=200), nullable=True))
    with op.batch_alter_table('enrollment_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sealed_token', sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enrollment_codes', schema=None) as batch_op:
        batch_op.drop_column('sealed_token')
        batch_op.drop_column('key_hash')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('flags')

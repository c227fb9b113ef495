"""accounts belong to a hall; terminals see their hall's accounts; cross-hall reads and payments are logged

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 02:30:00

Existing accounts get no hall (NULL): no terminal sees them until an import names their hall
(``cashier-upstream import --hall H`` or a ``hall_code`` column); the cross-hall lookup still finds them.
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hall_code', sa.String(length=32), nullable=True))
        batch_op.create_index('ix_accounts_hall_no', ['hall_code', 'account_no'], unique=False)
        batch_op.create_index('ix_accounts_hall_change', ['hall_code', 'change_no'], unique=False)
    op.create_table('cross_hall_access',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('hall_code', sa.String(length=32), nullable=False),
    sa.Column('account_no', sa.String(length=20), nullable=False),
    sa.Column('account_hall', sa.String(length=32), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('document_id', sa.String(length=36), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cross_hall_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cross_hall_access_terminal_id'), ['terminal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cross_hall_access_account_no'), ['account_no'], unique=False)


def downgrade() -> None:
    op.drop_table('cross_hall_access')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_accounts_hall_change')
        batch_op.drop_index('ix_accounts_hall_no')
        batch_op.drop_column('hall_code')

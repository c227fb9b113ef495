"""reconciliation with the payment providers' statements: the day's run per provider and the mismatches found

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 05:20:00

``alarms.kind`` widens to 40 characters (``reconcile_charged_not_recorded``).
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('alarms', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=24), type_=sa.String(length=40),
                              existing_nullable=False)
    op.create_table('reconciliations',
    sa.Column('id', _ID, autoincrement=True, nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('run_at', sa.DateTime(), nullable=False),
    sa.Column('statement_lines', sa.Integer(), nullable=False),
    sa.Column('statement_fen', sa.BigInteger(), nullable=False),
    sa.Column('statement_refund_fen', sa.BigInteger(), nullable=False),
    sa.Column('ledger_payments', sa.Integer(), nullable=False),
    sa.Column('ledger_fen', sa.BigInteger(), nullable=False),
    sa.Column('ledger_refund_fen', sa.BigInteger(), nullable=False),
    sa.Column('matched', sa.Integer(), nullable=False),
    sa.Column('mismatches', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('business_date', 'provider', name='uq_reconciliations_day_provider')
    )
    op.create_table('reconciliation_mismatches',
    sa.Column('id', _ID, autoincrement=True, nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('ref_key', sa.String(length=80), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('order_no', sa.String(length=64), nullable=True),
    sa.Column('statement_fen', sa.BigInteger(), nullable=True),
    sa.Column('ledger_fen', sa.BigInteger(), nullable=True),
    sa.Column('terminal_id', sa.String(length=16), nullable=True),
    sa.Column('hall_code', sa.String(length=32), nullable=True),
    sa.Column('cashier', sa.String(length=64), nullable=True),
    sa.Column('document_id', sa.String(length=36), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('business_date', 'provider', 'kind', 'ref_key', name='uq_reconciliation_mismatch')
    )
    with op.batch_alter_table('reconciliation_mismatches', schema=None) as batch_op:
        batch_op.create_index('ix_reconciliation_mismatches_day_hall', ['business_date', 'hall_code'], unique=False)


def downgrade() -> None:
    op.drop_table('reconciliation_mismatches')
    op.drop_table('reconciliations')
    with op.batch_alter_table('alarms', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=40), type_=sa.String(length=24),
                              existing_nullable=False)

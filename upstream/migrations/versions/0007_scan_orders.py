"""scan-to-pay: the upstream's orders with payment providers and their refunds; the simulator's own books

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scan_orders',
    sa.Column('intent_id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('hall_code', sa.String(length=32), nullable=False),
    sa.Column('account_no', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('code_masked', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('provider_txn_id', sa.String(length=64), nullable=True),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('reason_code', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('intent_id'),
    sa.UniqueConstraint('payment_id')
    )
    with op.batch_alter_table('scan_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scan_orders_terminal_id'), ['terminal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_orders_provider_txn_id'), ['provider_txn_id'], unique=False)
    op.create_table('scan_refunds',
    sa.Column('refund_id', sa.String(length=36), nullable=False),
    sa.Column('intent_id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('reversal_id', sa.String(length=36), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('provider_refund_id', sa.String(length=64), nullable=True),
    sa.Column('reason_code', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['intent_id'], ['scan_orders.intent_id'], ),
    sa.PrimaryKeyConstraint('refund_id')
    )
    with op.batch_alter_table('scan_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scan_refunds_intent_id'), ['intent_id'], unique=False)
    op.create_table('simulator_orders',
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('order_no', sa.String(length=32), nullable=False),
    sa.Column('code_masked', sa.String(length=24), nullable=False),
    sa.Column('behaviour', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('txn_id', sa.String(length=64), nullable=False),
    sa.Column('charged', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('pay_calls', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('provider', 'order_no')
    )
    op.create_table('simulator_refunds',
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('refund_no', sa.String(length=32), nullable=False),
    sa.Column('order_no', sa.String(length=32), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('refund_txn_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('refunded_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('provider', 'refund_no')
    )


def downgrade() -> None:
    op.drop_table('simulator_refunds')
    op.drop_table('simulator_orders')
    op.drop_table('scan_refunds')
    op.drop_table('scan_orders')

"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 03:42:30.908867
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None
# The human schema number, kept in PRAGMA user_version too.
SCHEMA_VERSION = 1


def upgrade() -> None:
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_no', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('meter_no', sa.String(length=32), nullable=True),
    sa.Column('customer_class', sa.String(length=16), nullable=False),
    sa.Column('prepaid_meter', sa.Boolean(), nullable=False),
    sa.Column('supply_status', sa.String(length=20), nullable=False),
    sa.Column('special_group', sa.String(length=20), nullable=True),
    sa.Column('station', sa.String(length=50), nullable=True),
    sa.Column('transformer_area', sa.String(length=50), nullable=True),
    sa.Column('collector', sa.String(length=50), nullable=True),
    sa.Column('prepaid_balance_fen', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("customer_class IN ('residential', 'commercial', 'industrial', 'agricultural')", name='ck_accounts_class'),
    sa.CheckConstraint("special_group IS NULL OR special_group IN ('dibao', 'wubao', 'elderly_alone', 'disabled')", name='ck_accounts_special'),
    sa.CheckConstraint("supply_status IN ('normal', 'disconnected', 'reconnect_pending')", name='ck_accounts_supply'),
    sa.CheckConstraint('prepaid_balance_fen >= 0', name='ck_accounts_balance'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_no')
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index('ix_accounts_collector', ['collector'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_meter_no'), ['meter_no'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'duplicate', 'rejected', 'conflict')", name='ck_outbox_status'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'entity_id', name='uq_outbox_entity')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['id'], unique=False, sqlite_where=sa.text("status = 'pending'"))

    op.create_table('sync_state',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('terminal_sequences',
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('terminal_id')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=32), nullable=False),
    sa.Column('display_name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('cashier', 'supervisor', 'technician')", name='ck_users_role'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('bills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bill_no', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=6), nullable=False),
    sa.Column('kwh', sa.Integer(), nullable=False),
    sa.Column('principal_fen', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('outstanding_fen', sa.Integer(), nullable=False),
    sa.Column('penalty_settled_through', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('kwh >= 0', name='ck_bills_kwh'),
    sa.CheckConstraint('outstanding_fen >= 0 AND outstanding_fen <= principal_fen', name='ck_bills_outstanding'),
    sa.CheckConstraint('principal_fen >= 0', name='ck_bills_principal'),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'period', name='uq_bills_account_period'),
    sa.UniqueConstraint('bill_no')
    )
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.create_index('ix_bills_open', ['account_id', 'due_date'], unique=False, sqlite_where=sa.text('outstanding_fen > 0'))

    op.create_table('shifts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('cashier_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('opening_float_fen', sa.Integer(), nullable=False),
    sa.Column('opening_counts', sa.Text(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('expected_cash_fen', sa.Integer(), nullable=True),
    sa.Column('counted_cash_fen', sa.Integer(), nullable=True),
    sa.Column('closing_counts', sa.Text(), nullable=True),
    sa.Column('over_short_fen', sa.Integer(), nullable=True),
    sa.Column('over_short_reason', sa.Text(), nullable=True),
    sa.Column('over_short_approved_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'closed', 'signed_off', 'settled')", name='ck_shifts_status'),
    sa.CheckConstraint('opening_float_fen >= 0', name='ck_shifts_float'),
    sa.ForeignKeyConstraint(['cashier_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['over_short_approved_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.create_index('ux_shifts_one_open', ['terminal_id'], unique=True, sqlite_where=sa.text("status = 'open'"))

    op.create_table('cash_movements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("direction IN ('in', 'out')", name='ck_cash_movements_direction'),
    sa.CheckConstraint('amount_fen > 0', name='ck_cash_movements_amount'),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('terminal_id', 'seq', name='uq_cash_movements_terminal_seq')
    )
    with op.batch_alter_table('cash_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cash_movements_shift_id'), ['shift_id'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reverses_id', sa.String(length=36), nullable=True),
    sa.Column('shift_id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('cashier_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('due_fen', sa.Integer(), nullable=False),
    sa.Column('tendered_fen', sa.Integer(), nullable=False),
    sa.Column('change_fen', sa.Integer(), nullable=False),
    sa.Column('applied_fen', sa.Integer(), nullable=False),
    sa.Column('prepaid_credit_fen', sa.Integer(), nullable=False),
    sa.Column('penalty_waived_fen', sa.Integer(), nullable=False),
    sa.Column('reconnect_requested', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('reprint_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('payment', 'reversal')", name='ck_payments_kind'),
    sa.CheckConstraint('change_fen >= 0 AND prepaid_credit_fen >= 0', name='ck_payments_nonneg'),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['cashier_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['reverses_id'], ['payments.id'], ),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reverses_id'),
    sa.UniqueConstraint('terminal_id', 'seq', name='uq_payments_terminal_seq')
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index('ix_payments_account', ['account_id'], unique=False)
        batch_op.create_index('ix_payments_shift', ['shift_id'], unique=False)

    op.create_table('allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.String(length=36), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('penalty_fen', sa.Integer(), nullable=False),
    sa.Column('principal_fen', sa.Integer(), nullable=False),
    sa.Column('penalty_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['bills.id'], ),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocations_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocations_payment_id'), ['payment_id'], unique=False)

    op.create_table('tenders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.CheckConstraint("kind IN ('cash', 'bank_card', 'wechat', 'alipay', 'e_bao', 'prepaid_card')", name='ck_tenders_kind'),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenders_payment_id'), ['payment_id'], unique=False)

    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    raise NotImplementedError("the store only moves forward; restore a backup instead")

"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 05:32:48.132289
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('accounts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('account_no', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('meter_no', sa.String(length=64), nullable=True),
    sa.Column('customer_class', sa.String(length=16), nullable=False),
    sa.Column('prepaid_meter', sa.Boolean(), nullable=False),
    sa.Column('supply_status', sa.String(length=20), nullable=False),
    sa.Column('special_group', sa.String(length=20), nullable=True),
    sa.Column('station', sa.String(length=64), nullable=True),
    sa.Column('transformer_area', sa.String(length=64), nullable=True),
    sa.Column('collector', sa.String(length=64), nullable=True),
    sa.Column('prepaid_balance_fen', sa.BigInteger(), nullable=False),
    sa.Column('change_no', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_no')
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_change_no'), ['change_no'], unique=False)

    op.create_table('alarms',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cleared_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('alarms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alarms_terminal_id'), ['terminal_id'], unique=False)

    op.create_table('conflicts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body_hash', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'body_hash', name='uq_conflicts_body')
    )
    op.create_table('counters',
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('documents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=True),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('body_hash', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('account_no', sa.String(length=20), nullable=True),
    sa.Column('shift_id', sa.String(length=36), nullable=True),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('after_shift_close', sa.Boolean(), nullable=False),
    sa.Column('reverses_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reverses_id'),
    sa.UniqueConstraint('terminal_id', 'seq', name='uq_documents_terminal_seq')
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_account', ['account_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_shift_id'), ['shift_id'], unique=False)

    op.create_table('enrollment_codes',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('hall_code', sa.String(length=32), nullable=False),
    sa.Column('terminal_id', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('code_hash')
    )
    op.create_table('terminals',
    sa.Column('id', sa.String(length=16), nullable=False),
    sa.Column('hall_code', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('contiguous_seq', sa.BigInteger(), nullable=False),
    sa.Column('max_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('bills',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('bill_no', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('period', sa.String(length=6), nullable=False),
    sa.Column('kwh', sa.BigInteger(), nullable=False),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('outstanding_fen', sa.BigInteger(), nullable=False),
    sa.Column('penalty_settled_through', sa.Date(), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('change_no', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bill_no')
    )
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.create_index('ix_bills_account_due', ['account_id', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_bills_change_no'), ['change_no'], unique=False)

    op.create_table('document_allocations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('bill_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('penalty_fen', sa.BigInteger(), nullable=False),
    sa.Column('penalty_waived_fen', sa.BigInteger(), nullable=False),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.Column('prev_settled_through', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['bill_id'], ['bills.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_allocations_document_id'), ['document_id'], unique=False)



def downgrade() -> None:
    raise NotImplementedError("the upstream only moves forward; restore a backup instead")

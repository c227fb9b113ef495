"""documents by business date (the hall's day for its supervisor)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:00:00
"""

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_documents_day', 'documents', ['business_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_documents_day', table_name='documents')

"""An access grant's key reads restricted data of the GTIN it was requested from only

Revision ID: 7d2a9c4e1b58
Revises: 3b9e1f6a7c20
Create Date: 2026-12-01 02:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7d2a9c4e1b58'
down_revision = '3b9e1f6a7c20'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        # NULL: every passport (keys made by hand, and grants approved before this column existed)
        batch_op.add_column(sa.Column('restricted_gtin', sa.String(length=14), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.drop_column('restricted_gtin')

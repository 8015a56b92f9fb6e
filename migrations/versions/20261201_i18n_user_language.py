"""user.language: the language a user chose for pages and e-mails (none: follow the browser)

Revision ID: 3b9e1f6a7c20
Revises: f1ac93412125
Create Date: 2026-12-01 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '3b9e1f6a7c20'
down_revision = 'f1ac93412125'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('language')

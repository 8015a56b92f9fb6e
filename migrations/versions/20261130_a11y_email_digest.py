"""user.email_digest: declaration e-mails at once or in one daily digest

Revision ID: 7d41c9a2be53
Revises: 7c41d9e2a0b3
Create Date: 2026-11-30 22:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7d41c9a2be53'
down_revision = '7c41d9e2a0b3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing users keep what they had: every e-mail at once
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('email_digest', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('email_digest')

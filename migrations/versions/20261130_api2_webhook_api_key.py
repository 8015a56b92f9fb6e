"""webhook subscriptions made through the API belong to the API key that made them

Revision ID: 7b2d4f91ac03
Revises: e3a9c41f7b20
Create Date: 2026-11-30 22:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7b2d4f91ac03'
down_revision = 'e3a9c41f7b20'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('webhook_subscription', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_key_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_webhook_subscription_api_key_id'), ['api_key_id'], unique=False)
        batch_op.create_foreign_key('fk_webhook_subscription_api_key_id', 'api_key', ['api_key_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('webhook_subscription', schema=None) as batch_op:
        batch_op.drop_constraint('fk_webhook_subscription_api_key_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_webhook_subscription_api_key_id'))
        batch_op.drop_column('api_key_id')

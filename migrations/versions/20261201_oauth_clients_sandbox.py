"""OAuth2 clients and tokens; the sandbox namespace (api keys, passports, webhook subscriptions);
a bulk job's own webhook_url

Revision ID: 4c8e1f0a9d27
Revises: 5c8e2a71d4f6
Create Date: 2026-12-01 00:50:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '4c8e1f0a9d27'
down_revision = '5c8e2a71d4f6'
branch_labels = None
depends_on = None

_LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sandbox', sa.Boolean(), nullable=False, server_default=sa.false()))
        # "sdp_test_" + a few characters to tell sandbox keys apart
        batch_op.alter_column('prefix', existing_type=sa.String(length=12), type_=sa.String(length=16),
                              existing_nullable=False)
    op.create_table(
        'oauth_client',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.String(length=48), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('api_key_id', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.String(length=254), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['api_key_id'], ['api_key.id'], name='fk_oauth_client_api_key_id_api_key'),
        sa.PrimaryKeyConstraint('id', name='pk_oauth_client'),
        sa.UniqueConstraint('client_id', name='uq_oauth_client_client_id'),
        sa.UniqueConstraint('api_key_id', name='uq_oauth_client_api_key_id'),
    )
    op.create_table(
        'oauth_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('issued_at', sa.Integer(), nullable=False),
        sa.Column('expires_in', sa.Integer(), nullable=False),
        sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['client_id'], ['oauth_client.id'], name='fk_oauth_token_client_id_oauth_client'),
        sa.PrimaryKeyConstraint('id', name='pk_oauth_token'),
        sa.UniqueConstraint('token_hash', name='uq_oauth_token_token_hash'),
    )
    op.create_index('ix_oauth_token_client_id', 'oauth_token', ['client_id'], unique=False)

    with op.batch_alter_table('passport', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sandbox', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.drop_index('uq_passport_live_dl_key', table_name='passport')
    op.create_index('uq_passport_live_dl_key', 'passport', ['dl_key', 'sandbox'], unique=True,
                    sqlite_where=_LIVE, postgresql_where=_LIVE)

    with op.batch_alter_table('bulk_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('webhook_url', sa.String(length=2000), nullable=True))
    with op.batch_alter_table('webhook_subscription', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sandbox', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('bulk_job_id', sa.String(length=32), nullable=True))
        batch_op.create_index('ix_webhook_subscription_bulk_job_id', ['bulk_job_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('webhook_subscription', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_subscription_bulk_job_id')
        batch_op.drop_column('bulk_job_id')
        batch_op.drop_column('sandbox')
    with op.batch_alter_table('bulk_job', schema=None) as batch_op:
        batch_op.drop_column('webhook_url')
    op.drop_index('uq_passport_live_dl_key', table_name='passport')
    # the sandbox cannot survive without its namespace column: its passports go
    op.execute("DELETE FROM passport_contribution WHERE passport_id IN (SELECT id FROM passport WHERE sandbox)")
    op.execute("DELETE FROM passport_revision WHERE passport_id IN (SELECT id FROM passport WHERE sandbox)")
    op.execute("DELETE FROM passport WHERE sandbox")
    op.create_index('uq_passport_live_dl_key', 'passport', ['dl_key'], unique=True,
                    sqlite_where=_LIVE, postgresql_where=_LIVE)
    with op.batch_alter_table('passport', schema=None) as batch_op:
        batch_op.drop_column('sandbox')
    op.drop_index('ix_oauth_token_client_id', table_name='oauth_token')
    op.drop_table('oauth_token')
    op.drop_table('oauth_client')
    op.execute("UPDATE api_key SET prefix = substr(prefix, 1, 12)")
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.drop_column('sandbox')
        batch_op.alter_column('prefix', existing_type=sa.String(length=16), type_=sa.String(length=12),
                              existing_nullable=False)

"""access levels: time-limited API keys with wider scopes, and access requests

Revision ID: 5c8e2a71d4f6
Revises: 8a52e1f0c6d4
Create Date: 2026-12-01 01:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '5c8e2a71d4f6'
down_revision = '8a52e1f0c6d4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.alter_column('scope', existing_type=sqlmodel.sql.sqltypes.AutoString(length=10),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=40), existing_nullable=False)
        batch_op.add_column(sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_table(
        'access_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('passport_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column('digital_link', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column('client_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('grant_days', sa.Integer(), nullable=True),
        sa.Column('api_key_id', sa.Integer(), nullable=True),
        sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['api_key_id'], ['api_key.id'], name=op.f('fk_access_request_api_key_id_api_key')),
        sa.ForeignKeyConstraint(['passport_id'], ['passport.id'], name=op.f('fk_access_request_passport_id_passport')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_access_request')),
    )
    with op.batch_alter_table('access_request', schema=None) as batch_op:
        batch_op.create_index('ix_access_request_address_created', ['client_address', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_request_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_request_passport_id'), ['passport_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_request_status'), ['status'], unique=False)


def downgrade() -> None:
    op.drop_table('access_request')
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
        batch_op.alter_column('scope', existing_type=sqlmodel.sql.sqltypes.AutoString(length=40),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=10), existing_nullable=False)

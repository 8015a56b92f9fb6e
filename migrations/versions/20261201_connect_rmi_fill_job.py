"""The company's filled RMI template as a worker job

Revision ID: 8a52e1f0c6d4
Revises: 7d41c9a2be53
Create Date: 2026-12-01 01:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '8a52e1f0c6d4'
down_revision = '7d41c9a2be53'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rmi_fill_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('template_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('company', sa.JSON(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('smelter_count', sa.Integer(), nullable=True),
    sa.Column('result_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['result_sha256'], ['stored_file.sha256'], name=op.f('fk_rmi_fill_job_result_sha256_stored_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rmi_fill_job'))
    )
    op.create_index(op.f('ix_rmi_fill_job_key'), 'rmi_fill_job', ['key'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_rmi_fill_job_key'), table_name='rmi_fill_job')
    op.drop_table('rmi_fill_job')

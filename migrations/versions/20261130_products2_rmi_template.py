"""RMI blank templates the company fills with its own roll-up

Revision ID: 7c41d9e2a0b3
Revises: 7b2d4f91ac03
Create Date: 2026-11-30 22:15:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '7c41d9e2a0b3'
down_revision = '7b2d4f91ac03'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rmi_template',
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('uploaded_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['stored_file.sha256'], name=op.f('fk_rmi_template_sha256_stored_file')),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_rmi_template'))
    )


def downgrade() -> None:
    op.drop_table('rmi_template')

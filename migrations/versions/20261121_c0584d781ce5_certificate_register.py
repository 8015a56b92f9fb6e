"""certificate register

Revision ID: c0584d781ce5
Revises: a71789d4fb01
Create Date: 2026-11-21 05:07:44.833263
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'c0584d781ce5'
down_revision = 'a71789d4fb01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('source_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('scheme', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('standard', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('certificate_number', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('number_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('holder_name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('holder_address', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('holder_country_code', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('issuer_name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
    sa.Column('sites', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('products', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=False),
    sa.Column('findings', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('superseded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('renewal_request_id', sa.Integer(), nullable=True),
    sa.Column('announced_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('last_reminder_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user.id'], name=op.f('fk_certificate_approved_by_id_user')),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_certificate_declaration_id_declaration')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_certificate_document_id_document')),
    sa.ForeignKeyConstraint(['renewal_request_id'], ['declaration_request.id'], name=op.f('fk_certificate_renewal_request_id_declaration_request')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['certificate.id'], name=op.f('fk_certificate_superseded_by_id_certificate')),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], name=op.f('fk_certificate_supplier_id_supplier')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('declaration_id', name=op.f('uq_certificate_declaration_id'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_expiry_date'), ['expiry_date'], unique=False)
        batch_op.create_index('ix_certificate_scheme_expiry', ['scheme', 'expiry_date'], unique=False)
        batch_op.create_index('ix_certificate_scheme_number', ['scheme', 'number_key'], unique=False)
        batch_op.create_index('ix_certificate_supplier_scheme', ['supplier_id', 'scheme'], unique=False)

    op.create_table('certificate_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('on_day', sa.Date(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_certificate_event_certificate_id_certificate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_event')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_certificate_event_dedupe_key'))
    )
    with op.batch_alter_table('certificate_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_event_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_event_on_day'), ['on_day'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('certificate_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_event_on_day'))
        batch_op.drop_index(batch_op.f('ix_certificate_event_certificate_id'))

    op.drop_table('certificate_event')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_certificate_supplier_scheme')
        batch_op.drop_index('ix_certificate_scheme_number')
        batch_op.drop_index('ix_certificate_scheme_expiry')
        batch_op.drop_index(batch_op.f('ix_certificate_expiry_date'))

    op.drop_table('certificate')

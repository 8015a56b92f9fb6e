"""lifecycle events, per-passport hash chains and Merkle roots (tamper evidence)

Revisions written before this migration get their chain links from
`flask --app wsgi passports chain` (a backfill; the worker's daily Merkle-root job runs the same
backfill first, so nothing is left out of a root even if the command is forgotten).

Revision ID: f1ac93412125
Revises: 4c8e1f0a9d27
Create Date: 2026-12-01 00:43:20.035420
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'f1ac93412125'
down_revision = '4c8e1f0a9d27'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('merkle_root',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('root', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('leaf_count', sa.Integer(), nullable=False),
    sa.Column('leaves', sa.JSON(), nullable=False),
    sa.Column('computed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('anchored_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merkle_root'))
    )
    with op.batch_alter_table('merkle_root', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merkle_root_day'), ['day'], unique=False)

    op.create_table('passport_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('passport_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('record_kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('record_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('record_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passport_chain')),
    sa.UniqueConstraint('passport_id', 'position', name=op.f('uq_passport_chain_passport_id'))
    )
    with op.batch_alter_table('passport_chain', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passport_chain_passport_id'), ['passport_id'], unique=False)

    op.create_table('passport_event',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('passport_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('occurred_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('serial', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('evidence', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['passport_id'], ['passport.id'], name=op.f('fk_passport_event_passport_id_passport')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passport_event'))
    )
    with op.batch_alter_table('passport_event', schema=None) as batch_op:
        batch_op.create_index('ix_passport_event_passport_occurred', ['passport_id', 'occurred_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('passport_event', schema=None) as batch_op:
        batch_op.drop_index('ix_passport_event_passport_occurred')

    op.drop_table('passport_event')
    with op.batch_alter_table('passport_chain', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passport_chain_passport_id'))

    op.drop_table('passport_chain')
    with op.batch_alter_table('merkle_root', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merkle_root_day'))

    op.drop_table('merkle_root')

"""accounts: session version, TOTP two-factor; invitation links removed from stored e-mails

Revision ID: 5e7a11c0f2d9
Revises: b09e11dc7187
Create Date: 2026-11-30 21:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '5e7a11c0f2d9'
down_revision = 'b09e11dc7187'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auth_version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('totp_secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('auth_version', server_default=None)
    _redact_stored_invitation_links()


def _redact_stored_invitation_links() -> None:
    """E-mails stored before this revision hold usable set-password links in clear. Redact them;
    one still pending cannot be sent without its link any more: it fails, to be re-invited."""
    from portal.mail.redact import redact
    conn = op.get_bind()
    email = sa.table('outgoing_email', sa.column('id', sa.Integer), sa.column('subject', sa.String),
                     sa.column('body', sa.Text), sa.column('status', sa.String), sa.column('error', sa.String))
    rows = conn.execute(sa.select(email.c.id, email.c.subject, email.c.body, email.c.status)
                        .where(email.c.body.like('%/invite/%'))).all()
    for row in rows:
        values = {'subject': redact(row.subject), 'body': redact(row.body)}
        if row.status == 'pending':
            values.update(status='failed', error='not sent: stored before links were kept out of the record; invite again')
        conn.execute(email.update().where(email.c.id == row.id).values(**values))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('auth_version')

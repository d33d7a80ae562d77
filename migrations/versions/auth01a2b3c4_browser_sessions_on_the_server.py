"""browser sessions kept on the server (revocable; no token in the cookie)

Revision ID: auth01a2b3c4
Revises: d10a1b2c3d4e
Create Date: 2026-12-02 20:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'auth01a2b3c4'
down_revision = 'd10a1b2c3d4e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('browser_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_browser_session'))
    )
    with op.batch_alter_table('browser_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_browser_session_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_browser_session_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('browser_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_browser_session_user_id'))
        batch_op.drop_index(batch_op.f('ix_browser_session_expires_at'))

    op.drop_table('browser_session')

"""consultation.definition_key: changes whenever the consultation or its pages change

Web processes keep a published consultation's pages and questions in memory and compare
this key (one small query) to know when to read them again.

Revision ID: load01a2b3c4
Revises: coding01a2b3
Create Date: 2026-12-02 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'load01a2b3c4'
down_revision = 'coding01a2b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('definition_key', sa.String(length=32), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('definition_key')

"""machine coding heartbeat: a running coding says it is alive, so one whose worker was
killed is failed with a plain message instead of staying 'running' for ever

Revision ID: codingbeat01
Revises: coded02a3b4
Create Date: 2026-12-03 10:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'codingbeat01'
down_revision = 'coded02a3b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('machine_coding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('machine_coding', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')

"""run theme: how many of the answers mentioning a theme make its label's own point (None when
not measured: the fast engine, runs stored before, or a theme changed by a reviewer)

Revision ID: labelpt01a2b
Revises: orgname01a2b
Create Date: 2026-12-04 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'labelpt01a2b'
down_revision = 'orgname01a2b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('run_theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_point', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('run_theme', schema=None) as batch_op:
        batch_op.drop_column('label_point')

"""run theme: the share of a theme's answers making more than one point (None when not
measured: runs stored before, or a theme made by a reviewer's merge or split), for the
"mixed: answers making several different points" flag

Revision ID: multipt01a2
Revises: dateonly01a
Create Date: 2026-12-06 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'multipt01a2'
down_revision = 'dateonly01a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('run_theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('multi_point', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('run_theme', schema=None) as batch_op:
        batch_op.drop_column('multi_point')

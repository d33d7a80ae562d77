"""run theme: the merge whose keywords and summary a worker is still finding (a large merge is
described in the background, not in the web request)

Revision ID: mergedesc01a
Revises: closedat01a2
Create Date: 2026-12-05 13:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "mergedesc01a"
down_revision = "closedat01a2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("run_theme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("describing", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("run_theme", schema=None) as batch_op:
        batch_op.drop_column("describing")

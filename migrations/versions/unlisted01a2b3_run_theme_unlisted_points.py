"""run theme: the summary sentences its label's count read that its summary no longer lists
(its label's point in other words, another theme's label), so a reviewer's recount reads them
as the run's count did (store33); None for runs stored before (recounted from the summary
alone, as then)

Revision ID: unlisted01a2b3
Revises: freeinv01a2b3c4
Create Date: 2026-12-07 20:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "unlisted01a2b3"
down_revision = "freeinv01a2b3c4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("run_theme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unlisted_points", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("run_theme", schema=None) as batch_op:
        batch_op.drop_column("unlisted_points")

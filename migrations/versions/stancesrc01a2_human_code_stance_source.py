"""human_code.stance_source: where a coder's stance came from

"agreement" when the coder kept the stance the respondent's own answer to the paired
agreement question gives (the coding form fills it in from that answer), "human" when the
coder gave another. Codes saved before have none, read as "human" as before.

Revision ID: stancesrc01a2
Revises: mergedesc01a
Create Date: 2026-12-05 13:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "stancesrc01a2"
down_revision = "mergedesc01a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("human_code", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stance_source", sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table("human_code", schema=None) as batch_op:
        batch_op.drop_column("stance_source")

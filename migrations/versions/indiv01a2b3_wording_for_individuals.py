"""question.text_individuals and consultation.what_happens_next_individuals: a question's
wording for a partner answering as an individual, and the confirmation's "What happens next"
for them (both empty: everyone reads the one wording, as before)

Revision ID: indiv01a2b3
Revises: multipt01a2
Create Date: 2026-12-06 13:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "indiv01a2b3"
down_revision = "multipt01a2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("text_individuals", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "what_happens_next_individuals", sa.Text(), nullable=False, server_default=""
            )
        )


def downgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("what_happens_next_individuals")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("text_individuals")

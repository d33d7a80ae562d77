"""machine_coding: at most one application of the model queued or running per codebook (a
partial unique index), so two presses of "Apply the model" at once queue one coding (left18,
issue 13). Any second pending coding already stored (only a double press could make one) is
failed first, keeping the newest.

Revision ID: onepend01a2b3c
Revises: indiv01a2b3
Create Date: 2026-12-06 19:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "onepend01a2b3c"
down_revision = "indiv01a2b3"
branch_labels = None
depends_on = None

PENDING = "status IN ('queued', 'running')"
DOUBLE = (
    "A second application of the model asked for at the same time as another; "
    "the other was applied."
)


def upgrade():
    op.execute(
        sa.text(
            "UPDATE machine_coding SET status = 'failed', error = :error"
            f" WHERE {PENDING} AND id < (SELECT MAX(other.id) FROM machine_coding AS other"
            f" WHERE other.codebook_id = machine_coding.codebook_id AND other.{PENDING})"
        ).bindparams(error=DOUBLE)
    )
    op.create_index(
        "ix_machine_coding_one_pending",
        "machine_coding",
        ["codebook_id"],
        unique=True,
        sqlite_where=sa.text(PENDING),
        postgresql_where=sa.text(PENDING),
    )


def downgrade():
    op.drop_index("ix_machine_coding_one_pending", table_name="machine_coding")

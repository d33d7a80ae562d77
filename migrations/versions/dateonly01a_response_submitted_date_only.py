"""response.submitted_date_only: an import that gave a date and no time

True when an imported response's submitted cell gave a date alone ("04/12/2026"): its
submitted_at is that day's UK midnight and pages say the date alone, not "at midnight"
(smoke11 #10). None otherwise, as for every response before.

Revision ID: dateonly01a
Revises: stancesrc01a2
Create Date: 2026-12-05 21:15:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "dateonly01a"
down_revision = "stancesrc01a2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_date_only", sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("submitted_date_only")

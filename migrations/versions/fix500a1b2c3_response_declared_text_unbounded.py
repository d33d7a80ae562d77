"""response: organisation name, respondent name and email as unbounded text, so a draft keeps
over-long text on PostgreSQL as on SQLite (the form still stops it being sent)

Revision ID: fix500a1b2c3
Revises: load01a2b3c4
Create Date: 2026-12-02 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fix500a1b2c3'
down_revision = 'load01a2b3c4'
branch_labels = None
depends_on = None

COLUMNS = (
    ('organisation_name', 200),
    ('respondent_name', 200),
    ('respondent_email', 320),
)


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.alter_column(
                name, existing_type=sa.String(length=length), type_=sa.Text(), existing_nullable=True
            )


def downgrade():
    # Text longer than the old limits is cut to fit, as the old columns cannot hold it.
    for name, length in COLUMNS:
        op.execute(
            sa.text(
                f"UPDATE response SET {name} = substr({name}, 1, {length}) "
                f"WHERE length({name}) > {length}"
            )
        )
    with op.batch_alter_table('response', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.alter_column(
                name, existing_type=sa.Text(), type_=sa.String(length=length), existing_nullable=True
            )

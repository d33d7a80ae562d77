"""settled codes: the code a team agreed for a response its coders coded differently

Revision ID: settle01a2b3
Revises: labelpt01a2b
Create Date: 2026-12-04 21:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "settle01a2b3"
down_revision = "labelpt01a2b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "settled_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("codebook_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("stance", sa.String(length=10), nullable=True),
        sa.Column("settled_by_email", sa.String(length=320), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "stance IS NULL OR stance IN ('for', 'against', 'mixed')",
            name=op.f("ck_settled_code_stance_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["codebook_id"],
            ["codebook.id"],
            name=op.f("fk_settled_code_codebook_id_codebook"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_settled_code_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settled_code")),
        sa.UniqueConstraint("codebook_id", "response_id", name=op.f("uq_settled_code_codebook_id")),
    )
    with op.batch_alter_table("settled_code", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_settled_code_response_id"), ["response_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("settled_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settled_code_response_id"))

    op.drop_table("settled_code")

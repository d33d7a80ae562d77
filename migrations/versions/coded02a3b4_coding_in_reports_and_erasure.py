"""coding in reports and erasure: where each codebook example was quoted from, and codes
found by response (removing a response's data removes its codes quickly)

Revision ID: coded02a3b4
Revises: fix500a1b2c3
Create Date: 2026-12-03 06:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'coded02a3b4'
down_revision = 'fix500a1b2c3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('codebook_theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('example_references', sa.JSON(), nullable=True))
    with op.batch_alter_table('human_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_human_code_response_id'), ['response_id'], unique=False)
    with op.batch_alter_table('machine_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_machine_code_response_id'), ['response_id'], unique=False)


def downgrade():
    with op.batch_alter_table('machine_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_machine_code_response_id'))
    with op.batch_alter_table('human_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_human_code_response_id'))
    with op.batch_alter_table('codebook_theme', schema=None) as batch_op:
        batch_op.drop_column('example_references')

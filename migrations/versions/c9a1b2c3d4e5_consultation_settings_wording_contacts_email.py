"""consultation settings: what happens next, contacts, email sender, invitation wording, signature

Revision ID: c9a1b2c3d4e5
Revises: f23216f9d8ac
Create Date: 2026-12-02 16:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9a1b2c3d4e5'
down_revision = 'f23216f9d8ac'
branch_labels = None
depends_on = None

COLUMNS = (
    ('what_happens_next', sa.Text()),
    ('team_name', sa.String(length=200)),
    ('contact_email', sa.String(length=320)),
    ('email_sender_name', sa.String(length=200)),
    ('email_sender_address', sa.String(length=320)),
    ('invitation_message', sa.Text()),
    ('email_signature', sa.Text()),
)


def upgrade():
    # Empty server defaults, so existing consultations use the defaults in consult/settings.py.
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)

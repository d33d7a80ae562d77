"""consultation.closed_at: when staff actually closed it with Close now

``closes_at`` stays the planned closing date. Retention and the staff pages count from when
it really closed. Consultations already closed by hand are filled in from the audit log's
last "closed" entry for them, or, without one, from the time of this upgrade (so a
consultation closed by hand without a closing date is no longer kept for ever).

Revision ID: closedat01a2
Revises: settle01a2b3
Create Date: 2026-12-05 03:40:00.000000

"""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "closedat01a2"
down_revision = "settle01a2b3"
branch_labels = None
depends_on = None


def _closed_by_hand(connection) -> dict[int, datetime]:
    """Each closed consultation's closing time, from the audit log where it has one."""
    consultation = sa.table(
        "consultation",
        sa.column("id", sa.Integer),
        sa.column("slug", sa.String),
        sa.column("status", sa.String),
    )
    audit = sa.table(
        "audit_event",
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("action", sa.String),
        sa.column("target", sa.String),
        sa.column("detail", sa.Text),
    )
    now = datetime.now(UTC)
    found = {}
    rows = connection.execute(
        sa.select(consultation.c.id, consultation.c.slug).where(consultation.c.status == "closed")
    ).all()
    for consultation_id, slug in rows:
        events = connection.execute(
            sa.select(audit.c.at, audit.c.detail)
            .where(audit.c.action == "consultation_status", audit.c.target == slug)
            .order_by(audit.c.at.desc())
        ).all()
        closed = None
        for at, detail in events:
            try:
                status = json.loads(detail or "{}").get("status")
            except ValueError:
                status = None
            if status == "closed":
                closed = at
                break
        found[consultation_id] = closed or now
    return found


def upgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    consultation = sa.table(
        "consultation",
        sa.column("id", sa.Integer),
        sa.column("closed_at", sa.DateTime(timezone=True)),
    )
    for consultation_id, closed in _closed_by_hand(connection).items():
        connection.execute(
            consultation.update()
            .where(consultation.c.id == consultation_id)
            .values(closed_at=closed)
        )


def downgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("closed_at")

"""Free each invitation that someone used to send a response "As an individual" before an
invitation became its organisation's only (fixc17): the individual's sent response stays,
as an individual's, but no longer holds the invitation, so the organisation can answer
(left18). Each change is written to the audit log ("invitation_freed"), naming the
response, the organisation and the consultation, so staff can see what happened and remind
the organisation. An individual's draft on an invitation is left alone: its writer may still
be answering through that link.

Why a migration and not a staff button: the state is a leftover of a rule that no longer
holds, never a choice to weigh case by case; the fix changes no answer, and every service
gets it on upgrade, instead of each team finding its blocked organisations one at a time.

Revision ID: freeinv01a2b3c4
Revises: onepend01a2b3c
Create Date: 2026-12-06 19:55:00.000000

"""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "freeinv01a2b3c4"
down_revision = "onepend01a2b3c"
branch_labels = None
depends_on = None

USED = sa.text(
    "SELECT response.id, response.reference, organisation.name, consultation.slug"
    " FROM response"
    " JOIN invitation ON invitation.id = response.invitation_id"
    " JOIN organisation ON organisation.id = invitation.organisation_id"
    " JOIN consultation ON consultation.id = response.consultation_id"
    " WHERE response.partner_type = 'individual' AND response.status = 'submitted'"
    " ORDER BY response.id"
)


def upgrade():
    connection = op.get_bind()
    used = connection.execute(USED).all()
    now = datetime.now(UTC)
    for response_id, reference, organisation, slug in used:
        connection.execute(
            sa.text(
                "INSERT INTO audit_event (at, actor, action, target, detail, address)"
                " VALUES (:at, 'upgrade', 'invitation_freed', :target, :detail, '')"
            ),
            {
                "at": now,
                "target": f"response {reference}"[:200],
                "detail": json.dumps(
                    {
                        "consultation": slug,
                        "organisation": organisation,
                        "reason": "sent as an individual on the organisation's invitation",
                    },
                    sort_keys=True,
                ),
            },
        )
        connection.execute(
            sa.text("UPDATE response SET invitation_id = NULL WHERE id = :id"),
            {"id": response_id},
        )


def downgrade():
    pass  # which invitation each response held is in the audit log; nothing is put back

"""An invitation someone used to send a response "As an individual" before an invitation
became its organisation's only (fixc17) kept the organisation from answering: the upgrade
(migration freeinv01a2b3c4, left18) frees it. The individual's response stays, sent and an
individual's; the organisation's invitation reads "not started" and its link starts the
organisation's response; the audit log names what was done. Drafts and organisations'
own responses are untouched."""

from __future__ import annotations

import json

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from consult.extensions import db
from consult.invitations import status_counts
from consult.models import AuditEvent, Response, utcnow
from tests.helpers import make_consultation, make_invitation

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def response(consultation, invitation, partner_type: str, status: str) -> Response:
    made = Response(
        consultation=consultation,
        invitation_id=invitation.id,
        reference=f"R-{invitation.id}",
        partner_type=partner_type,
        status=status,
        submitted_at=utcnow() if status == "submitted" else None,
    )
    db.session.add(made)
    return made


def test_the_upgrade_frees_invitations_individuals_sent_on(app):
    consultation = make_consultation()
    used, _ = make_invitation(consultation, name="Used by someone")
    drafted, _ = make_invitation(consultation, name="Drafted by someone")
    own, _ = make_invitation(consultation, name="Answered itself")
    response(consultation, used, "individual", "submitted")
    response(consultation, drafted, "individual", "draft")
    response(consultation, own, "business", "submitted")
    db.session.commit()
    assert status_counts(consultation)["submitted"] == 2
    ids = {r.partner_type + r.status: r.id for r in db.session.scalars(select(Response))}
    invitation_of = {
        key: db.session.get(Response, response_id).invitation_id for key, response_id in ids.items()
    }
    db.session.remove()

    downgrade(revision="onepend01a2b3c")  # as stored before the upgrade
    upgrade()

    kept = {key: db.session.get(Response, response_id) for key, response_id in ids.items()}
    sent = kept["individualsubmitted"]
    assert (sent.partner_type, sent.status, sent.invitation_id) == ("individual", "submitted", None)
    assert kept["individualdraft"].invitation_id == invitation_of["individualdraft"]
    assert kept["businesssubmitted"].invitation_id == invitation_of["businesssubmitted"]
    counts = status_counts(kept["businesssubmitted"].consultation)
    assert (counts["submitted"], counts["not started"], counts["in progress"]) == (1, 1, 1)
    (event,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invitation_freed")
    ).all()
    assert event.target == f"response {sent.reference}" and event.actor == "upgrade"
    assert json.loads(event.detail)["organisation"] == "Used by someone"
